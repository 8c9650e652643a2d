"""`make run`'s last step: the scheduled-jobs loop beside a production WSGI server (gunicorn), DEBUG off.

One command, as a community will really run it (issue 13.11): static files collected once and served
by WhiteNoise, uploaded photos only through the views that check scope (no /media/ route), the SQLite
database and everything created here readable by this user only (umask 077, files 0600).
"""
import os
import subprocess
import sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
os.chdir(root)
os.umask(0o077)
python = sys.executable
env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "minqing.settings.local"),
       "DJANGO_DEBUG": os.environ.get("DJANGO_DEBUG", "0")}
data = Path(os.environ.get("MINQING_DATA_DIR", root / "var"))
data.mkdir(exist_ok=True)
data.chmod(0o700)
for path in data.glob("minqing.sqlite3*"):
    path.chmod(0o600)
subprocess.check_call([python, "manage.py", "collectstatic", "--noinput", "-v", "0"], env=env)
scheduler = None
if (root / "minqing" / "jobs" / "management" / "commands" / "scheduler.py").exists():
    scheduler = subprocess.Popen([python, "manage.py", "scheduler", "--loop"], env=env)
bind = os.environ.get("MINQING_BIND", "127.0.0.1:8000")
print(f"\n民情 Minqing 已启动: http://{bind}  (Ctrl+C 退出)\n", flush=True)
try:
    subprocess.call([python, "-m", "gunicorn", "minqing.wsgi:application", "--bind", bind,
                     "--workers", os.environ.get("WEB_CONCURRENCY", "2"), "--access-logfile", "-"], env=env)
except KeyboardInterrupt:
    pass
finally:
    if scheduler:
        scheduler.terminate()

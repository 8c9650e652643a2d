"""`make run`'s last step: the scheduled-jobs loop in the background and the web server in front."""
import os
import subprocess
import sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
os.chdir(root)
python = sys.executable
scheduler = None
if (root / "minqing" / "jobs" / "management" / "commands" / "scheduler.py").exists():
    scheduler = subprocess.Popen([python, "manage.py", "scheduler", "--loop"])
print("\n民情 Minqing 已启动: http://127.0.0.1:8000  (Ctrl+C 退出)\n", flush=True)
try:
    subprocess.call([python, "manage.py", "runserver", "127.0.0.1:8000", "--noreload"])
finally:
    if scheduler:
        scheduler.terminate()

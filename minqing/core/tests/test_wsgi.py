"""The WSGI entry point gunicorn serves (minqing/wsgi.py): the views imported and the start-up objects frozen
out of the garbage collector's full collections before the first request."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

PROBE = """
import gc, sys, time
import minqing.wsgi
frozen = gc.get_freeze_count()
started = time.perf_counter(); gc.collect(); pause_ms = (time.perf_counter() - started) * 1000
print(frozen, "minqing.appeals.views" in sys.modules, round(pause_ms, 1))
"""


def test_the_wsgi_application_starts_with_its_views_loaded_and_frozen():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "minqing.settings.test"}
    out = subprocess.run([sys.executable, "-W", "ignore", "-c", PROBE], cwd=ROOT, env=env, capture_output=True,
                         text=True, check=True).stdout.split()
    frozen, views_loaded, pause_ms = int(out[0]), out[1] == "True", float(out[2])
    assert frozen > 100_000 and views_loaded
    assert pause_ms < 20, f"a full collection right after start-up took {pause_ms} ms"

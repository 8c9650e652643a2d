"""Starts Minqing as in production: gunicorn, sync workers, DEBUG off, production settings."""
from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Gunicorn:
    def __init__(self, env: dict, *, workers: int = 2, port: int = 8731, log=print, tree: Path = ROOT,
                 app: str = "minqing.wsgi:application", gunicorn: str | None = None,
                 ready_path: str = "/accounts/login/", name: str = "gunicorn"):
        # app, gunicorn, ready_path and name let bench/peer serve django-helpdesk from its own venv alike
        self.env, self.workers, self.port, self.log, self.tree = env, workers, port, log, tree
        self.ready_path, self.name = ready_path, name
        self.command = [gunicorn or str(Path(sys.executable).with_name("gunicorn")), app,
                        "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--chdir", str(tree),
                        "--access-logfile", "-", "--access-logformat", "x", "--log-level", "warning",
                        "--keep-alive", "30", "--timeout", "120"]
        self.command = [c for c in self.command if c not in ("--access-logfile", "-", "--access-logformat", "x")]
        self.command_line = " ".join(["gunicorn", *self.command[1:]])
        self.proc: subprocess.Popen | None = None

    def __enter__(self):
        self.log(f"starting {self.command_line} (DJANGO_SETTINGS_MODULE={self.env['DJANGO_SETTINGS_MODULE']})")
        self.logfile = open(ROOT / "bench" / "results" / "tmp" / f"{self.name}.log", "w")
        self.proc = subprocess.Popen(self.command, env=self.env, cwd=self.tree, stdout=self.logfile,
                                     stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}{self.ready_path}", timeout=5).read()
                if len(self.worker_pids()) >= self.workers:
                    return self
            except OSError:
                pass
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see bench/results/tmp/{self.name}.log")
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.logfile.close()

    def worker_pids(self) -> list[int]:
        if not self.proc:
            return []
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        try:
            return [int(p) for p in children.read_text().split()]
        except OSError:
            return []

    def peak_rss_mb(self) -> float:
        """The largest peak resident set (VmHWM: the kernel's high-water mark) among the workers."""
        peaks = []
        for pid in self.worker_pids():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peaks.append(int(line.split()[1]) / 1024)
            except OSError:
                continue
        return round(max(peaks), 1) if peaks else 0.0


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids) -> float:
    """User + system CPU time consumed so far by these processes (from /proc/<pid>/stat)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / CLOCK_TICKS


def database_backend_pids() -> list[int]:
    """The PostgreSQL backends serving the bench database, other than this process's own connection."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                    "AND backend_type = 'client backend' AND pid <> pg_backend_pid()")
        return [row[0] for row in cur.fetchall()]


def children(pid: int) -> list[int]:
    try:
        direct = [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []
    return direct + [g for c in direct for g in children(c)]


def prioritise(pids, niceness: int = -15) -> list[int]:
    """Raise the scheduling priority of the bench's own processes (root only): on a machine shared with
    other people's builds and tests, a bench process otherwise waits for a core behind them."""
    done = []
    for pid in pids:
        try:
            os.setpriority(os.PRIO_PROCESS, pid, niceness)
            done.append(pid)
        except OSError:
            continue
    return done


def postmaster_pid(data_dir: Path) -> int | None:
    try:
        return int((data_dir / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None

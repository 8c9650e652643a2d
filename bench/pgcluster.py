"""A private PostgreSQL 15 cluster for the benchmark (or any DATABASE_URL you give it).

Same pattern as .ci/run: initdb + pg_ctl as the `postgres` OS user, listening on 127.0.0.1 only.
Settings are those of a modest production server sized for this 24 GB machine, not the CI's
fsync=off: commits are durable, so the submission rate measured here is an honest one.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

PGBIN = Path("/usr/lib/postgresql/15/bin")
DEFAULT_DATA = Path(os.environ.get("BENCH_PGDATA", "/work/pgbench-data"))
DEFAULT_PORT = int(os.environ.get("BENCH_PGPORT", "54331"))

# Production-like and durable (fsync, synchronous_commit and full_page_writes stay on).
SERVER_SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "max_connections": "100",
    "shared_buffers": "2GB",
    "effective_cache_size": "8GB",
    "work_mem": "32MB",
    "maintenance_work_mem": "1GB",
    "max_wal_size": "8GB",
    "checkpoint_timeout": "30min",
    "random_page_cost": "1.1",
    "effective_io_concurrency": "100",
    # JIT compiles a plan for ~100 ms before running a big aggregate: a loss for a web request.
    "jit": "off",
    "max_parallel_workers_per_gather": "1",
    "shared_preload_libraries": "pg_stat_statements",
    "track_io_timing": "on",
}


def _as_postgres(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:
        args = ["runuser", "-u", "postgres", "--", *args]
    return subprocess.run(args, check=True, **kwargs)


def url(port: int = DEFAULT_PORT, db: str = "minqing_bench") -> str:
    return f"postgres://minqing:minqing@127.0.0.1:{port}/{db}"


def is_running(data: Path = DEFAULT_DATA) -> bool:
    if not (data / "PG_VERSION").exists():
        return False
    return subprocess.run(["runuser", "-u", "postgres", "--", str(PGBIN / "pg_ctl"), "-D", str(data), "status"]
                          if os.geteuid() == 0 else [str(PGBIN / "pg_ctl"), "-D", str(data), "status"],
                          capture_output=True).returncode == 0


def start(data: Path = DEFAULT_DATA, port: int = DEFAULT_PORT, log=print) -> str:
    """Create (first time) and start the cluster; return the DATABASE_URL of the bench database."""
    if not (data / "PG_VERSION").exists():
        data.mkdir(parents=True, exist_ok=True)
        shutil.chown(data, "postgres") if os.geteuid() == 0 else None
        log(f"initdb {data}")
        _as_postgres([str(PGBIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                      "--encoding=UTF8", "--locale=C.UTF-8"], capture_output=True)
        with open(data / "postgresql.conf", "a") as conf:
            conf.write("\n# --- Minqing bench (bench/pgcluster.py) ---\n")
            for name, value in SERVER_SETTINGS.items():
                conf.write(f"{name} = '{value}'\n")
            conf.write(f"port = {port}\nunix_socket_directories = '{data}'\n")
    if not is_running(data):
        log(f"pg_ctl start (port {port})")
        _as_postgres([str(PGBIN / "pg_ctl"), "-D", str(data), "-w", "-l", str(data / "server.log"), "start"],
                     capture_output=True)
    for _ in range(50):
        if subprocess.run([str(PGBIN / "pg_isready"), "-h", "127.0.0.1", "-p", str(port)],
                          capture_output=True).returncode == 0:
            break
        time.sleep(0.2)
    psql = [str(PGBIN / "psql"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-qAtc"]
    has_role = subprocess.run([*psql, "SELECT 1 FROM pg_roles WHERE rolname='minqing'"],
                              capture_output=True, text=True, check=True).stdout.strip()
    if not has_role:
        subprocess.run([*psql, "CREATE ROLE minqing LOGIN SUPERUSER PASSWORD 'minqing'"], check=True)
    return url(port)


def stop(data: Path = DEFAULT_DATA) -> None:
    if is_running(data):
        _as_postgres([str(PGBIN / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"], capture_output=True)


def psql_admin(port: int, sql: str) -> str:
    return subprocess.run([str(PGBIN / "psql"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-qAtc", sql],
                          capture_output=True, text=True, check=True).stdout


def database_recreate(port: int, db: str) -> str:
    """Drop and create one database of the cluster; its DATABASE_URL."""
    psql_admin(port, f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
    psql_admin(port, f"CREATE DATABASE {db} OWNER minqing")
    return url(port, db)

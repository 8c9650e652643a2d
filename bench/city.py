"""The city-scale benchmark, one command: build → serve → drive → report.

    .venv/bin/python -m bench.city all --demands 1000000          # everything (bench/run.sh does this)
    .venv/bin/python -m bench.city build --demands 100000         # only (re)build that data set
    .venv/bin/python -m bench.city load --demands 100000          # serve + drive an existing data set
    .venv/bin/python -m bench.city plot                           # docs/performance-latency.png

Without DATABASE_URL it starts its own PostgreSQL 15 cluster (bench/pgcluster.py: /work/pgbench-data,
port 54331) and keeps one database per size (minqing_city_100k, minqing_city_1m, …) so the load can be
re-run without rebuilding. With DATABASE_URL it uses that database as it is (build wipes it).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
WORK = RESULTS / "tmp"
# Fixed bench-only keys: the data set is encrypted with them, so a rebuilt server can read it.
USER_DATABASE_URL = os.environ.get("DATABASE_URL")  # before the bench sets its own
BENCH_ENV = {
    "DJANGO_SECRET_KEY": "bench-only-secret-key-0123456789abcdef-not-for-production",
    "MINQING_FIELD_ENCRYPTION_KEY": "YmVuY2gtb25seS1rZXktbm90LWZvci1wcm9kdWN0aW8=",
    "MINQING_DATA_DIR": str(Path(os.environ.get("BENCH_VAR", "/work/bench-var"))),
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DATABASE_CONN_MAX_AGE": "600",  # persistent connections, as a production server keeps them
}


def size_label(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}m"
    if n >= 1000 and n % 1000 == 0:
        return f"{n // 1000}k"
    return str(n)


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def database_url(args, *, fresh: bool) -> str:
    if USER_DATABASE_URL:
        if fresh:  # `build` starts from an empty database, as with the cluster's own ones
            schema_wipe(USER_DATABASE_URL)
        return USER_DATABASE_URL
    from . import pgcluster

    pgcluster.start(log=log)
    db = f"minqing_city_{size_label(args.demands)}"
    if fresh:
        return pgcluster.database_recreate(pgcluster.DEFAULT_PORT, db)
    return pgcluster.url(pgcluster.DEFAULT_PORT, db)


def schema_wipe(dsn: str) -> None:
    import psycopg

    with psycopg.connect(dsn.replace("postgres://", "postgresql://"), autocommit=True) as connection:
        connection.execute("DROP SCHEMA public CASCADE")
        connection.execute("CREATE SCHEMA public")


def environment(dsn: str) -> dict:
    env = {**os.environ, **BENCH_ENV, "DATABASE_URL": dsn,
           "DJANGO_SETTINGS_MODULE": os.environ.get("BENCH_SETTINGS", "bench.settings")}
    Path(env["MINQING_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    return env


def django_setup(env: dict) -> None:
    os.environ.update(env)
    import django

    django.setup()


def manifest_path(args) -> Path:
    return WORK / f"manifest-{size_label(args.demands)}.json"


def build(args) -> dict:
    dsn = database_url(args, fresh=True)
    tree, commit = code_tree(args)
    sys.path.insert(0, str(tree))
    env = environment(dsn)
    django_setup(env)
    from django.core.management import call_command

    from .generate import City, Shape

    log(f"migrate {dsn.rsplit('/', 1)[-1]}")
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_s = time.perf_counter() - t0
    log(f"building: {args.residents:,} residents, {args.demands:,} demands")
    city = City(demands=args.demands, residents=args.residents, shape=Shape(streets=args.streets), seed=args.seed,
                dsn=dsn.replace("postgres://", "postgresql://"), log=log, audit=not args.no_audit)
    stats = city.build()
    rollups = rollups_build(log)
    apps_built = apps_build(args)
    rows = sum(stats.rows.values())
    copy_rows = sum(v for k, v in stats.rows.items() if k in city.LOADED)
    info = {
        "demands": args.demands, "residents": city.resident_count, "communities": len(city.communities),
        "streets": len(city.streets), "buildings": len(city.buildings), "rows": stats.rows, "rows_total": rows,
        "seconds": {**{k: round(v, 1) for k, v in stats.seconds.items()}, "migrate": round(migrate_s, 1),
                    **rollups},
        "copy_rows_per_second": round(copy_rows / stats.seconds["copy_total"]),
        "rows_per_second_overall": round(rows / stats.seconds["total"]),
        "database_size": database_size(),
    }
    log(f"built {rows:,} rows in {stats.seconds['total']:.0f}s "
        f"(COPY {info['copy_rows_per_second']:,} rows/s while generating; overall {info['rows_per_second_overall']:,} rows/s)")
    WORK.mkdir(parents=True, exist_ok=True)
    info["commit"] = commit
    manifest = {
        "build": info,
        "apps": apps_built,
        "search_samples": city.search_samples[:400],
        "communities": [c.code for c in city.communities],
        "streets": [s.code for s in city.streets],
    }
    manifest_path(args).write_text(json.dumps(manifest, ensure_ascii=False, indent=1, default=str))
    return info


def apps_build(args) -> dict:
    """Party, meetings, volunteers, training and assessment for the first communities (bench/apps.py)."""
    if not args.app_streets:
        return {}
    from .apps import build_apps

    t0 = time.perf_counter()
    built = build_apps(streets=args.app_streets, communities_per_street=args.app_communities, seed=args.seed,
                       log=lambda message: None)
    log(f"apps built for {len(built['communities'])} communities in {time.perf_counter() - t0:.0f}s: {built['seconds']}")
    return built


def rollups_build(log) -> dict:
    """The dashboard's per-day rollups, rebuilt by the dashboard's own code when it exists."""
    from django.apps import apps
    from django.core.management import get_commands, call_command

    out = {}
    if apps.is_installed("minqing.dashboard"):
        for name in ("dashboard_rollup", "rollup_rebuild", "dashboard_rebuild"):
            if name in get_commands():
                t = time.perf_counter()
                call_command(name)
                out["rollups"] = round(time.perf_counter() - t, 1)
                log(f"rollups rebuilt by `{name}` in {out['rollups']}s")
                break
    return out


def rollups_if_missing(manifest: dict) -> None:
    """A data set built before the dashboard existed: build its rollups once, and record the time."""
    from django.apps import apps

    if not apps.is_installed("minqing.dashboard"):
        return
    from minqing.dashboard.models import AppealRollup

    if not AppealRollup.objects.exists():
        manifest["build"]["seconds"].update(rollups_build(log))


def database_size() -> str:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        return cur.fetchone()[0]


def calibration_ms() -> float:
    """The CPU time of a fixed pure-Python loop (best of three, ms): the same model name has run 2.4× slower
    on one day than another here (a neighbour's load on the host), so each run records how fast this machine
    was that day — figures from two runs compare only after dividing by it (docs/performance.md)."""
    def once():
        started, total = time.process_time(), 0
        for i in range(2_000_000):
            total += i * i
        return (time.process_time() - started) * 1000
    return round(min(once() for _ in range(3)), 1)


def machine() -> dict:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    pg = subprocess.run(["/usr/lib/postgresql/15/bin/postgres", "--version"], capture_output=True, text=True).stdout
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(mem_kb / 1024 / 1024, 1),
            "calibration_ms": calibration_ms(),
            "os": platform.platform(), "python": platform.python_version(), "postgresql": pg.strip(),
            "note": "2 vCPUs shared with other engineers' work; load driver, gunicorn and PostgreSQL on the same machine"}


def code_tree(args) -> tuple[Path, str]:
    """The code the server runs: a snapshot of HEAD (`git archive`), so a run measures one commit and
    not a working tree other people are editing; `--tree .` serves the working tree as it is."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip() or "unknown"
    if args.tree:
        return Path(args.tree).resolve(), commit + ("+worktree" if Path(args.tree).resolve() == ROOT else "")
    tree = WORK / f"tree-{commit}"
    if not (tree / "manage.py").exists():
        tree.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", "HEAD"], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return tree, commit


def in_process(args):
    """(code tree, scenarios by name, call) for running a scenario's requests through Django's test client
    in this process (bench.cpu, bench.profile): one client, so the middleware chain is built once, as in
    a worker; `call(request)` sends one driver Request and returns the response."""
    dsn = database_url(args, fresh=False)
    tree, _commit = code_tree(args)
    sys.path.insert(0, str(tree))
    django_setup(environment(dsn))
    from django.test import Client

    from . import scenarios, scenarios_apps

    manifest = json.loads(manifest_path(args).read_text())
    plan = {s.name: s for s in scenarios.prepare(manifest, args)
            + scenarios_apps.prepare_apps(manifest, scenarios.scale(args))}
    client = Client(HTTP_HOST="127.0.0.1")

    def call(req):
        client.cookies.clear()
        headers = {k.upper().replace("-", "_"): v for k, v in req.headers.items()}
        if "COOKIE" in headers:
            name, value = headers.pop("COOKIE").split("=", 1)
            client.cookies[name] = value
        content_type = headers.pop("CONTENT_TYPE", "application/json")
        extra = {f"HTTP_{k}": v for k, v in headers.items()}
        body = {"data": req.body, "content_type": content_type} if req.body else {}
        return getattr(client, req.method.lower())(req.path, **body, **extra)

    return tree, plan, call


def scheduled_figures() -> None:
    """What `manage.py scheduler` (every minute in production) keeps counted for the pages: the ledger's tally,
    recounted when older than its five minutes, and the dashboard's rollups of the days the last scenarios'
    demands marked. Run here between scenarios, outside their measured CPU, as the scheduler runs beside the web
    workers. Without the rollups, a home page read two minutes after the submission scenarios recounted their
    days itself (the fallback for a missing scheduler: ~110 ms and 14 more statements in one request), in
    whichever tree came first — so an A/B run charged it to one side. A tree from before the tally has
    nothing to run."""
    import datetime

    from django.utils import timezone

    try:
        from minqing.residents.tally import ledger_tally_refresh
    except ImportError:
        return
    ledger_tally_refresh(timezone.now())
    from minqing.core.ttlcache import caches_clear
    from minqing.dashboard.rollups import rollups_refresh_if_stale

    caches_clear()  # what this process remembers of the marks is about the made-up times below
    # the job's marked-days half (its once-a-day sweep of recent days is not what a page waits for): as if the
    # marks had waited past the grace period, until none is left
    while rollups_refresh_if_stale(timezone.now() + datetime.timedelta(hours=1)):
        pass


def turn_away_bench_demands() -> int:
    """The demands the submission scenarios made ("（压测 n）"), turned away (不予受理) as a community would turn away
    a test, once the run is over; their days are marked for the rollups. Left 待受理, every run added 6,000 more to
    the first street's communities: after ten runs each of them held ~8,340 demands waiting for acceptance — a
    year's worth — and the home pages' count of what waits walked them all on every view (10 of the 14 ms of
    database of a community worker's warm home page). A community does not keep that many waiting; the
    benchmark should not either. Run before each scenario (so the pages read after the submission scenarios do
    not count them either) and at the end, outside every scenario's measured CPU."""
    from django.db.models import F
    from django.utils import timezone

    from minqing.appeals.models import Appeal, Status
    from minqing.dashboard.dirty import rollup_mark_dirty

    now = timezone.now()
    made = Appeal.objects.filter(status=Status.SUBMITTED, text__contains="（压测 ")
    days = list(made.datetimes("submitted_at", "day"))  # local midnights: rollup_mark_dirty takes their dates
    turned = made.update(status=Status.REJECTED, reject_reason="压力测试数据", first_response_at=now, closed_at=now,
                         updated_at=now, version=F("version") + 1)
    rollup_mark_dirty(*[Appeal(submitted_at=day) for day in days])
    log(f"bench demands turned away (不予受理): {turned}")
    return turned


def load(args) -> dict:
    from . import driver, scenarios, scenarios_apps, server

    dsn = database_url(args, fresh=False)
    tree, commit = code_tree(args)
    env = environment(dsn)
    env["MINQING_BENCH_QUERY_COUNT"] = "1"
    env["PYTHONPATH"] = str(tree)
    sys.path.insert(0, str(tree))
    django_setup(env)
    manifest = json.loads(manifest_path(args).read_text())
    from django.core.management import call_command

    log("migrate (the data set was built by an earlier commit, perhaps)")
    call_command("migrate", verbosity=0, interactive=False)
    rollups_if_missing(manifest)
    log("collectstatic")
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=tree, env=env, check=True)
    plan = scenarios.prepare(manifest, args) + scenarios_apps.prepare_apps(manifest, scenarios.scale(args))
    results = {"demands": args.demands, "commit": commit, "machine": machine(), "build": manifest["build"], "scenarios": []}
    with server.Gunicorn(env, workers=args.workers, port=args.port, log=log, tree=tree) as srv:
        base = f"http://127.0.0.1:{args.port}"
        if args.priority and os.geteuid() == 0:
            from . import pgcluster

            pm = None if USER_DATABASE_URL else server.postmaster_pid(pgcluster.DEFAULT_DATA)
            pids = [os.getpid(), srv.proc.pid, *srv.worker_pids(), *([pm, *server.children(pm)] if pm else [])]
            results["priority"] = {"niceness": -15, "processes": len(server.prioritise(pids))}
            log(f"bench processes at nice -15: {results['priority']['processes']}")
        turned_away = 0
        for scenario in plan:
            if args.only and scenario.name not in args.only:
                continue
            turned_away += turn_away_bench_demands()
            scheduled_figures()
            driver.warm(base, scenario)
            # CPU actually spent per request by the app workers and by PostgreSQL: what the request
            # costs whatever else the shared machine is doing (latency there includes waiting for a core)
            app_pids, db_pids = srv.worker_pids(), server.database_backend_pids()
            app_cpu = {p: server.cpu_seconds([p]) for p in app_pids}
            db_cpu = {p: server.cpu_seconds([p]) for p in db_pids}
            stats = driver.run(base, scenario)
            n = max(1, stats["requests"])
            # per process: the CPU since the start (a process born during the run counts from zero)
            app_used = sum(server.cpu_seconds([p]) - app_cpu.get(p, 0) for p in srv.worker_pids())
            db_used = sum(server.cpu_seconds([p]) - db_cpu.get(p, 0) for p in server.database_backend_pids())
            stats["app_cpu_ms_per_request"] = round(app_used * 1000 / n, 1)
            stats["db_cpu_ms_per_request"] = round(db_used * 1000 / n, 1)
            cost = stats["app_cpu_ms_per_request"] + stats["db_cpu_ms_per_request"]
            stats["capacity_rps_on_2_free_cores"] = round(2000 / cost, 1) if cost else None
            stats["server_rss_peak_mb"] = srv.peak_rss_mb()
            results["scenarios"].append(stats)
            log(driver.describe(stats))
        results["server"] = {"workers": args.workers, "peak_rss_mb_per_worker": srv.peak_rss_mb(),
                             "command": srv.command_line}
    results["bench_demands_turned_away"] = turned_away + turn_away_bench_demands()
    out = RESULTS / f"city-{size_label(args.demands)}.json"
    order = scenarios.ORDER + scenarios_apps.ORDER
    if args.only and out.exists():  # merge a partial re-run into the recorded file
        old = json.loads(out.read_text())
        kept = [s for s in old["scenarios"] if s["name"] not in args.only]
        results["scenarios"] = sorted(kept + results["scenarios"], key=lambda s: order.index(s["name"])
                                      if s["name"] in order else 99)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1))
    from .report import markdown

    (RESULTS / f"city-{size_label(args.demands)}.md").write_text(markdown(results))
    log(f"wrote {out.relative_to(ROOT)}")
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.city", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("step", choices=["all", "build", "load", "plot", "pg-start", "pg-stop"])
    parser.add_argument("--demands", type=int, default=100_000)
    parser.add_argument("--residents", type=int, default=1_000_000)
    parser.add_argument("--streets", type=int, default=8, help="7 communities each (default 8 → 56 communities)")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--no-audit", action="store_true", help="skip the audit rows of the demands' history")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8731)
    parser.add_argument("--only", nargs="*", help="run only these scenarios (merged into the results file)")
    parser.add_argument("--no-priority", dest="priority", action="store_false",
                        help="do not raise the bench processes' priority (nice -15) on a shared machine")
    parser.add_argument("--tree", help="serve this code tree instead of a snapshot of HEAD (e.g. `.`)")
    parser.add_argument("--app-streets", type=int, default=2,
                        help="build the newer apps' data for the communities of this many streets (0: none)")
    parser.add_argument("--app-communities", type=int, default=7, help="… and this many communities per street")
    parser.add_argument("--requests", type=float, default=1.0, help="scale every scenario's request count")
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    # a terminated run still stops its gunicorn (the context managers' __exit__ run on SystemExit)
    signal.signal(signal.SIGTERM, lambda *_a: sys.exit(143))
    if args.step == "pg-start":
        from . import pgcluster

        print(pgcluster.start(log=log))
    elif args.step == "pg-stop":
        from . import pgcluster

        pgcluster.stop()
    elif args.step == "build":
        build(args)
    elif args.step == "load":
        load(args)
    elif args.step == "all":
        build(args)
        # a fresh interpreter for the load: Django is already set up here with the build's state
        subprocess.run([sys.executable, "-m", "bench.city", "load", *sys.argv[2:]], cwd=ROOT, check=True)
    elif args.step == "plot":
        from .report import plot

        plot()


if __name__ == "__main__":
    main()

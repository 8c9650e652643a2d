"""Minqing and django-helpdesk in the same run, at the same size, by the same driver (issue 19 item 5).

    bench/peer/setup.sh                                   # once: helpdesk 2.6.1 from PyPI into /tmp/peer/hd-venv
    .venv/bin/python -m bench.peer.compare --tickets 100000 [--requests 0.5]

1. Data: Minqing's city with N demands (bench.city build, into MINQING_DATABASE_URL, default
   `peer_minqing`) and helpdesk with N tickets (bench/peer/generate.py in the helpdesk venv, into
   PEER_DATABASE_URL, default `peer_helpdesk`); each is reused when it already holds N rows.
2. Both served by gunicorn, 2 sync workers each, DEBUG off, persistent database connections, the
   same query/CPU middleware (bench.querycount); both up for the whole run but driven one after the
   other, never at the same time: for each scenario Minqing, then helpdesk, in four alternating rounds
   for the pairs of 100 requests or more (--rounds), so a change in the shared machine's speed falls on
   both sides of a pair alike.
3. Each pair is driven by bench.driver with the same concurrency; the CPU that the gunicorn workers
   and the PostgreSQL backends of each database spent is read from /proc per request — the primary
   figure on a shared machine, since latency there includes waiting for a core.
4. bench/results/peer-<size>.json and .md: per scenario median/p95, CPU ms per request, queries,
   and the ratio helpdesk/Minqing (> 1: Minqing is faster).
"""
from __future__ import annotations

import argparse
import base64
import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from .. import city, driver, pgcluster, server
from ..driver import Request, Scenario

ROOT = Path(__file__).resolve().parent.parent.parent
PEER = ROOT / "bench" / "peer"
CLUSTER = pgcluster.url().rsplit("/", 1)[0]  # the bench's own cluster, started by `run` when it is the one used
log = city.log


@dataclass
class Pair:
    key: str
    minqing: str            # the Minqing scenario of bench/scenarios.py
    helpdesk: str           # the helpdesk scenario made below
    goal: float             # the ratio issue 19 asks for
    why: str                # why the two pages are comparable


PAIRS = [
    Pair("create", "api_submit", "hd_api_create", 2,
         "both through the product's REST API with a bearer token: Minqing POST /api/v1/appeals (service layer, "
         "timeline event, audit row, rollup mark); helpdesk POST /api/tickets/ (DRF serializer → TicketForm.save: "
         "the ticket, its 'Ticket Opened' follow-up, the e-mail templates rendered for a dummy backend)"),
    Pair("item page", "appeal_page", "hd_ticket_page", 2,
         "one case with its history as staff see it: Minqing /appeals/<id>/ (timeline, similar demands); helpdesk "
         "/tickets/<id>/ (follow-ups, ticket changes, the update form)"),
    Pair("filtered list", "list_filtered_first", "hd_list_data", 10,
         "page 1 of the case list filtered by area × state: Minqing /appeals/?place=<community>&status&category "
         "(rows and count in the page); helpdesk's list rows come from datatables_ticket_list/<query> "
         "(queue × status, 25 rows, with its counts) — the page shell around it is an extra request, listed apart"),
    Pair("statistics", "rates_dashboard_year", "hd_reports_index", 10,
         "the statistics page: Minqing's 三率 dashboard of a street for a year; helpdesk's Reports & Statistics "
         "page (/reports/: counts per queue × state, ticket ages, average days to resolve, customers)"),
    Pair("report", "monthly_report", "hd_report_queuemonth", 10,
         "a tabulated report: Minqing's monthly report of a street; helpdesk /reports/queuemonth/ (tickets per "
         "queue × month, the report closest to it)"),
    Pair("API list", "api_list_filtered", "hd_api_list", 10,
         "the list API with a state filter: Minqing GET /api/v1/appeals?place_code&status=closed&category_id "
         "(cursor page); helpdesk GET /api/tickets/?status=1 (open; status is the only filter its API has; page "
         "of 25). Open tickets are the smallest state (~3 %): helpdesk's list serialises every ticket the filter "
         "matches before paging, so this is its cheapest API list; closed tickets (status=4, as Minqing's filter) "
         "are listed apart"),
]
EXTRAS = ["hd_list_page", "hd_dashboard", "hd_api_list_closed"]


def helpdesk_scenarios(prep: dict, requests) -> list[Scenario]:
    """helpdesk's side, each request varied (another ticket, queue or state) like Minqing's."""
    cookie, token, queues, ids = prep["cookie"], prep["token"], prep["queues"], prep["ticket_ids"]
    page = lambda path: Request("GET", path, {"Cookie": cookie})  # noqa: E731
    states = (4, 1, 3)  # closed, open, resolved — as Minqing's list alternates closed, in progress, replied

    def create(i):
        body = {"queue": queues[i % len(queues)], "title": f"压测诉求 {i}", "priority": 3,
                "description": f"楼道灯坏了，晚上老人出门不安全，请尽快维修（压测 {i}）。",
                "submitter_email": f"bench{i % 100000:05d}@example.com"}
        return Request("POST", "/api/tickets/", {"Authorization": f"Token {token}", "Content-Type": "application/json"},
                       json.dumps(body, ensure_ascii=False).encode())

    def list_data(i):
        query = {"filtering": {"queue__id__in": [queues[i % len(queues)]], "status__in": [states[i % 3]]},
                 "filtering_null": {}, "sorting": "created", "sortreverse": True, "search_string": ""}
        encoded = base64.b64encode(json.dumps(query).encode()).decode()
        return page(f"/datatables_ticket_list/{encoded}?draw=1&start=0&length=25")

    return [
        Scenario("hd_api_create", "POST /api/tickets/ (token)", create, requests=requests("create"), concurrency=4,
                 expect_status=(201,), warmup=4),
        Scenario("hd_ticket_page", "/tickets/<id>/ (staff)", lambda i: page(f"/tickets/{ids[i % len(ids)]}/"),
                 requests=requests("item page"), concurrency=2),
        Scenario("hd_list_data", "datatables_ticket_list/<queue × status> (the list's rows)", list_data,
                 requests=requests("filtered list"), concurrency=2),
        Scenario("hd_reports_index", "/reports/ (Reports & Statistics)", lambda i: page("/reports/"),
                 requests=requests("statistics"), concurrency=2, warmup=2),
        Scenario("hd_report_queuemonth", "/reports/queuemonth/", lambda i: page("/reports/queuemonth/"),
                 requests=requests("report"), concurrency=2, warmup=2),
        Scenario("hd_api_list", "GET /api/tickets/?status=1 (token; open tickets)",
                 lambda i: Request("GET", "/api/tickets/?status=1", {"Authorization": f"Token {token}"}),
                 requests=requests("API list"), concurrency=2, warmup=1),
        Scenario("hd_api_list_closed", "GET /api/tickets/?status=4 (token; closed tickets, Minqing's filter)",
                 lambda i: Request("GET", "/api/tickets/?status=4", {"Authorization": f"Token {token}"}),
                 requests=2, concurrency=2, warmup=0, expect_status=(200,)),
        Scenario("hd_list_page", "/tickets/?queue&status (the list page's shell, rows loaded by the request above)",
                 lambda i: page(f"/tickets/?queue={queues[i % len(queues)]}&status={states[i % 3]}"),
                 requests=requests("filtered list"), concurrency=2),
        Scenario("hd_dashboard", "/dashboard/ (a staff member's helpdesk home)", lambda i: page("/dashboard/"),
                 requests=requests("statistics"), concurrency=2, warmup=2),
    ]


# requests per scenario at --requests 1; helpdesk's slow aggregate pages get fewer (the same number on
# both sides of a pair, so each side's percentiles rest on as many samples)
REQUESTS = {"create": 1000, "item page": 300, "filtered list": 200, "statistics": 16, "report": 16, "API list": 16}


def database_pids(dbname: str) -> list[int]:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s AND backend_type = 'client backend' "
                    "AND pid <> pg_backend_pid()", [dbname])
        return [row[0] for row in cur.fetchall()]


def measure(srv: server.Gunicorn, dbname: str, base: str, scenario: Scenario, *, keep_raw: bool = False) -> dict:
    """bench.city.load's measurement: the driver's figures plus the CPU per request of the app workers
    and of this database's PostgreSQL backends, from /proc."""
    driver.warm(base, scenario)
    app_pids, db_pids = srv.worker_pids(), database_pids(dbname)
    app_cpu = {p: server.cpu_seconds([p]) for p in app_pids}
    db_cpu = {p: server.cpu_seconds([p]) for p in db_pids}
    stats = driver.run(base, scenario, keep_raw=keep_raw)
    app_used = sum(server.cpu_seconds([p]) - app_cpu.get(p, 0) for p in srv.worker_pids())
    db_used = sum(server.cpu_seconds([p]) - db_cpu.get(p, 0) for p in database_pids(dbname))
    stats.update(_cpu_figures(stats["requests"], app_used, db_used))
    stats["server_rss_peak_mb"] = srv.peak_rss_mb()
    log(driver.describe(stats))
    return stats


def _cpu_figures(n: int, app_used: float, db_used: float) -> dict:
    # no answered request (all timed out at the driver's 120 s): no cost per request to state
    per_request = (lambda seconds: round(seconds * 1000 / n, 1)) if n else (lambda seconds: None)
    return {"app_cpu_seconds": app_used, "db_cpu_seconds": db_used, "cpu_seconds_total": round(app_used + db_used, 2),
            "app_cpu_ms_per_request": per_request(app_used), "db_cpu_ms_per_request": per_request(db_used),
            "cpu_ms_per_request": per_request(app_used + db_used)}


# A pair's requests are driven in this many alternating rounds (Minqing, helpdesk, Minqing, …) when the pair
# has at least ROUNDS_FROM requests. Why: this machine's speed drifts by 30–60 % within a minute; one long
# block per side let a slow phase fall on one side only (the same code measured 7.6 and 14.4 ms for the
# filtered list in consecutive runs). Alternating short rounds puts both sides in the same phases. The slow
# aggregate pairs (16 requests, seconds each on helpdesk's side) stay one block.
ROUNDS = 4
ROUNDS_FROM = 100


def _round_of(scenario: Scenario, index: int, rounds: int) -> Scenario:
    """The index-th of `rounds` consecutive slices of the scenario's requests (the same requests in all)."""
    start, end = scenario.requests * index // rounds, scenario.requests * (index + 1) // rounds
    return dataclasses.replace(scenario, make=lambda i: scenario.make(start + i), requests=end - start,
                               warmup=scenario.warmup if index == 0 else min(scenario.warmup, 4))


def _merged(parts: list[dict]) -> dict:
    """One scenario's figures from its rounds: counts and CPU added up, percentiles over every request."""
    if len(parts) == 1:
        parts[0].pop("_raw", None)
        return parts[0]
    first = parts[0]
    raw = {key: [x for p in parts for x in p["_raw"][key]] for key in first["_raw"]}
    raw["latencies"].sort()
    statuses: dict[str, int] = {}
    for p in parts:
        for code, count in p["statuses"].items():
            statuses[code] = statuses.get(code, 0) + count
    loads = [x for p in parts for x in p["loadavg_1m"]]
    merged = {
        **{k: v for k, v in first.items() if k != "_raw"},
        **driver.figures(raw, sum(p["seconds"] for p in parts)),
        "ok": sum(p["ok"] for p in parts), "statuses": statuses,
        "errors": [e for p in parts for e in p["errors"]][:5], "loadavg_1m": [min(loads), max(loads)],
        "server_rss_peak_mb": max(p["server_rss_peak_mb"] or 0 for p in parts),
        "rounds": [p["cpu_ms_per_request"] for p in parts],
    }
    merged.update(_cpu_figures(merged["requests"], sum(p["app_cpu_seconds"] for p in parts),
                               sum(p["db_cpu_seconds"] for p in parts)))
    return merged


def measure_pair(pair: Pair, sides: list[tuple], rounds: int) -> list[dict]:
    """Both sides of a pair in alternating rounds; each side's figures merged over its rounds."""
    parts: list[list[dict]] = [[] for _ in sides]
    for index in range(rounds):
        for side, (srv, dbname, base, scenario) in enumerate(sides):
            parts[side].append(measure(srv, dbname, base, _round_of(scenario, index, rounds), keep_raw=rounds > 1))
    return [_merged(side_parts) for side_parts in parts]


def recreate_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base.replace("postgres://", "postgresql://") + "/postgres", autocommit=True) as pg:
        pg.execute(f'DROP DATABASE IF EXISTS "{name}"')
        pg.execute(f'CREATE DATABASE "{name}"')


def rows_in(url: str, table: str) -> int:
    import psycopg

    try:
        with psycopg.connect(url.replace("postgres://", "postgresql://")) as pg:
            return pg.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    except psycopg.Error:
        return -1


def ensure_data(args) -> None:
    minqing_n = rows_in(args.minqing_db, "appeals_appeal")
    manifest = city.WORK / f"manifest-{city.size_label(args.tickets)}.json"
    if minqing_n < args.tickets or not manifest.exists() or args.rebuild:
        log(f"building Minqing's city with {args.tickets:,} demands into {args.minqing_db.rsplit('/', 1)[1]}")
        recreate_database(args.minqing_db)
        subprocess.run([sys.executable, "-m", "bench.city", "build", "--demands", str(args.tickets),
                        "--residents", str(args.residents),
                        # helpdesk has no party, meetings or volunteers: one community of them keeps the home
                        # pages' panels real without the ~100 s of CPU per community the apps' builders take
                        "--app-streets", "1", "--app-communities", "1"],
                       cwd=ROOT, env={**os.environ, "DATABASE_URL": args.minqing_db}, check=True)
    else:
        log(f"reusing Minqing's city: {minqing_n:,} demands")
    helpdesk_n = rows_in(args.helpdesk_db, "helpdesk_ticket")
    if helpdesk_n < args.tickets or args.rebuild:
        log(f"loading helpdesk with {args.tickets:,} tickets into {args.helpdesk_db.rsplit('/', 1)[1]}")
        recreate_database(args.helpdesk_db)
        subprocess.run([helpdesk_python(args), str(PEER / "generate.py"), "build", "--tickets", str(args.tickets)],
                       cwd=PEER, env=helpdesk_env(args), check=True)
    else:
        log(f"reusing helpdesk: {helpdesk_n:,} tickets")


def helpdesk_python(args) -> str:
    python = Path(args.venv) / "bin" / "python"
    if not python.exists():
        raise SystemExit(f"no helpdesk venv at {args.venv}: run bench/peer/setup.sh first")
    return str(python)


def helpdesk_env(args) -> dict:
    return {**{k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")},
            "DJANGO_SETTINGS_MODULE": "hdsite.settings", "PEER_DATABASE_URL": args.helpdesk_db,
            "PEER_QUERY_COUNT": "1", "PYTHONPATH": f"{PEER}{os.pathsep}{ROOT}"}


def helpdesk_prepare(args) -> dict:
    out = subprocess.run([helpdesk_python(args), str(PEER / "generate.py"), "prepare"], cwd=PEER,
                         env=helpdesk_env(args), check=True, capture_output=True, text=True).stdout
    return json.loads(next(line for line in out.splitlines() if line.startswith("RESULT "))[7:])


def helpdesk_version(args) -> dict:
    code = ("import importlib.metadata as m, json; print(json.dumps({p: m.version(p) for p in "
            "('django-helpdesk', 'Django', 'djangorestframework', 'gunicorn', 'psycopg')}))")
    return json.loads(subprocess.run([helpdesk_python(args), "-c", code], capture_output=True, text=True,
                                     check=True).stdout)


def ratio(hd: float | None, mq: float | None) -> float | None:
    if not hd or not mq:
        return None
    return round(hd / mq, 1 if hd / mq >= 10 else 2)


def run(args) -> dict:
    if CLUSTER in (args.minqing_db.rsplit("/", 1)[0], args.helpdesk_db.rsplit("/", 1)[0]):
        pgcluster.start(log=log)
    ensure_data(args)
    tree, commit = city.code_tree(args)
    env = city.environment(args.minqing_db)
    env["MINQING_BENCH_QUERY_COUNT"] = "1"
    env["PYTHONPATH"] = str(tree)
    sys.path.insert(0, str(tree))
    city.django_setup(env)
    from django.core.management import call_command

    from .. import scenarios

    manifest = json.loads((city.WORK / f"manifest-{city.size_label(args.tickets)}.json").read_text())
    call_command("migrate", verbosity=0, interactive=False)
    city.rollups_if_missing(manifest)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=tree, env=env, check=True)
    counts = {k: max(args.min_requests, int(v * args.requests)) for k, v in REQUESTS.items()}
    minqing_plan = {s.name: s for s in scenarios.prepare(manifest, argparse.Namespace(requests=1.0))}
    for pair in PAIRS:  # the same number of requests on both sides of a pair
        minqing_plan[pair.minqing].requests = counts[pair.key]
    prep = helpdesk_prepare(args)
    helpdesk_plan = {s.name: s for s in helpdesk_scenarios(prep, lambda key: counts[key])}
    hd_env = helpdesk_env(args)
    results = {"tickets": args.tickets, "commit": commit, "machine": city.machine(), "requests": counts,
               "helpdesk_versions": helpdesk_version(args), "minqing": {}, "helpdesk": {}, "pairs": [],
               "data": {"minqing_demands": rows_in(args.minqing_db, "appeals_appeal"),
                        "helpdesk_tickets": prep["tickets"], "minqing_build": manifest["build"]}}
    minqing_db, helpdesk_db = args.minqing_db.rsplit("/", 1)[1], args.helpdesk_db.rsplit("/", 1)[1]
    minqing_srv = server.Gunicorn(env, workers=2, port=args.port, log=log, tree=tree, name="gunicorn-peer-minqing")
    helpdesk_srv = server.Gunicorn(hd_env, workers=2, port=args.port + 1, log=log, tree=PEER, app="hdsite.wsgi:application",
                                   gunicorn=str(Path(args.venv) / "bin" / "gunicorn"), ready_path="/login/",
                                   name="gunicorn-peer-helpdesk")
    with minqing_srv, helpdesk_srv:
        results["servers"] = {"minqing": minqing_srv.command_line, "helpdesk": helpdesk_srv.command_line}
        if args.priority and os.geteuid() == 0:
            pids = [os.getpid(), minqing_srv.proc.pid, *minqing_srv.worker_pids(), helpdesk_srv.proc.pid,
                    *helpdesk_srv.worker_pids()]
            results["priority"] = {"niceness": -15, "processes": len(server.prioritise(pids)),
                                   "note": "driver and both servers; the shared PostgreSQL cluster is left as it is"}
        minqing_base, helpdesk_base = f"http://127.0.0.1:{args.port}", f"http://127.0.0.1:{args.port + 1}"
        for pair in PAIRS:
            if args.only and pair.key not in args.only:
                continue
            log(f"— {pair.key}")
            rounds = args.rounds if counts[pair.key] >= ROUNDS_FROM else 1
            mq, hd = measure_pair(pair, [(minqing_srv, minqing_db, minqing_base, minqing_plan[pair.minqing]),
                                         (helpdesk_srv, helpdesk_db, helpdesk_base, helpdesk_plan[pair.helpdesk])],
                                  rounds)
            results["minqing"][pair.minqing], results["helpdesk"][pair.helpdesk] = mq, hd
            results["pairs"].append(pair_row(pair, mq, hd))
        for name in EXTRAS:
            if not args.only:
                results["helpdesk"][name] = measure(helpdesk_srv, helpdesk_db, helpdesk_base, helpdesk_plan[name])
    return results


def pair_row(pair: Pair, mq: dict, hd: dict) -> dict:
    cpu = ratio(hd["cpu_ms_per_request"], mq["cpu_ms_per_request"])
    return {"scenario": pair.key, "minqing": pair.minqing, "helpdesk": pair.helpdesk, "why": pair.why, "goal": pair.goal,
            "ratio_cpu": cpu, "ratio_median": ratio(hd["median_ms"], mq["median_ms"]),
            "ratio_p95": ratio(hd["p95_ms"], mq["p95_ms"]), "meets_goal": bool(cpu and cpu >= pair.goal),
            "errors": {"minqing": mq["requests"] - mq["ok"], "helpdesk": hd["requests"] - hd["ok"]}}


def markdown(results: dict) -> str:
    v = results["helpdesk_versions"]
    lines = [
        f"# Minqing vs django-helpdesk, {results['tickets']:,} demands / tickets, one run",
        "",
        f"Minqing {results['commit']} against django-helpdesk {v['django-helpdesk']} (Django {v['Django']}, DRF "
        f"{v['djangorestframework']}, from PyPI in its own venv), both on PostgreSQL (one shared cluster), gunicorn "
        "2 sync workers each, DEBUG off, driven one after the other by bench/driver.py (pairs of 100 requests or "
        "more in alternating rounds, Minqing then helpdesk, each side's figures over all its rounds). Machine: "
        f"{results['machine']['cpu']}, {results['machine']['cores']} cores shared with other work. "
        f"Data: {results['data']['minqing_demands']:,} demands, {results['data']['helpdesk_tickets']:,} tickets.",
        "",
        "CPU = the gunicorn workers' plus the PostgreSQL backends' CPU per request (from /proc), the figure "
        "that does not depend on what else the machine was doing. Ratio = helpdesk / Minqing (> 1: Minqing faster).",
        "",
        "| scenario | requests | Minqing median / p95 ms | Minqing CPU ms | Minqing queries | helpdesk median / p95 ms "
        "| helpdesk CPU ms | helpdesk queries | ratio CPU | ratio median | goal | |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in results["pairs"]:
        mq, hd = results["minqing"][row["minqing"]], results["helpdesk"][row["helpdesk"]]
        errors = "" if not any(row["errors"].values()) else f" (errors: {row['errors']})"
        lines.append(
            f"| {row['scenario']} | {mq['requests']} | {mq['median_ms']} / {mq['p95_ms']} | {mq['cpu_ms_per_request']} "
            f"| {mq['queries_median']} | {hd['median_ms']} / {hd['p95_ms']} | {hd['cpu_ms_per_request']} "
            f"| {hd['queries_median']} | **{row['ratio_cpu']}×** | {row['ratio_median']}× | ≥ {row['goal']}× "
            f"| {'met' if row['meets_goal'] else 'MISSED'}{errors} |")
    alternated = [row for row in results["pairs"] if results["minqing"][row["minqing"]].get("rounds")]
    if alternated:
        lines += ["", "CPU ms per request in each round (Minqing / helpdesk, alternated in that order): " + "; ".join(
            f"{row['scenario']}: " + ", ".join(
                f"{m} / {h}" for m, h in zip(results["minqing"][row["minqing"]]["rounds"],
                                             results["helpdesk"][row["helpdesk"]]["rounds"]))
            for row in alternated) + "."]
    extras = [n for n in EXTRAS if n in results["helpdesk"]]
    if extras:
        lines += ["", "helpdesk requests without a Minqing counterpart in the table:", "",
                  "| request | median / p95 ms | CPU ms | queries |", "|---|---|---|---|"]
        for name in extras:
            s = results["helpdesk"][name]
            if not s["requests"]:  # every request timed out at the driver (120 s) — gunicorn's own limit too
                lines.append(f"| {s['title']} | no answer within 120 s ({len(s['errors'])} of {len(s['errors'])} "
                             f"timed out; {s['cpu_seconds_total']} s of CPU spent on them) | – | – |")
                continue
            lines.append(f"| {s['title']} | {s['median_ms']} / {s['p95_ms']} | {s['cpu_ms_per_request']} "
                         f"| {s['queries_median']} |")
    loads = [x for side in ("minqing", "helpdesk") for st in results[side].values() for x in st["loadavg_1m"]]
    lines += ["", f"Load average (1 min) on the shared machine during the run: {min(loads)}–{max(loads)}. "
              "Scope: Minqing's pages are a street's staff's, as in bench/scenarios.py (1 street of 8, about an "
              "eighth of the demands; create through community workers' tokens); helpdesk's staff "
              "user sees every queue (helpdesk's default, no per-queue permissions). Minqing's statistics and "
              "report read rollups, whose size does not grow with a street's demands."]
    lines += ["", "What each pair compares:", ""]
    lines += [f"- **{row['scenario']}** ({row['minqing']} / {row['helpdesk']}): {row['why']}." for row in results["pairs"]]
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.peer.compare", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=100_000, help="demands in Minqing = tickets in helpdesk")
    parser.add_argument("--residents", type=int, default=1_000_000, help="Minqing's ledger (helpdesk has none)")
    parser.add_argument("--requests", type=float, default=1.0, help="scale every pair's request count")
    parser.add_argument("--min-requests", type=int, default=8)
    parser.add_argument("--only", nargs="*", help="run only these pairs (by key, e.g. create 'item page')")
    parser.add_argument("--rebuild", action="store_true", help="rebuild both data sets")
    parser.add_argument("--venv", default=os.environ.get("PEER_VENV", "/tmp/peer/hd-venv"))
    parser.add_argument("--minqing-db", default=os.environ.get("MINQING_DATABASE_URL", f"{CLUSTER}/peer_minqing"))
    parser.add_argument("--helpdesk-db", default=os.environ.get("PEER_DATABASE_URL", f"{CLUSTER}/peer_helpdesk"))
    parser.add_argument("--port", type=int, default=8751, help="Minqing here, helpdesk on the next port")
    parser.add_argument("--no-priority", dest="priority", action="store_false")
    parser.add_argument("--tree", help="serve this Minqing tree instead of a snapshot of HEAD")
    parser.add_argument("--rounds", type=int, default=ROUNDS,
                        help=f"alternating rounds per pair of at least {ROUNDS_FROM} requests (1: one block per side)")
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    signal.signal(signal.SIGTERM, lambda *_a: sys.exit(143))
    started = time.time()
    results = run(args)
    results["seconds"] = round(time.time() - started)
    label = city.size_label(args.tickets)
    out = city.RESULTS / f"peer-{label}.json"
    if args.only and out.exists():  # a partial re-run replaces its pairs in the recorded file
        old = json.loads(out.read_text())
        redone = {row["scenario"] for row in results["pairs"]}
        kept = [row for row in old["pairs"] if row["scenario"] not in redone]
        for row in kept:
            results["minqing"][row["minqing"]] = old["minqing"][row["minqing"]]
            results["helpdesk"][row["helpdesk"]] = old["helpdesk"][row["helpdesk"]]
        for name in EXTRAS:
            if name in old["helpdesk"]:
                results["helpdesk"][name] = old["helpdesk"][name]
        order = [p.key for p in PAIRS]
        results["pairs"] = sorted(kept + results["pairs"], key=lambda row: order.index(row["scenario"]))
        results["partial_reruns"] = [*old.get("partial_reruns", []), sorted(redone)]
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1))
    (city.RESULTS / f"peer-{label}.md").write_text(markdown(results))
    log(f"wrote {out.relative_to(ROOT)}")
    print(markdown(results))


if __name__ == "__main__":
    main()

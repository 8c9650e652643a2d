"""Times the rates dashboard and the monthly report in-process on a built city (bench/city.py build):
the rollup rebuild, the street's one-year dashboard read from the rollups and — for comparison — the
same figures recounted from the demands, and the monthly report. Writes bench/results/dashboard-<size>.md.

    DATABASE_URL=postgres://… python -m bench.dashboard [--rebuild] [--repeat 20]
"""
from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def timed(fn, repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()  # warm: caches, plans
    times, queries = [], 0
    for _i in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            fn()
            times.append((time.perf_counter() - started) * 1000)
        queries = len(captured)
    times.sort()
    return {"median": statistics.median(times), "p95": times[max(0, int(len(times) * .95) - 1)],
            "max": times[-1], "queries": queries}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.db.models.functions import Substr

    from minqing.accounts.models import Role, User
    from minqing.appeals.models import Appeal
    from minqing.dashboard import selectors
    from minqing.dashboard.board import dashboard_board
    from minqing.dashboard.models import AppealRollup
    from minqing.dashboard.periods import period_parse
    from minqing.dashboard.report import monthly_report
    from minqing.dashboard.rollups import rollups_rebuild

    lines = []
    demands = Appeal.objects.count()
    if args.rebuild:
        started = time.perf_counter()
        rows = rollups_rebuild()
        lines.append(f"Rollup rebuild: {rows:,} rows from {demands:,} demands in {time.perf_counter() - started:.1f} s.")
    street_code, street_n = (Appeal.objects.annotate(s=Substr("place_code", 1, 9)).values("s")
                             .annotate(n=Count("pk")).order_by("-n").values_list("s", "n")[0])
    actor = User.objects.filter(assignments__role=Role.STREET_STAFF, assignments__place__code=street_code).first()
    if actor is None:  # the city builds street staff; fall back to an admin
        actor = User.objects.filter(is_superuser=True).first()
    period = period_parse("12m")
    year_n = Appeal.objects.filter(place_code__startswith=street_code, submitted_at__gte=period.since,
                                   submitted_at__lt=period.until).count()
    lines.append(f"Data: {demands:,} demands; {AppealRollup.objects.count():,} rollup rows; street {street_code} "
                 f"holds {street_n:,} demands, {year_n:,} of them in the last 12 months ({period.label}).")
    cases = {
        "dashboard page content (dashboard_board: 7 groupings + labels), from rollups":
            lambda: dashboard_board(actor=actor, place_code=street_code, period=period),
        "rates_for(street, 12 months) — the headline figures, from rollups":
            lambda: selectors.rates_for(actor=actor, place_code=street_code, period=period),
        "rates_for(street, 12 months, group_by=category), from rollups":
            lambda: selectors.rates_for(actor=actor, place_code=street_code, period=period, group_by="category"),
        "monthly report (street, last full month; rollups + overdue/reopened lists)":
            lambda: monthly_report(actor=actor, place_code=street_code, month=period.months[-2].strftime("%Y-%m")),
    }
    results = {name: timed(fn, args.repeat) for name, fn in cases.items()}
    original = selectors._uses_rollups
    selectors._uses_rollups = lambda *a: False
    try:
        results["the same dashboard content recounted from the demands (no rollups)"] = timed(
            lambda: dashboard_board(actor=actor, place_code=street_code, period=period), max(3, args.repeat // 5))
        results["rates_for(street, 12 months) recounted from the demands"] = timed(
            lambda: selectors.rates_for(actor=actor, place_code=street_code, period=period), max(3, args.repeat // 5))
    finally:
        selectors._uses_rollups = original
    lines += ["", "| case | median ms | p95 ms | max ms | queries |", "|---|---:|---:|---:|---:|"]
    lines += [f"| {name} | {r['median']:.1f} | {r['p95']:.1f} | {r['max']:.1f} | {r['queries']} |"
              for name, r in results.items()]
    vendor = f"{connection.vendor} {connection.pg_version if connection.vendor == 'postgresql' else ''}"
    header = (f"# Rates dashboard — {demands:,} demands ({vendor.strip()})\n\n"
              "In-process timings (Django ORM + database, no HTTP), warm, on the shared 2-vCPU machine; "
              "`python -m bench.dashboard`.\n\n")
    text = header + "\n".join(lines) + "\n"
    RESULTS.mkdir(exist_ok=True)
    label = f"{demands // 1000}k" if demands < 1_000_000 else f"{demands / 1e6:g}M"
    (RESULTS / f"dashboard-{label}.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()

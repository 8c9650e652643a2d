"""Why is a scenario slow? One request in-process: its queries with their times, EXPLAIN ANALYZE of
the slowest, and optionally a pyinstrument profile of the Python side.

    .venv/bin/python -m bench.profile --demands 1000000 todo_page [--explain 3] [--python]
"""
from __future__ import annotations

import argparse
import time

from . import city


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario")
    parser.add_argument("--demands", type=int, default=100_000)
    parser.add_argument("--explain", type=int, default=2)
    parser.add_argument("--python", action="store_true", help="pyinstrument profile of the request")
    parser.add_argument("--tree", help="profile this code tree (default: a snapshot of HEAD)")
    parser.add_argument("--i", type=int, default=3, help="which request of the scenario")
    args = parser.parse_args(argv)
    parser_tree = args.tree if hasattr(args, "tree") else None
    args.requests, args.tree = 1.0, parser_tree
    _tree, plan, call = city.in_process(args)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call(plan[args.scenario].make(args.i))  # warm
    req = plan[args.scenario].make(args.i + 1)
    profiler = None
    if args.python:
        from pyinstrument import Profiler

        profiler = Profiler()
        profiler.start()
    with CaptureQueriesContext(connection) as ctx:
        t = time.perf_counter()
        response = call(req)
        elapsed = (time.perf_counter() - t) * 1000
    if profiler:
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False))
    print(f"{req.method} {req.path} → {response.status_code} in {elapsed:.1f} ms, {len(ctx.captured_queries)} queries")
    queries = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))
    for q in queries:
        print(f"  {float(q['time']) * 1000:7.1f} ms  {q['sql'][:300]}")
    for q in queries[:args.explain]:
        if not q["sql"].lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cur:
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
            print("\n" + q["sql"][:600] + "\n" + "\n".join(r[0] for r in cur.fetchall()))


if __name__ == "__main__":
    main()

"""CPU per request, in-process, for comparing two code trees on a loaded machine (issue 19).

    DATABASE_URL=… BENCH_VAR=… .venv/bin/python -m bench.cpu --demands 20000 [--tree DIR] home_page api_submit …

Each scenario's requests (the same ones `bench.city load` sends) go through Django's test client in this
process, after three warm-up requests: the process CPU time (`time.process_time`) and the queries of each
request are recorded, and the median and minimum printed. The database's CPU is not included. Run the
"before" and "after" trees one after the other: on a shared machine the load changes by the minute and
CPU time per request grows with it (shared caches, SMT), so compare runs made together.
"""
from __future__ import annotations

import argparse
import statistics
import time

from . import city


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("scenarios", nargs="+")
    parser.add_argument("--demands", type=int, default=20_000)
    parser.add_argument("--n", type=int, default=30, help="measured requests per scenario")
    parser.add_argument("--tree", default=".", help="the code tree to run (default: this one)")
    args = parser.parse_args(argv)
    args.requests = 0.3
    tree, plan, call = city.in_process(args)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    print(f"tree {tree}")
    for name in args.scenarios:
        scenario = plan[name]
        for i in range(3):
            call(scenario.make(i))
        cpu, queries, statuses = [], [], set()
        for i in range(3, 3 + args.n):
            with CaptureQueriesContext(connection) as ctx:
                started = time.process_time()
                statuses.add(call(scenario.make(i)).status_code)
                cpu.append((time.process_time() - started) * 1000)
            queries.append(len(ctx.captured_queries))
        print(f"{name:16s} cpu ms median {statistics.median(cpu):6.1f} min {min(cpu):6.1f}   "
              f"queries median {statistics.median(queries):4.0f} max {max(queries):3d}   status {sorted(statuses)}")


if __name__ == "__main__":
    main()

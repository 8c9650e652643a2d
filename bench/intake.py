"""Intake through the service layer, without HTTP: `appeal_submit` called in a loop by one process per
core for a fixed number of demands each, against a built city (issue 4 item 13).

    .venv/bin/python -m bench.intake --demands 1000000 [--processes 2] [--each 300]

Each call is the real service: permission check, validation, receipt code, service level and
deadline from the working-day calendar, the demand row, its timeline event, its audit row, the
rollup's dirty-day mark, and the notifications on commit. Appends to bench/results/intake-<size>.json.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import sys
import time

from . import city


def _worker(args_tuple):
    size_demands, each, offset, tree = args_tuple
    sys.path.insert(0, tree)
    import django

    django.setup()
    from minqing.accounts.models import User
    from minqing.appeals.services import appeal_submit
    from minqing.appeals.taxonomy import Category
    from minqing.places.models import Place

    community = Place.objects.filter(kind="community").order_by("code")[offset % 8]
    user = User.objects.get(username=f"worker{community.code[-6:]}1")
    buildings = list(Place.objects.filter(kind="building", code__startswith=community.code))
    categories = list(Category.objects.filter(parent__isnull=False))
    appeal_submit(actor=user, place=buildings[0], text="预热：楼道灯坏了，请维修。", channel="phone")  # warm
    times = []
    started = time.perf_counter()
    for i in range(each):
        t = time.perf_counter()
        appeal_submit(actor=user, place=buildings[i % len(buildings)], channel="phone",
                      text=f"楼道灯坏了，晚上老人出门不安全，请尽快维修（压测 {offset}-{i}）。",
                      category=categories[i % len(categories)], phone=f"139{(offset * 100000 + i):08d}",
                      reporter_name="王秀兰")
        times.append((time.perf_counter() - t) * 1000)
    return time.perf_counter() - started, times


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--demands", type=int, default=100_000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--each", type=int, default=300)
    parser.add_argument("--tree")
    args = parser.parse_args(argv)
    dsn = city.database_url(args, fresh=False)
    tree, commit = city.code_tree(args)
    env = city.environment(dsn)
    os.environ.update(env)
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(args.processes) as pool:
        out = pool.map(_worker, [(args.demands, args.each, p, str(tree)) for p in range(args.processes)])
    wall = time.perf_counter() - started
    times = sorted(t for _s, ts in out for t in ts)
    total = len(times)
    slowest_process = max(s for s, _ts in out)
    result = {
        "demands": args.demands, "commit": commit, "processes": args.processes, "submitted": total,
        "per_second": round(total / slowest_process, 1), "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(0.95 * (total - 1))], 1), "wall_seconds_including_startup": round(wall, 1),
        "loadavg_1m": [round(load_before, 2), round(os.getloadavg()[0], 2)], "machine": city.machine(),
    }
    print(json.dumps(result, ensure_ascii=False))
    path = city.RESULTS / f"intake-{city.size_label(args.demands)}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()

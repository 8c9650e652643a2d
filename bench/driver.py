"""A small bounded load driver: a fixed number of requests at a fixed concurrency, over keep-alive
HTTP/1.1 connections on loopback. Each thread owns one connection and takes the next request from a
shared counter; latency is measured around the whole request/response, as a browser would see it.

Reports requests/s, median/p95/p99/max latency, errors, and the server's query count per request
(the X-Query-Count header of bench.querycount).
"""
from __future__ import annotations

import http.client
import itertools
import os
import statistics
import threading
import time
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urlsplit


@dataclass
class Request:
    method: str
    path: str
    headers: dict = field(default_factory=dict)
    body: bytes | None = None


@dataclass
class Scenario:
    name: str
    title: str
    make: Callable[[int], Request]  # i → the i-th request (varying ids, filters, bodies)
    requests: int = 400
    concurrency: int = 4
    target_p95_ms: float | None = None
    target_rps: float | None = None
    expect_status: tuple = (200,)
    warmup: int = 10
    note: str = ""


def _percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return 0.0
    k = (len(sorted_values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


def _connection(base: str) -> http.client.HTTPConnection:
    parts = urlsplit(base)
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)


def _send(conn, req: Request):
    conn.request(req.method, req.path, body=req.body, headers={"Host": "127.0.0.1", **req.headers})
    resp = conn.getresponse()
    body = resp.read()
    return resp.status, (resp.getheader("X-Query-Count"), resp.getheader("X-DB-Ms"), resp.getheader("X-CPU-Ms")), body


def warm(base: str, scenario: Scenario) -> None:
    """A few requests first (not counted): imports, template compilation, connections in each worker. Sent
    over as many connections at once as the run will use: on one keep-alive connection every warm-up request
    went to the same worker and the other met the measured requests cold (the first of four rounds of the
    filtered list cost 20.4 ms of CPU a request, the other three 6.2–6.8)."""
    def send(first: int, count: int):
        conn = _connection(base)
        for i in range(first, first + count):
            _send(conn, scenario.make(10_000_000 + i))
        conn.close()

    lanes = max(1, min(scenario.concurrency, scenario.warmup))
    share = -(-scenario.warmup // lanes)
    threads = [threading.Thread(target=send, args=(lane * share, min(share, scenario.warmup - lane * share)))
               for lane in range(lanes)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def run(base: str, scenario: Scenario, *, keep_raw: bool = False) -> dict:
    """Drive the scenario; with keep_raw, the answer also holds its per-request figures under "_raw" (for a
    caller that merges several runs: bench.peer.compare's rounds)."""
    counter = itertools.count()
    lock = threading.Lock()
    latencies, queries, statuses, errors = [], [], {}, []
    db_ms, cpu_ms = [], []

    def worker():
        conn = _connection(base)
        while True:
            i = next(counter)
            if i >= scenario.requests:
                break
            req = scenario.make(i)
            t = time.perf_counter()
            try:
                status, qc, body = _send(conn, req)
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = _connection(base)
                with lock:
                    errors.append(repr(exc))
                continue
            elapsed = (time.perf_counter() - t) * 1000
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1
                if qc[0] is not None:
                    queries.append(int(qc[0]))
                    db_ms.append(float(qc[1]))
                    cpu_ms.append(float(qc[2]))
                if status not in scenario.expect_status and len(errors) < 5:
                    errors.append(f"{status} {req.method} {req.path}: {body[:200]!r}")
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(scenario.concurrency)]
    load_before = os.getloadavg()[0]
    started, driver_cpu = time.perf_counter(), time.process_time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall, driver_cpu = time.perf_counter() - started, time.process_time() - driver_cpu
    lat = sorted(latencies)
    ok = sum(n for s, n in statuses.items() if s in scenario.expect_status)
    raw = {"latencies": lat, "queries": queries, "db_ms": db_ms, "cpu_ms": cpu_ms}
    return {
        "name": scenario.name, "title": scenario.title, "concurrency": scenario.concurrency,
        "ok": ok, "statuses": {str(k): v for k, v in sorted(statuses.items())}, "errors": errors[:5],
        **figures(raw, wall), "driver_cpu_ms_per_request": round(driver_cpu * 1000 / max(1, len(lat)), 2),
        "loadavg_1m": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "target_p95_ms": scenario.target_p95_ms, "target_rps": scenario.target_rps, "note": scenario.note,
        **({"_raw": raw} if keep_raw else {}),
    }


def figures(raw: dict, seconds: float) -> dict:
    """Rate, latency percentiles and per-request server figures of requests (raw: their sorted latencies and
    the X-Query-Count / X-DB-Ms / X-CPU-Ms values) that took `seconds` of wall clock."""
    lat, queries, db_ms, cpu_ms = raw["latencies"], raw["queries"], raw["db_ms"], raw["cpu_ms"]
    return {
        "requests": len(lat), "seconds": round(seconds, 2), "rps": round(len(lat) / seconds, 1) if seconds else 0,
        "median_ms": round(_percentile(lat, 0.5), 1), "p95_ms": round(_percentile(lat, 0.95), 1),
        "p99_ms": round(_percentile(lat, 0.99), 1), "max_ms": round(lat[-1], 1) if lat else 0,
        "mean_ms": round(statistics.fmean(lat), 1) if lat else 0,
        "queries_median": statistics.median(queries) if queries else None,
        "queries_max": max(queries) if queries else None,
        "db_ms_median": round(statistics.median(db_ms), 1) if db_ms else None,
        "server_cpu_ms_median": round(statistics.median(cpu_ms), 1) if cpu_ms else None,
    }


def verdict(stats: dict) -> str:
    misses = []
    if stats["ok"] < stats["requests"] or stats["errors"]:
        misses.append("errors")
    if stats.get("target_p95_ms") and stats["p95_ms"] > stats["target_p95_ms"]:
        misses.append(f"p95>{stats['target_p95_ms']:.0f}ms")
    if stats.get("target_rps") and stats["rps"] < stats["target_rps"]:
        misses.append(f"rps<{stats['target_rps']:.0f}")
    return "MISS " + ", ".join(misses) if misses else "ok"


def describe(stats: dict) -> str:
    return (f"{stats['name']:<24} {stats['rps']:>7.1f} req/s  median {stats['median_ms']:>6.1f} ms  "
            f"p95 {stats['p95_ms']:>6.1f} ms  cpu app {stats.get('app_cpu_ms_per_request')} db {stats.get('db_cpu_ms_per_request')} "
            f"→ {stats.get('capacity_rps_on_2_free_cores')}/s  driver {stats.get('driver_cpu_ms_per_request')}  queries {stats['queries_median']}/{stats['queries_max']}  "
            f"ok {stats['ok']}/{stats['requests']}  rss {stats.get('server_rss_peak_mb')} MB  {verdict(stats)}")

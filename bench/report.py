"""Results → a markdown table (bench/results/city-<size>.md) and the growth plot (docs/performance-latency.png)."""
from __future__ import annotations

import json
from pathlib import Path

from .driver import verdict

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def markdown(results: dict) -> str:
    b, m = results["build"], results["machine"]
    lines = [
        f"# City benchmark — {results['demands']:,} demands",
        "",
        f"Machine: {m['cpu']}, {m['cores']} vCPUs, {m['memory_gb']} GB RAM; {m['postgresql']}; "
        f"Python {m['python']}. {m['note']}. Calibration (a fixed Python loop, bench.city.calibration_ms): "
        f"{m.get('calibration_ms', 'not recorded')} ms.",
        f"Server: `{results['server']['command']}`, bench.settings (production settings, DEBUG off); "
        f"peak RSS per worker {results['server']['peak_rss_mb_per_worker']} MB. Code: commit "
        f"{results.get('commit', '?')} (a snapshot of HEAD); bench processes at nice "
        f"{results.get('priority', {}).get('niceness', 0)}.",
        "",
        f"Data set: {b['streets']} streets, {b['communities']} communities, {b['buildings']:,} buildings, "
        f"{b['residents']:,} residents, {b['demands']:,} demands, {b['rows_total']:,} rows in all "
        f"({b['database_size']}). Built in {b['seconds']['total']:.0f} s: COPY at "
        f"{b['copy_rows_per_second']:,} rows/s while generating, {b['rows_per_second_overall']:,} rows/s overall "
        f"including index builds and VACUUM ANALYZE.",
        "",
        "Latency is measured by the load driver over loopback on a machine whose 2 vCPUs are shared with other",
        "engineers' builds and tests (load average in the JSON, `loadavg_1m`): it includes waiting for a core.",
        "`CPU ms/req` is what a request actually costs — the gunicorn workers' and the PostgreSQL backends' CPU",
        "time during the scenario divided by its requests — and `capacity` = 2 cores ÷ that cost: the rate the",
        "same two cores would sustain with nothing else running.",
        "",
        "| scenario | req | conc | req/s | median ms | p95 ms | queries/req | CPU ms/req app + db | capacity req/s | target | verdict |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for s in results["scenarios"]:
        target = (f"p95 < {s['target_p95_ms']:.0f} ms" if s.get("target_p95_ms")
                  else f"≥ {s['target_rps']:.0f}/s" if s.get("target_rps") else "")
        q = "" if s["queries_median"] is None else (
            f"{s['queries_median']:g}" if s["queries_median"] == s["queries_max"]
            else f"{s['queries_median']:g} (max {s['queries_max']})")
        cpu = (f"{s['app_cpu_ms_per_request']} + {s['db_cpu_ms_per_request']}"
               if s.get("app_cpu_ms_per_request") is not None else "")
        lines.append(f"| {s['name']} — {s['title']} | {s['requests']} | {s['concurrency']} | {s['rps']} | "
                     f"{s['median_ms']} | {s['p95_ms']} | {q} | {cpu} | {s.get('capacity_rps_on_2_free_cores') or ''} | "
                     f"{target} | {verdict(s)} |")
    lines += ["", "Rows generated: " + ", ".join(f"{k} {v:,}" for k, v in b["rows"].items()) + "."]
    return "\n".join(lines) + "\n"


def plot(out: Path = ROOT / "docs" / "performance-latency.png") -> Path:
    """Two panels against data size: p95 latency as measured, and CPU cost per request (app + database)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    runs = sorted((json.loads(p.read_text()) for p in RESULTS.glob("city-*.json")), key=lambda r: r["demands"])
    names = []
    for r in runs:
        names += [s["name"] for s in r["scenarios"] if s["name"] not in names]
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 6), dpi=100)
    colours = plt.get_cmap("tab20").colors
    markers = "osD^v<>ph*"
    for n, name in enumerate(names):
        xs, p95, cost = [], [], []
        for r in runs:
            for s in r["scenarios"]:
                if s["name"] == name:
                    xs.append(r["demands"])
                    p95.append(s["p95_ms"])
                    cost.append((s.get("app_cpu_ms_per_request") or 0) + (s.get("db_cpu_ms_per_request") or 0))
        style = {"color": colours[n % 20], "marker": markers[n % len(markers)], "label": name}
        left.plot(xs, p95, **style)
        right.plot(xs, cost, **style)
    for ax in (left, right):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("demands in the database")
        ax.grid(True, which="both", alpha=0.3)
    left.axhline(100, color="grey", linestyle="--", linewidth=0.8)
    left.axhline(500, color="grey", linestyle=":", linewidth=0.8)
    left.set_ylabel("p95 latency, ms (shared machine: includes waiting for a core)")
    left.set_title("p95 latency as measured (--- 100 ms reads, ··· 500 ms reports)", fontsize=10)
    right.set_ylabel("CPU ms per request (gunicorn workers + PostgreSQL)")
    right.set_title("what a request costs: flat = does not grow with data", fontsize=10)
    right.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5))
    fig.suptitle("Minqing on PostgreSQL 15, 2 vCPUs, gunicorn 2 workers")
    fig.tight_layout()
    fig.savefig(out)
    return out


def growth_table() -> str:
    """p95 latency and CPU cost per request for every scenario, one column pair per data size."""
    runs = sorted((json.loads(p.read_text()) for p in RESULTS.glob("city-*.json")), key=lambda r: r["demands"])
    sizes = [f"{r['demands']:,}" for r in runs]
    head = "| scenario | " + " | ".join(f"p95 ms @ {s}" for s in sizes) + " | " + \
        " | ".join(f"CPU ms/req @ {s}" for s in sizes) + " | queries/req |"
    lines = [head, "|---|" + "---:|" * (2 * len(runs) + 1)]
    names = []
    for r in runs:
        names += [s["name"] for s in r["scenarios"] if s["name"] not in names]
    for name in names:
        rows = [next((s for s in r["scenarios"] if s["name"] == name), None) for r in runs]
        p95 = [str(s["p95_ms"]) if s else "—" for s in rows]
        cpu = [f"{s['app_cpu_ms_per_request'] + s['db_cpu_ms_per_request']:.1f}"
               if s and s.get("app_cpu_ms_per_request") is not None else "—" for s in rows]
        queries = sorted({f"{s['queries_max']}" for s in rows if s and s.get("queries_max") is not None})
        lines.append(f"| {name} | " + " | ".join(p95) + " | " + " | ".join(cpu) + f" | {' / '.join(queries)} |")
    return "\n".join(lines) + "\n"

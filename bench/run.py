"""`make bench`: throughput and latency of the main pages under the production server.

For each database (SQLite, then PostgreSQL when it is reachable) this prepares fresh databases,
seeds a signed-in person with fifty encounters (bench/prepare.py), starts granian as production
does and loads one page after another with wrk, so that every figure of a table comes from
the same server and the same run; then check-in submits arrive at a fixed rate
(bench/openloop.py), and the CPU of each stage of a request is measured in process
(bench/hotspots.py --split). It then rewrites the measured part of docs/performance.md;
everything outside its markers (the findings) is kept as written.

With a Redis server at BENCH_REDIS_URL (default: database 13 on the local one, emptied at the
start) the app runs as it does with `REDIS_URL`: sessions and the signed-in person from the
cache. BENCH_SECONDS shortens the runs for a quick trial; BENCH_POSTGRES_URL names another
server.

The pieces live beside it: bench/config.py (paths, the load's shape, the pages),
bench/targets.py (the databases and the seeded person), bench/servers.py (granian),
bench/load.py (wrk, the open loop, CPU accounting) and bench/report.py (the goals and the
measured section).
"""

import json
import signal
import sys

from config import (
    BENCH_DIR,
    CONNECTIONS,
    DOC,
    OPEN_LOOP_RATE,
    PAGES,
    PY,
    ROOT,
    SECONDS,
    WARMUP_SECONDS,
    run,
)
from load import ensure_wrk, load, open_loop, settle, wrk_command
from report import Measured, goal_verdict, measured_section, warnings, write_doc
from servers import check_pages, server
from targets import Target, fresh_redis, postgres_target, prepare, sqlite_target


def split_in_process(target: Target) -> dict[str, dict[str, float]]:
    """CPU per stage of each page, in process on the target's data (no server running)."""
    pages = ["baseline", "signed-in", "dashboard", "checkin", "insights"]
    return json.loads(run([PY, "bench/hotspots.py", "--split", *pages], target.env))


def measure(target: Target) -> Measured:
    print(f"\n== {target.version}: preparing fresh databases and the bench person")
    seed = prepare(target)
    results = {}
    with server(target) as srv:
        check_pages(srv.port, seed)
        for page in PAGES:
            # Each page right after its own warm-up, so that the dashboard is measured before
            # any check-in submit has added to the person's data.
            run(wrk_command(srv.port, page, seed, WARMUP_SECONDS))
            settle(srv)
            print(f"{page.label}: {SECONDS} s at {CONNECTIONS} connections ...", flush=True)
            result = results[page.key] = load(srv, page, seed)
            print(
                f"  {result.requests_per_s:8.1f} req/s  p50 {result.p50_ms:6.1f} ms"
                f"  p99 {result.p99_ms:6.1f} ms  server CPU {result.server_cpu_ms:5.2f} ms/req"
                f"  errors {result.errors}  others {result.others_cores:.2f} cores"
            )
        settle(srv)
        print(f"open loop: {OPEN_LOOP_RATE:.0f} submits/s for {SECONDS} s ...", flush=True)
        loop = open_loop(srv, seed, OPEN_LOOP_RATE, SECONDS)
        print(
            f"  answered {loop['answered']}/{loop['sent']}  p50 {loop['p50_ms']:.1f} ms"
            f"  p99 {loop['p99_ms']:.1f} ms  max {loop['max_ms']:.1f} ms  errors {loop['errors']}"
        )
    print("CPU per stage, in process ...", flush=True)
    return Measured(results, loop, split_in_process(target))


def main() -> None:
    # A stop from outside still runs the cleanup below, so no server outlives the bench.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    ensure_wrk()
    BENCH_DIR.mkdir(exist_ok=True)
    redis_url = fresh_redis()
    runs = [(target := sqlite_target(redis_url), measure(target))]
    skipped = []
    postgres = postgres_target(redis_url)
    if postgres:
        runs.append((postgres, measure(postgres)))
    else:
        skipped.append("PostgreSQL was not reachable in this run: no figures for it.")
    write_doc(measured_section(runs, skipped, redis_url))
    for target, measured in runs:
        print(f"{target.version}: {goal_verdict(measured)}")
        for warning in warnings(measured.pages):
            print(f"  {warning}")
    print(f"\nWrote {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

"""How many threads per worker suit SQLite: check-in submits at 20 connections, by threads.

SQLite lets one writer in at a time; a waiting writer sleeps in its busy handler and may lose
the lock again and again, so more threads can mean more writers queued, not more answers.
This starts granian as bench/run.py does with each number of threads in turn (fresh data each
time) and prints, per number, the submit's requests/s, p50, p99 and errors under wrk, and the
open loop's p99 at bench/run.py's rate. `scripts/run` takes its SQLite default from here.

    .venv/bin/python bench/threads.py [THREADS ...]   (default: 2 4 8)
"""

import sys

# bench/ is on the path: Python puts a script's own folder first.
from config import (
    BENCH_DIR,
    CONNECTIONS,
    OPEN_LOOP_RATE,
    PAGES,
    SECONDS,
    WARMUP_SECONDS,
    run,
)
from load import ensure_wrk, load, open_loop, wrk_command
from servers import check_pages, server
from targets import fresh_redis, prepare, sqlite_target


def main(choices: list[int]) -> None:
    ensure_wrk()
    BENCH_DIR.mkdir(exist_ok=True)
    target = sqlite_target(fresh_redis())
    submit = next(page for page in PAGES if page.key == "checkin")
    rows = []
    for threads in choices:
        seed = prepare(target)
        with server(target, threads) as srv:
            check_pages(srv.port, seed)
            run(wrk_command(srv.port, submit, seed, WARMUP_SECONDS))
            print(f"{threads} threads: {SECONDS} s at {CONNECTIONS} connections ...", flush=True)
            result = load(srv, submit, seed)
            loop = open_loop(srv, seed, OPEN_LOOP_RATE, SECONDS)
        rows.append(
            f"| {threads} | {result.requests_per_s:,.0f} | {result.p50_ms:.0f} ms "
            f"| {result.p99_ms:,.0f} ms | {result.errors} | {result.server_cpu_ms:.2f} ms "
            f"| {loop['p99_ms']:.0f} ms | {result.others_cores:.2f} |"
        )
        print(rows[-1], flush=True)
    print(
        "\n| Threads per worker | Submits/s | p50 | p99 | Errors | Server CPU per submit "
        f"| Open loop p99 at {OPEN_LOOP_RATE:.0f}/s | Other processes' cores |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    print("\n".join(rows))


if __name__ == "__main__":
    main([int(n) for n in sys.argv[1:]] or [2, 4, 8])

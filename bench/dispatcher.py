"""`make bench`, second part: the follow-up dispatcher, against django-tasks-db's own worker.

For each database (SQLite, then PostgreSQL when it is reachable) this prepares fresh databases
and measures:

- throughput: COUNT due follow-ups (100,000 unless --count says otherwise) for people with no
  channel, so each is delivered to the in-app inbox only, sent by `manage.py dispatch
  --until-idle` with 1 worker (and 2 on PostgreSQL), with the default batch;
- the baseline: COUNT no-op tasks (bench/noop_tasks.py) run by django-tasks-db's own
  `manage.py db_worker --batch`, with as many workers. The task rows are inserted in bulk, as
  copies of one real `enqueue()`: enqueueing them one by one would take longer than running
  them;
- lateness at a steady load: follow-ups falling due at a fixed rate (500/s for 20 s unless told
  otherwise, below one worker's capacity) while one `manage.py dispatch` runs as in production
  (default poll and batch); lateness is `sent_at - due_at`.

Rates count what was done after the first batch of follow-ups (they share their sent_at) or
the first task, until the last, so Django's start-up (about a second per process) is left out;
the wall time with it is shown too. Every run is checked: all
sent, one "delivered" event and one inbox line each, or all tasks successful.

It then rewrites the part of docs/performance.md between its markers. `--count 5000
--steady-seconds 5 --no-doc` makes a quick trial. BENCH_POSTGRES_URL names the server (its
database name is replaced by softlanding_bench_dispatch).

bench/dispatcher_seed.py does the database work inside Django for the runs above.
"""

import argparse
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

# bench/ is on the path: Python puts a script's own folder first.
from config import BENCH_DIR, DOC, PY, ROOT, run
from dispatcher_report import (
    DB_WORKER,
    DISPATCH,
    PEOPLE,
    Measured,
    Run,
    Steady,
    Target,
    section,
    verdict,
    write_doc,
)
from load import children_cpu_seconds, machine_busy_seconds
from targets import base_env, fresh_postgres

DATABASE = "softlanding_bench_dispatch"
COUNT = 100_000
STEADY_RATE = 500
STEADY_SECONDS = 20
# The steady load is written once the dispatcher runs, and begins to fall due this long after:
# time to write it all before it is due.
STEADY_LEAD = 3.0


# ---------------------------------------------------------------------------------------------
# The bench: starts the workers and measures from outside.


def helper(target: Target, step: str, *args: str) -> dict:
    return json.loads(run([PY, "bench/dispatcher_seed.py", step, *args], target.env))


def sqlite_target() -> Target:
    data = ".bench/dispatch-sqlite"
    shutil.rmtree(ROOT / data, ignore_errors=True)
    return Target("SQLite", base_env(data), f"SQLite {sqlite3.sqlite_version}", None)


def postgres_target() -> Target | None:
    made = fresh_postgres(DATABASE)
    if made is None:
        return None
    url, label = made
    data = ".bench/dispatch-postgres"
    shutil.rmtree(ROOT / data, ignore_errors=True)
    return Target("PostgreSQL", base_env(data, DATABASE_URL=url), label, DATABASE)


class ServerCPU:
    """CPU time of the PostgreSQL backends serving one database, sampled while they live
    (a backend's own time is gone from /proc once its client disconnects)."""

    def __init__(self, database: str | None):
        self.marker = f" {database} " if database else None
        self.seen: dict[int, float] = {}
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.sample_until_done, daemon=True)

    def __enter__(self) -> "ServerCPU":
        if self.marker:
            self.thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.done.set()
        if self.marker:
            self.thread.join()

    def sample_until_done(self) -> None:
        while True:
            self.sample()
            if self.done.wait(0.2):
                self.sample()
                return

    def sample(self) -> None:
        ticks = os.sysconf("SC_CLK_TCK")
        if self.marker is None:
            return
        for proc in Path("/proc").glob("[0-9]*"):
            try:
                title = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                if not title.startswith("postgres:") or self.marker not in title:
                    continue
                fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            self.seen[int(proc.name)] = (int(fields[11]) + int(fields[12])) / ticks

    @property
    def seconds(self) -> float:
        return sum(self.seen.values())


def start(target: Target, command: list[str]) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - our own fixed commands
        [PY, *command],
        cwd=ROOT,
        env=target.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def timed(target: Target, command: list[str], workers: int, timeout: float) -> tuple:
    """Run WORKERS copies of a command to the end: (wall s, their CPU s, database CPU s,
    machine busy cores)."""
    before = (machine_busy_seconds(), children_cpu_seconds())
    started = time.monotonic()
    processes: list[subprocess.Popen] = []
    with ServerCPU(target.database) as server:
        try:
            processes = [start(target, command) for _ in range(workers)]
            for process in processes:
                _out, err = process.communicate(timeout=max(timeout, 1))
                if process.returncode != 0:
                    raise SystemExit(f"bench: `{' '.join(command)}` failed:\n{err}")
        finally:
            stop(processes)
    wall = time.monotonic() - started
    busy = (machine_busy_seconds() - before[0]) / wall
    return wall, children_cpu_seconds() - before[1], server.seconds, busy


def dispatch_run(target: Target, count: int, workers: int) -> Run:
    print(f"dispatch: {count:,} due follow-ups, {workers} worker(s) ...", flush=True)
    helper(target, "_seed", "--count", str(count))
    wall, cpu, db_cpu, busy = timed(target, DISPATCH, workers, timeout=60 + count / 50)
    stats = helper(target, "_followup_stats")
    expected = {"sent": count, "scheduled": 0, "delivered_events": count, "inbox": count}
    got = {key: stats[key] for key in expected}
    if got != expected or stats["duplicates"]:
        raise SystemExit(f"bench: the dispatcher's run went wrong: {stats}")
    result = Run(
        "dispatch", workers, count, stats["after_first"], stats["seconds"], wall, cpu, db_cpu, busy
    )
    report(result)
    return result


def db_worker_run(target: Target, count: int, workers: int) -> Run:
    print(f"db_worker: {count:,} no-op tasks, {workers} worker(s) ...", flush=True)
    seeded = helper(target, "_seed_tasks", "--count", str(count))
    if seeded["count"] != count or seeded["task_path"] != "bench.noop_tasks.noop":
        raise SystemExit(f"bench: the no-op tasks were not queued as expected: {seeded}")
    wall, cpu, db_cpu, busy = timed(target, DB_WORKER, workers, timeout=60 + count / 20)
    stats = helper(target, "_task_stats")
    if stats["successful"] != count or stats["other"]:
        raise SystemExit(f"bench: the task worker's run went wrong: {stats}")
    result = Run(
        "db_worker", workers, count, stats["after_first"], stats["seconds"], wall, cpu, db_cpu, busy
    )
    report(result)
    return result


def report(r: Run) -> None:
    print(
        f"  {r.rate:8,.0f}/s ({r.per_worker:,.0f} per worker) in {r.seconds:.1f} s "
        f"(wall {r.wall:.1f} s); worker CPU {1000 * r.worker_cpu / r.items:.3f} ms, "
        f"database server CPU {1000 * r.db_cpu / r.items:.3f} ms per item; "
        f"machine busy {r.busy:.2f} cores"
    )


def steady_run(target: Target, rate: float, seconds: float) -> Steady:
    count = round(rate * seconds)
    print(f"steady load: {rate:,.0f} follow-ups/s for {seconds:.0f} s, 1 worker ...", flush=True)
    helper(target, "_seed", "--count", "0")
    worker = start(target, ["manage.py", "dispatch"])
    try:
        # Written once the worker has done its first round, falling due from STEADY_LEAD s on.
        seeded = helper(
            target,
            *("_seed", "--keep", "--wait-for-worker", "--count", str(count)),
            *("--rate", str(rate), "--lead", str(STEADY_LEAD)),
        )
        if seeded["late_by"] > 0:
            print(f"  ⚠ written {seeded['late_by']:.1f} s after the first fell due")
        # The seed's own exit took some of the lead: the last one falls due before this.
        time.sleep(max(-seeded["late_by"], 0) + seconds)
        stats = helper(target, "_followup_stats", "--wait", "60")
    finally:
        stop([worker])
    if stats["sent"] != count or stats["duplicates"]:
        raise SystemExit(f"bench: the steady run went wrong: {stats}")
    result = Steady(
        rate, seconds, count, stats["lateness_p50"], stats["lateness_p99"], stats["lateness_max"]
    )
    print(f"  lateness p50 {result.p50:.3f} s, p99 {result.p99:.3f} s, max {result.max:.3f} s")
    return result


def measure(target: Target, count: int, workers: list[int], rate: float, seconds: float):
    print(f"\n== {target.version}: fresh databases, {PEOPLE} people without channels")
    helper(target, "_setup")
    dispatch = [dispatch_run(target, count, k) for k in workers]
    baseline = [db_worker_run(target, count, k) for k in workers]
    steady = steady_run(target, rate, seconds)
    return Measured(target, dispatch, baseline, steady)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--count", type=int, default=COUNT, help="follow-ups and tasks per run")
    parser.add_argument("--steady-rate", type=float, default=STEADY_RATE)
    parser.add_argument("--steady-seconds", type=float, default=STEADY_SECONDS)
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-doc", action="store_true", help="print, do not write the doc")
    args = parser.parse_args()
    # A stop from outside still runs the cleanup, so no worker outlives the bench.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    BENCH_DIR.mkdir(exist_ok=True)
    steady = (args.steady_rate, args.steady_seconds)
    runs, skipped = [], []
    if not args.no_sqlite:
        runs.append(measure(sqlite_target(), args.count, [1], *steady))
    postgres = None if args.no_postgres else postgres_target()
    if postgres:
        runs.append(measure(postgres, args.count, [1, 2], *steady))
    elif not args.no_postgres:
        skipped.append("PostgreSQL was not reachable in this run: no figures for it.")
    text = section(runs, args.count, skipped)
    if args.no_doc:
        print("\n" + text)
    else:
        write_doc(text)
        print(f"\nWrote {DOC.relative_to(ROOT)}")
    for m in runs:
        print(f"{m.target.version}: {verdict(m)}")


if __name__ == "__main__":
    main()

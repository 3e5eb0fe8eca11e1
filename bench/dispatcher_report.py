"""What bench/dispatcher.py measures, and the section of docs/performance.md it writes."""

import dataclasses
import datetime as dt
import os
import platform

import django

# bench/ is on the path: Python puts a script's own folder first.
from config import DOC
from report import code_version, cpu_model

# People the follow-ups are spread over (the seed helper makes them).
PEOPLE = 100

DISPATCH = ["manage.py", "dispatch", "--until-idle"]
DB_WORKER = [
    *("manage.py", "db_worker", "--batch", "--no-startup-delay", "--interval", "0"),
    # One log line per task otherwise: the dispatcher writes none per batch.
    *("--verbosity", "0"),
]


GOAL_PER_WORKER = 1000
GOAL_P99_S = 2.0
GOAL = (
    f"at least {GOAL_PER_WORKER:,} follow-ups/s per worker on PostgreSQL, lateness p99 at most "
    f"{GOAL_P99_S:.0f} s at a steady load, and not slower than django-tasks-db's own "
    "`db_worker` running no-op tasks"
)

BEGIN = "<!-- dispatcher:start -->"
END = "<!-- dispatcher:end -->"
HEADING = "## Dispatcher"
NOTE = "Written by `make bench` (bench/dispatcher.py) between the markers; edit outside them."


@dataclasses.dataclass(frozen=True)
class Target:
    name: str
    env: dict[str, str]
    version: str
    database: str | None  # PostgreSQL's, to find its server processes


@dataclasses.dataclass
class Run:
    program: str  # "dispatch" or "db_worker"
    workers: int
    items: int
    counted: int  # the items done after the first one (or first batch)
    seconds: float  # from the first item (or batch) done to the last
    wall: float  # the processes' whole run, start-up included
    worker_cpu: float  # seconds, all workers together
    db_cpu: float  # seconds, PostgreSQL's server processes for the bench database
    busy: float  # cores the whole machine kept busy meanwhile

    @property
    def rate(self) -> float:
        return self.counted / max(self.seconds, 1e-6)

    @property
    def per_worker(self) -> float:
        return self.rate / self.workers


@dataclasses.dataclass
class Steady:
    rate: float
    seconds: float
    items: int
    p50: float
    p99: float
    max: float


@dataclasses.dataclass
class Measured:
    target: Target
    dispatch: list[Run]
    baseline: list[Run]
    steady: Steady


def seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def table(m: Measured) -> list[str]:
    lines = [
        "| Workers | Follow-ups/s | Per worker | `db_worker` no-op tasks/s | Dispatcher ÷ "
        "`db_worker` | Worker CPU per item (dispatch / tasks) | Database server CPU per item "
        "(dispatch / tasks) | Time (wall) | Machine busy |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for d, b in zip(m.dispatch, m.baseline, strict=True):
        server = (
            f"{1000 * d.db_cpu / d.items:.3f} / {1000 * b.db_cpu / b.items:.3f} ms"
            if m.target.database
            else "in the worker"
        )
        lines.append(
            f"| {d.workers} | {d.rate:,.0f} | {d.per_worker:,.0f} | {b.rate:,.0f} "
            f"| {d.rate / b.rate:.1f}x | {1000 * d.worker_cpu / d.items:.3f} / "
            f"{1000 * b.worker_cpu / b.items:.3f} ms | {server} "
            f"| {d.seconds:.1f} s ({d.wall:.1f} s) / {b.seconds:.1f} s ({b.wall:.1f} s) "
            f"| {d.busy:.2f} / {b.busy:.2f} cores |"
        )
    s = m.steady
    lines += [
        "",
        f"Lateness at a steady load of {s.rate:,.0f} follow-ups/s for {s.seconds:.0f} s "
        f"({s.items:,}), one worker, default poll and batch: p50 {seconds(s.p50)}, "
        f"p99 {seconds(s.p99)}, max {seconds(s.max)}.",
    ]
    return lines


def verdict(m: Measured) -> str:
    checks = []
    if m.target.name == "PostgreSQL":
        slowest = min(d.per_worker for d in m.dispatch)
        checks.append(
            (
                slowest >= GOAL_PER_WORKER,
                f"{slowest:,.0f} follow-ups/s per worker at worst (goal ≥ {GOAL_PER_WORKER:,})",
            )
        )
    checks.append(
        (
            m.steady.p99 <= GOAL_P99_S,
            f"lateness p99 {seconds(m.steady.p99)} (goal ≤ {GOAL_P99_S:.0f} s)",
        )
    )
    ratio = min(d.rate / b.rate for d, b in zip(m.dispatch, m.baseline, strict=True))
    checks.append((ratio >= 1, f"at least {ratio:.1f}x `db_worker`'s rate (goal ≥ 1x)"))
    met = all(ok for ok, _ in checks)
    return f"**Goal {'met' if met else 'not met'}:** " + "; ".join(t for _, t in checks) + "."


def section(runs: list[Measured], count: int, skipped: list[str]) -> str:
    lines = [
        BEGIN,
        "",
        f"Measured on {dt.date.today().isoformat()} by `make bench` (bench/dispatcher.py), "
        f"code at {code_version()}.",
        "",
        f"**Goal:** {GOAL}.",
        "",
        f"**How:** fresh databases; {count:,} follow-ups already due for {PEOPLE} people without "
        "channels (so each one is delivered to the in-app inbox only), sent by "
        "`manage.py dispatch --until-idle` (default batch) with 1 worker, and 2 on PostgreSQL; "
        f"then {count:,} no-op tasks (bench/noop_tasks.py, inserted in bulk) run by "
        f"`manage.py {' '.join(DB_WORKER[1:])}` with as many workers. Rates count from the "
        "first batch of follow-ups (or the first task) done to the last; the time with the "
        "processes' start-up is in brackets. Each run is checked: every follow-up sent, with "
        "one `delivered` event and one inbox line, or every task successful. CPU per item is "
        "the workers' own CPU time (start-up included), and the CPU time of PostgreSQL's "
        "server processes for the bench database, divided by the items; machine busy is what "
        "all cores did meanwhile (other processes included). For the lateness, follow-ups "
        "falling due at a fixed rate are written once a `manage.py dispatch` (as in "
        "production: poll 0.5 s, default batch) has started; lateness is `sent_at - due_at`. "
        f"Machine: {os.cpu_count()} cores ({cpu_model()}), shared by the workers and the "
        f"database server, and possibly by others. Python {platform.python_version()}, "
        f"Django {django.get_version()}.",
    ]
    for m in runs:
        lines += ["", f"### {m.target.version}", "", *table(m), "", verdict(m)]
    lines += [f"\n{reason}" for reason in skipped]
    lines += ["", END]
    return "\n".join(lines)


def write_doc(text: str) -> None:
    doc = DOC.read_text() if DOC.exists() else "# Performance\n"
    if BEGIN in doc and END in doc:
        before, rest = doc.split(BEGIN, 1)
        DOC.write_text(before + text + rest.split(END, 1)[1])
        return
    DOC.write_text(doc.rstrip("\n") + f"\n\n{HEADING}\n\n{NOTE}\n\n{text}\n")

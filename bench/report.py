"""The measured part of docs/performance.md: the goals and whether each run met them, the
tables, how the figures were taken, and the warnings when a run was disturbed. Everything
outside its markers (the findings) is kept as written."""

import datetime as dt
import os
import platform
from dataclasses import dataclass
from pathlib import Path

import django
from config import CONNECTIONS, DOC, OPEN_LOOP_RATE, PAGES, SECONDS, run
from load import WRK_THREADS, Result
from servers import GRANIAN, server_args
from targets import THREADS, Target

# Cores that other processes may use during a page before its figures are flagged as disturbed.
DISTURBED_CORES = 0.2

GOAL_SUBMIT_CPU_MS = 5.0
GOAL_SUBMIT_TIMES_PING = 6.0
GOAL_DASHBOARD_CPU_MS = 8.0
GOAL_INSIGHTS_CPU_MS = 150.0
GOAL_P99_MS = 1000.0
GOAL_OPEN_LOOP_P99_MS = 50.0
GOAL = (
    f"server CPU per check-in submit ≤ {GOAL_SUBMIT_CPU_MS:.0f} ms and ≤ "
    f"{GOAL_SUBMIT_TIMES_PING:.0f}x the bare `/ping` in the same run; dashboard ≤ "
    f"{GOAL_DASHBOARD_CPU_MS:.0f} ms; insights with two years of history ≤ "
    f"{GOAL_INSIGHTS_CPU_MS:.0f} ms; at {CONNECTIONS} connections, 0 errors and p99 ≤ 1 s "
    "on every page; "
    f"open loop at {OPEN_LOOP_RATE:.0f} submits/s, p99 ≤ {GOAL_OPEN_LOOP_P99_MS:.0f} ms"
)

BEGIN = "<!-- bench:begin — written by `make bench` (bench/run.py); edit outside the markers -->"
END = "<!-- bench:end -->"


@dataclass(frozen=True)
class Measured:
    pages: dict[str, Result]
    open_loop: dict  # bench/openloop.py's answer
    split: dict[str, dict[str, float]]  # bench/split.py's, by page


def verdicts(measured: Measured) -> list[tuple[bool, str]]:
    pages, loop = measured.pages, measured.open_loop
    submit, ping = pages["checkin"].server_cpu_ms, pages["baseline"].server_cpu_ms
    dashboard = pages["dashboard"].server_cpu_ms
    insights = pages["insights"].server_cpu_ms
    worst_p99 = max(r.p99_ms for r in pages.values())
    errors = sum(r.errors for r in pages.values())
    return [
        (
            submit <= GOAL_SUBMIT_CPU_MS,
            f"submit {submit:.2f} ms of server CPU (goal ≤ {GOAL_SUBMIT_CPU_MS:.0f} ms)",
        ),
        (
            submit <= GOAL_SUBMIT_TIMES_PING * ping,
            f"{submit / ping:.1f}x the bare `/ping` (goal ≤ {GOAL_SUBMIT_TIMES_PING:.0f}x)",
        ),
        (
            dashboard <= GOAL_DASHBOARD_CPU_MS,
            f"dashboard {dashboard:.2f} ms (goal ≤ {GOAL_DASHBOARD_CPU_MS:.0f} ms)",
        ),
        (
            insights <= GOAL_INSIGHTS_CPU_MS,
            f"insights {insights:.2f} ms (goal ≤ {GOAL_INSIGHTS_CPU_MS:.0f} ms)",
        ),
        (
            worst_p99 <= GOAL_P99_MS and errors == 0,
            f"at {CONNECTIONS} connections worst p99 {worst_p99:,.0f} ms and {errors} errors "
            f"(goal ≤ {GOAL_P99_MS:,.0f} ms, 0)",
        ),
        (
            loop["p99_ms"] <= GOAL_OPEN_LOOP_P99_MS and loop["errors"] == 0,
            f"open loop at {OPEN_LOOP_RATE:.0f}/s p99 {loop['p99_ms']:.1f} ms, "
            f"{loop['errors']} errors (goal ≤ {GOAL_OPEN_LOOP_P99_MS:.0f} ms)",
        ),
    ]


def goal_verdict(measured: Measured) -> str:
    found = verdicts(measured)
    met = [text for ok, text in found if ok]
    missed = [text for ok, text in found if not ok]
    lines = []
    if met:
        lines.append("**Met:** " + "; ".join(met) + ".")
    if missed:
        lines.append("**Not met:** " + "; ".join(missed) + ".")
    return "\n\n".join(lines)


def warnings(results: dict[str, Result]) -> list[str]:
    found = []
    failing = [page.label for page in PAGES if results[page.key].errors]
    if failing:
        found.append(
            f"⚠ Some answers were errors ({', '.join(failing)}): those rows count fast error "
            "pages along with real ones. The server's log is in .bench/."
        )
    busiest = max(r.others_cores for r in results.values())
    if busiest >= DISTURBED_CORES:
        found.append(
            f"⚠ Other processes kept up to {busiest:.2f} cores busy during this run: the "
            "throughputs and latencies above are lower than on a quiet machine. Server CPU per "
            "request is the steadier figure."
        )
    return found


def split_table(split: dict[str, dict[str, float]]) -> list[str]:
    stages = ["session", "person", "consent", "view", "template", "other", "total"]
    lines = [
        "| Page (in process) | " + " | ".join(stages) + " |",
        "|---|" + "---:|" * len(stages),
    ]
    # bench/hotspots.py names its pages with a hyphen.
    labels = {page.key.replace("_", "-"): page.label for page in PAGES}
    for key, spent in split.items():
        cells = " | ".join(f"{spent[stage]:.2f}" for stage in stages)
        lines.append(f"| {labels.get(key, key)} | {cells} |")
    return lines


def open_loop_line(loop: dict) -> str:
    return (
        f"Open loop, {loop['rate']:.0f} check-in submits a second for {loop['seconds']:.0f} s "
        f"(bench/openloop.py): {loop['answered']:,} of {loop['sent']:,} answered, p50 "
        f"{loop['p50_ms']:.1f} ms, p99 {loop['p99_ms']:.1f} ms, max {loop['max_ms']:.1f} ms, "
        f"{loop['errors']} errors."
    )


def table(results: dict[str, Result]) -> list[str]:
    lines = [
        "| Page | Requests/s | p50 | p99 | Throughput vs baseline | Server CPU per request "
        "| Requests | Errors | Other processes' CPU |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    baseline = results["baseline"].requests_per_s
    for page in PAGES:
        r = results[page.key]
        lines.append(
            f"| {page.label} | {r.requests_per_s:,.0f} | {r.p50_ms:.1f} ms | {r.p99_ms:.1f} ms "
            f"| {r.requests_per_s / baseline:.0%} | {r.server_cpu_ms:.2f} ms | {r.requests:,} "
            f"| {r.errors} | {r.others_cores:.2f} cores |"
        )
    return lines


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def code_version() -> str:
    """The commit measured, and whether the working tree differed from it."""
    try:
        commit = run(["git", "rev-parse", "--short", "HEAD"]).strip()
        changed = run(["git", "status", "--porcelain", "--untracked-files=no"]).strip()
    except (OSError, SystemExit):
        return "outside a git checkout"
    return f"commit {commit}" + (" with uncommitted changes" if changed else "")


def measured_section(
    runs: list[tuple[Target, Measured]], skipped: list[str], redis_url: str | None
) -> str:
    granian = run([GRANIAN, "--version"]).strip()
    threads = ", ".join(f"{THREADS[target.name]} on {target.name}" for target, _ in runs)
    cache = (
        "`REDIS_URL` set (a Redis database of the bench's own): sessions and the signed-in "
        "person come from the cache"
        if redis_url
        else "no Redis: sessions and the signed-in person come from the database"
    )
    lines = [
        BEGIN,
        "",
        f"Measured on {dt.date.today().isoformat()} by `make bench`, code at {code_version()}.",
        "",
        f"**Goals:** {GOAL}.",
        "",
        f"**How:** granian as in production (`granian {' '.join(server_args('PORT', 'N'))}`, "
        f"N threads per worker as `scripts/run` chooses them: {threads}; DEBUG off, static "
        f"files through whitenoise; {cache}), fresh databases, then wrk with "
        f"{WRK_THREADS} threads and {CONNECTIONS} connections for {SECONDS} s per page after a "
        "short warm-up, one page after the other against the same server; then the open loop "
        "against the same server. Each run starts once the server has answered what the run "
        "before left queued (its CPU idle for a quarter of a second). "
        f"Machine: {os.cpu_count()} cores ({cpu_model()}), shared by the server and the load "
        f"generator. Python {platform.python_version()}, Django {django.get_version()}, "
        f"{granian}.",
        "",
        "**Pages:**",
        "",
        *(f"- {page.label}: {page.what}." for page in PAGES),
        "",
        "p50 and p99 are latencies as wrk saw them, including the time a request waited for a "
        "free worker. Server CPU per request is the CPU time of granian and its workers divided "
        "by the requests answered. Errors are wrk's non-2xx/3xx answers and socket errors "
        "(timeouts included). Other processes' CPU is what the rest of the machine used "
        "meanwhile, in cores: the bench cannot stop it, only show it. The open loop sends "
        "each submit when it falls due, whether or not earlier ones were answered, and counts "
        "its latency from then. The split is milliseconds of CPU per request in one process "
        "(bench/hotspots.py --split, no server around it): each stage without the stages "
        "inside it, `other` the middleware and request handling around them.",
    ]
    for target, measured in runs:
        lines += [
            "",
            f"### {target.version}",
            "",
            *table(measured.pages),
            "",
            open_loop_line(measured.open_loop),
            "",
            *split_table(measured.split),
            "",
            goal_verdict(measured),
        ]
        for warning in warnings(measured.pages):
            lines += ["", warning]
    lines += [f"\n{reason}" for reason in skipped]
    lines += ["", END]
    return "\n".join(lines)


def write_doc(section: str) -> None:
    if DOC.exists() and BEGIN in (text := DOC.read_text()) and END in text:
        before, rest = text.split(BEGIN, 1)
        after = rest.split(END, 1)[1]
        DOC.write_text(before + section + after)
        return
    DOC.write_text(
        "# Performance\n\n"
        + section
        + "\n\n## Findings\n\nWhere the time goes, written by hand after a run.\n"
    )

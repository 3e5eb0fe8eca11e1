"""`make bench`: throughput and latency of the main pages under the production server.

For each database (SQLite, then PostgreSQL when it is reachable) this prepares fresh databases,
seeds a signed-in person with fifty encounters (bench/prepare.py), starts granian as production
does and loads one page after another with wrk, so that every figure of a table comes from
the same server and the same run. It then rewrites the measured part of docs/performance.md;
everything outside its markers (the findings) is kept as written.

BENCH_SECONDS shortens the runs for a quick trial; BENCH_POSTGRES_URL names another server.
"""

import datetime as dt
import json
import os
import platform
import re
import resource
import secrets
import shutil
import signal
import socket
import sqlite3
import string
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from http.client import HTTPConnection
from pathlib import Path

import django
import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / ".bench"
DOC = ROOT / "docs" / "performance.md"
LUA = ROOT / "bench" / "signed_in.lua"
PY = sys.executable
GRANIAN = str(Path(PY).with_name("granian"))

HOST = "127.0.0.1"
WORKERS = 2
# As scripts/run starts it by default (WEB_THREADS): granian's own default of up to 256 threads
# per worker runs PostgreSQL out of connections under this very bench.
BLOCKING_THREADS = 8
CONNECTIONS = 20
WRK_THREADS = 2
SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))
WARMUP_SECONDS = 1
# wrk's default of 2 s would drop the slowest answers from the percentiles instead of showing
# them.
WRK_TIMEOUT = "10s"
POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/softlanding_bench"
)
CHECKIN_BODY = "pleasantness=5&energy=4&feelings=calm&fun=nice"

# Cores that other processes may use during a page before its figures are flagged as disturbed.
DISTURBED_CORES = 0.2

GOAL_RATIO = 0.5
GOAL_P99_MS = 50.0
GOAL = "check-in submit at least 50% of the baseline's throughput and p99 under 50 ms"

BEGIN = "<!-- bench:begin — written by `make bench` (bench/run.py); edit outside the markers -->"
END = "<!-- bench:end -->"


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    what: str


PAGES = [
    Page("baseline", "baseline", "`GET /ping`: a bare view answering `ok`, no session, no query"),
    Page(
        "dashboard",
        "dashboard",
        "`GET /` signed in as a person with 50 encounters, each checked in on",
    ),
    Page(
        "checkin",
        "check-in submit",
        "`POST /encounters/<code>/checkin/` with a CSRF token, answered by a 302; each creates a "
        "check-in, on the 50 encounters in turn",
    ),
]


@dataclass(frozen=True)
class Target:
    name: str
    env: dict[str, str]
    version: str


@dataclass(frozen=True)
class Seed:
    session: str
    csrf: str
    encounters: list[str]


@dataclass(frozen=True)
class Result:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    server_cpu_ms: float = 0.0  # CPU time of granian and its workers per request
    others_cores: float = 0.0  # cores that processes outside the bench kept busy meanwhile


def run(command: list[str], env: dict[str, str] | None = None) -> str:
    """Run a command from the checkout; on failure show its output and stop the bench."""
    done = subprocess.run(  # noqa: S603 - our own fixed commands
        command, cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"bench: `{' '.join(command)}` failed with exit code {done.returncode}")
    return done.stdout


def ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise SystemExit("bench: wrk is missing; install it (Debian: `apt-get install wrk`)")
    print("wrk is missing: installing the Debian package (apt-get update, apt-get install wrk)")
    run(["apt-get", "update", "-qq"])
    run(["apt-get", "install", "-y", "-qq", "wrk"])


def base_env(data_dir: str, **settings: str) -> dict[str, str]:
    """Only what the bench sets, so that a developer's own settings cannot skew the figures."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
    env = {name: os.environ[name] for name in keep if name in os.environ}
    env |= {
        "SOFTLANDING_DATA_DIR": data_dir,
        "STATIC_ROOT": str(BENCH_DIR / "staticfiles"),
        "ALLOWED_HOSTS": HOST,
        "LOG_LEVEL": "WARNING",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    return env | settings


def sqlite_target() -> Target:
    return Target("SQLite", base_env(".bench/sqlite"), f"SQLite {sqlite3.sqlite_version}")


def fresh_postgres(name: str) -> tuple[str, str] | None:
    """NAME and NAME_keys made anew on the bench server: (the URL of NAME, a version label),
    or None when the server cannot be reached."""
    url = urllib.parse.urlsplit(POSTGRES_URL)
    maintenance = url._replace(path="/postgres").geturl()
    try:
        with psycopg.connect(maintenance, autocommit=True, connect_timeout=5) as conn:
            for db in (name, f"{name}_keys"):
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(db))
                )
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db)))
            version = conn.execute("SHOW server_version").fetchone()
    except psycopg.OperationalError as exc:
        print(f"PostgreSQL at {url.hostname}:{url.port} is unreachable, skipping it: {exc}")
        return None
    label = f"PostgreSQL {version[0].split()[0] if version else '?'}"
    return url._replace(path=f"/{name}").geturl(), label


def postgres_target() -> Target | None:
    made = fresh_postgres(urllib.parse.urlsplit(POSTGRES_URL).path.lstrip("/"))
    if made is None:
        return None
    url, label = made
    return Target("PostgreSQL", base_env(".bench/postgres", DATABASE_URL=url), label)


def prepare(target: Target) -> Seed:
    shutil.rmtree(ROOT / target.env["SOFTLANDING_DATA_DIR"], ignore_errors=True)
    prepared = json.loads(run([PY, "bench/prepare.py"], target.env))
    # Any 32 letters and digits make a valid unmasked CSRF secret, like Django's own.
    csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
    return Seed(prepared["session"], csrf, prepared["encounters"])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def http(
    port: int, method: str, path: str, *, seed: Seed | None = None, body: str = ""
) -> tuple[int, str, str]:
    """(status, Location, body) of one request, redirects not followed."""
    conn = HTTPConnection(HOST, port, timeout=10)
    headers = {}
    if seed:
        headers["Cookie"] = f"sessionid={seed.session}; csrftoken={seed.csrf}"
        headers["X-CSRFToken"] = seed.csrf
    if body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=body or None, headers=headers)
        response = conn.getresponse()
        return response.status, response.getheader("Location", ""), response.read().decode()
    finally:
        conn.close()


def server_args(port: int | str) -> list[str]:
    return [
        *("--interface", "wsgi", "--host", HOST, "--port", str(port)),
        *("--workers", str(WORKERS), "--blocking-threads", str(BLOCKING_THREADS)),
        *("--no-ws", "softlanding.wsgi:application"),
    ]


@dataclass(frozen=True)
class Server:
    port: int
    pid: int  # also the id of its process group, which holds its workers


@contextmanager
def server(target: Target) -> Iterator[Server]:
    """Granian as in production, stopped with all its workers however the bench ends."""
    port = free_port()
    command = [GRANIAN, *server_args(port)]
    log_path = BENCH_DIR / f"granian-{target.name.lower()}.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(  # noqa: S603 - our own fixed command
            command,
            cwd=ROOT,
            env=target.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise SystemExit(f"bench: granian exited; see {log_path}")
            # One worker answering is not enough: the other would still be loading Django
            # while the first page is measured.
            started = log_path.read_text().count("Started worker-")
            try:
                if started == WORKERS and http(port, "GET", "/ping")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"bench: granian did not answer within 30 s; see {log_path}")
            time.sleep(0.2)
        yield Server(port, process.pid)
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    # The session we started it in holds granian and its workers, and nothing else.
    for sig, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(grace)
            return
        except subprocess.TimeoutExpired:
            continue


def check_pages(port: int, seed: Seed) -> None:
    """Make sure each page answers as a signed-in person would see it, before measuring it."""
    status, _, body = http(port, "GET", "/ping")
    if (status, body) != (200, "ok"):
        raise SystemExit(f"bench: /ping answered {status}")
    status, location, body = http(port, "GET", "/", seed=seed)
    if status != 200 or "Hello, Bench" not in body:
        raise SystemExit(f"bench: / answered {status} {location} instead of the dashboard")
    code = seed.encounters[0]
    status, location, _ = http(
        port, "POST", f"/encounters/{code}/checkin/", seed=seed, body=CHECKIN_BODY
    )
    if status != 302 or location != f"/encounters/{code}/":
        raise SystemExit(f"bench: the check-in answered {status} {location}, not the encounter")


def wrk_command(port: int, page: Page, seed: Seed, seconds: int) -> list[str]:
    command = ["wrk", "--latency", f"-t{WRK_THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s"]
    command += ["--timeout", WRK_TIMEOUT]
    url = f"http://{HOST}:{port}"
    if page.key == "baseline":
        return [*command, f"{url}/ping"]
    command += ["-s", str(LUA)]
    if page.key == "dashboard":
        return [*command, f"{url}/", "--", seed.session, seed.csrf]
    return [*command, f"{url}/", "--", seed.session, seed.csrf, *seed.encounters]


UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def parse_wrk(output: str) -> Result:
    def latency(percent: str) -> float:
        found = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)
        if not found:
            raise SystemExit(f"bench: no {percent}% latency in wrk's output:\n{output}")
        return float(found[1]) * UNITS_MS[found[2]]

    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    total = re.search(r"^\s*(\d+) requests in", output, re.M)
    if not rate or not total:
        raise SystemExit(f"bench: cannot read wrk's output:\n{output}")
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    for socket_errors in re.findall(r"Socket errors: (.*)", output):
        errors += sum(int(n) for n in re.findall(r"\d+", socket_errors))
    return Result(float(rate[1]), latency("50"), latency("99"), int(total[1]), errors)


TICKS = os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    """CPU time the whole machine has spent busy since boot, all cores together."""
    # The first line: cpu user nice system idle iowait irq softirq steal guest guest_nice.
    ticks = [int(n) for n in Path("/proc/stat").read_text().split(maxsplit=9)[1:9]]
    idle, iowait = ticks[3], ticks[4]
    return (sum(ticks) - idle - iowait) / TICKS


def group_cpu_seconds(pgid: int) -> float:
    """CPU time used so far by the live processes of a process group."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # it ended while we looked
        if int(fields[2]) == pgid:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / TICKS


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def load(srv: Server, page: Page, seed: Seed) -> Result:
    """One wrk run, with where the machine's CPU went meanwhile.

    The machine may be shared: CPU used by anything else than the server and wrk is reported
    next to the figures, which it lowers.
    """
    before = (machine_busy_seconds(), group_cpu_seconds(srv.pid), children_cpu_seconds())
    started = time.monotonic()
    result = parse_wrk(run(wrk_command(srv.port, page, seed, SECONDS)))
    elapsed = time.monotonic() - started
    busy = machine_busy_seconds() - before[0]
    served = group_cpu_seconds(srv.pid) - before[1]
    wrk = children_cpu_seconds() - before[2]
    return replace(
        result,
        server_cpu_ms=1000 * served / max(result.requests, 1),
        others_cores=max(busy - served - wrk, 0.0) / elapsed,
    )


def measure(target: Target) -> dict[str, Result]:
    print(f"\n== {target.version}: preparing fresh databases and the bench person")
    seed = prepare(target)
    results = {}
    with server(target) as srv:
        check_pages(srv.port, seed)
        for page in PAGES:
            # Each page right after its own warm-up, so that the dashboard is measured before
            # any check-in submit has added to the person's data.
            run(wrk_command(srv.port, page, seed, WARMUP_SECONDS))
            print(f"{page.label}: {SECONDS} s at {CONNECTIONS} connections ...", flush=True)
            result = results[page.key] = load(srv, page, seed)
            print(
                f"  {result.requests_per_s:8.1f} req/s  p50 {result.p50_ms:6.1f} ms"
                f"  p99 {result.p99_ms:6.1f} ms  server CPU {result.server_cpu_ms:5.2f} ms/req"
                f"  errors {result.errors}  others {result.others_cores:.2f} cores"
            )
    return results


def goal_verdict(results: dict[str, Result]) -> str:
    checkin, baseline = results["checkin"], results["baseline"]
    ratio = checkin.requests_per_s / baseline.requests_per_s
    met = ratio >= GOAL_RATIO and checkin.p99_ms < GOAL_P99_MS and checkin.errors == 0
    failed = f", and {checkin.errors:,} answers were errors" if checkin.errors else ""
    return (
        f"**Goal {'met' if met else 'not met'}:** check-in submit at {ratio:.0%} of the "
        f"baseline's throughput (goal ≥ {GOAL_RATIO:.0%}), p99 {checkin.p99_ms:.1f} ms "
        f"(goal < {GOAL_P99_MS:.0f} ms){failed}."
    )


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


def measured_section(runs: list[tuple[Target, dict[str, Result]]], skipped: list[str]) -> str:
    granian = run([GRANIAN, "--version"]).strip()
    lines = [
        BEGIN,
        "",
        f"Measured on {dt.date.today().isoformat()} by `make bench`, code at {code_version()}.",
        "",
        f"**Goal:** {GOAL}.",
        "",
        f"**How:** granian as in production (`granian {' '.join(server_args('PORT'))}`, "
        "DEBUG off, static files through whitenoise), fresh databases, then wrk with "
        f"{WRK_THREADS} threads and {CONNECTIONS} connections for {SECONDS} s per page after a "
        "short warm-up, one page after the other against the same server. "
        f"Machine: {os.cpu_count()} cores ({cpu_model()}), shared by the server and wrk. "
        f"Python {platform.python_version()}, Django {django.get_version()}, {granian}.",
        "",
        "**Pages:**",
        "",
        *(f"- {page.label}: {page.what}." for page in PAGES),
        "",
        "p50 and p99 are latencies as wrk saw them, including the time a request waited for a "
        "free worker. Server CPU per request is the CPU time of granian and its workers divided "
        "by the requests answered. Errors are wrk's non-2xx/3xx answers and socket errors "
        "(timeouts included). Other processes' CPU is what the rest of the machine used "
        "meanwhile, in cores: the bench cannot stop it, only show it.",
    ]
    for target, results in runs:
        lines += ["", f"### {target.version}", "", *table(results), "", goal_verdict(results)]
        for warning in warnings(results):
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


def main() -> None:
    # A stop from outside still runs the cleanup below, so no server outlives the bench.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    ensure_wrk()
    BENCH_DIR.mkdir(exist_ok=True)
    runs = [(target := sqlite_target(), measure(target))]
    skipped = []
    postgres = postgres_target()
    if postgres:
        runs.append((postgres, measure(postgres)))
    else:
        skipped.append("PostgreSQL was not reachable in this run: no figures for it.")
    write_doc(measured_section(runs, skipped))
    for target, results in runs:
        print(f"{target.version}: {goal_verdict(results)}")
        for warning in warnings(results):
            print(f"  {warning}")
    print(f"\nWrote {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

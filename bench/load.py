"""The load on the server: wrk at a fixed number of connections, or check-in submits arriving
at a fixed rate (bench/openloop.py), with where the machine's CPU went meanwhile."""

import json
import os
import re
import resource
import shutil
import time
from dataclasses import dataclass, replace
from pathlib import Path

from config import CONNECTIONS, HOST, PY, ROOT, SECONDS, Page, run
from servers import Server
from targets import Seed

LUA = ROOT / "bench" / "signed_in.lua"
WRK_THREADS = 2
# wrk's default of 2 s would drop the slowest answers from the percentiles instead of showing
# them.
WRK_TIMEOUT = "10s"


@dataclass(frozen=True)
class Result:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    server_cpu_ms: float = 0.0  # CPU time of granian and its workers per request
    others_cores: float = 0.0  # cores that processes outside the bench kept busy meanwhile


def ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise SystemExit("bench: wrk is missing; install it (Debian: `apt-get install wrk`)")
    print("wrk is missing: installing the Debian package (apt-get update, apt-get install wrk)")
    run(["apt-get", "update", "-qq"])
    run(["apt-get", "install", "-y", "-qq", "wrk"])


def wrk_command(port: int, page: Page, seed: Seed, seconds: int) -> list[str]:
    command = ["wrk", "--latency", f"-t{WRK_THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s"]
    command += ["--timeout", WRK_TIMEOUT]
    url = f"http://{HOST}:{port}"
    if page.key == "baseline":
        return [*command, f"{url}/ping"]
    command += ["-s", str(LUA)]
    if page.key == "signed_in":
        return [*command, f"{url}/ping", "--", seed.session, seed.csrf]
    if page.key == "dashboard":
        return [*command, f"{url}/", "--", seed.session, seed.csrf]
    if page.key == "insights":
        return [*command, f"{url}/insights/", "--", seed.insights_session, seed.csrf]
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


def settle(srv: Server, *, idle_share: float = 0.05, longest: float = 30.0) -> float:
    """Wait until the server has finished what an earlier run left queued: wrk stops sending
    at once, but up to one request per connection is still being answered (twenty insights
    pages are most of a second of work). A run started meanwhile would measure the earlier
    run's tail. Idle: under ``idle_share`` of one core over a quarter of a second. Returns the
    seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < longest:
        before = group_cpu_seconds(srv.pid)
        time.sleep(0.25)
        if group_cpu_seconds(srv.pid) - before < 0.25 * idle_share:
            break
    return time.monotonic() - started


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


def open_loop(srv: Server, seed: Seed, rate: float, seconds: int) -> dict:
    command = [PY, "bench/openloop.py", str(srv.port), str(rate), str(seconds)]
    return json.loads(run([*command, seed.session, seed.csrf, *seed.encounters]))

"""The server under load: granian started as production starts it, checked page by page before
anything is measured, and stopped with all its workers however the bench ends."""

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from http.client import HTTPConnection
from pathlib import Path

from config import BENCH_DIR, CHECKIN_BODY, HOST, PY, ROOT
from targets import Seed, Target

GRANIAN = str(Path(PY).with_name("granian"))
WORKERS = 2


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


def server_args(port: int | str, threads: int | str) -> list[str]:
    return [
        *("--interface", "wsgi", "--host", HOST, "--port", str(port)),
        *("--workers", str(WORKERS), "--blocking-threads", str(threads)),
        *("--no-ws", "softlanding.wsgi:application"),
    ]


@dataclass(frozen=True)
class Server:
    port: int
    pid: int  # also the id of its process group, which holds its workers


@contextmanager
def server(target: Target, threads: int | None = None) -> Iterator[Server]:
    """Granian as in production, stopped with all its workers however the bench ends."""
    port = free_port()
    command = [GRANIAN, *server_args(port, threads or target.threads)]
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
    reader = replace(seed, session=seed.insights_session)
    status, location, body = http(port, "GET", "/insights/", seed=reader)
    if status != 200 or "How the days after go" not in body:
        raise SystemExit(f"bench: /insights/ answered {status} {location} instead of insights")
    code = seed.encounters[0]
    status, location, _ = http(
        port, "POST", f"/encounters/{code}/checkin/", seed=seed, body=CHECKIN_BODY
    )
    if status != 302 or location != f"/encounters/{code}/":
        raise SystemExit(f"bench: the check-in answered {status} {location}, not the encounter")

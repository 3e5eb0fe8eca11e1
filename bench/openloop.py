"""An open-loop load: check-in submits arriving at a fixed rate, whatever the server does.

wrk keeps its connections always busy (a closed loop), so a slow answer delays the next
request and latency hides in a lower rate. Here request n is due at n ÷ rate seconds from the
start and is sent then, on an idle kept-alive connection or a new one; its latency counts from
when it was due, so any time it waited behind the server counts (no coordinated omission).
bench/run.py runs it against its granian; run alone:

    .venv/bin/python bench/openloop.py PORT RATE SECONDS SESSION CSRF CODE [CODE ...]

and it prints one JSON line: sent, answered, errors, p50/p99/max in ms.
"""

import asyncio
import json
import sys
import time
from dataclasses import asdict, dataclass

HOST = "127.0.0.1"
BODY = b"pleasantness=5&energy=4&feelings=calm&fun=nice"
TIMEOUT = 10.0


@dataclass(frozen=True)
class OpenLoopResult:
    rate: float
    seconds: float
    sent: int
    answered: int
    errors: int
    p50_ms: float
    p99_ms: float
    max_ms: float


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class Pool:
    """Kept-alive connections to the server; a request takes an idle one or opens another."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []

    async def take(self):
        if self.idle:
            return self.idle.pop()
        return await asyncio.open_connection(HOST, self.port)

    def give_back(self, connection) -> None:
        self.idle.append(connection)

    def close(self) -> None:
        for _reader, writer in self.idle:
            writer.close()


async def submit(pool: Pool, request: bytes) -> int:
    """Send one request and read its whole answer; its status."""
    reader, writer = await pool.take()
    try:
        writer.write(request)
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        if length:
            await reader.readexactly(length)
    except BaseException:
        writer.close()
        raise
    pool.give_back((reader, writer))
    return status


def checkin_request(code: str, session: str, csrf: str) -> bytes:
    return (
        f"POST /encounters/{code}/checkin/ HTTP/1.1\r\n"
        f"Host: {HOST}\r\n"
        f"Cookie: sessionid={session}; csrftoken={csrf}\r\n"
        f"X-CSRFToken: {csrf}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(BODY)}\r\n\r\n"
    ).encode() + BODY


async def run_open_loop(
    port: int, rate: float, seconds: float, session: str, csrf: str, codes: list[str]
) -> OpenLoopResult:
    pool = Pool(port)
    latencies: list[float] = []
    errors = 0
    total = int(rate * seconds)

    async def one(n: int, due: float) -> None:
        nonlocal errors
        request = checkin_request(codes[n % len(codes)], session, csrf)
        try:
            status = await asyncio.wait_for(submit(pool, request), TIMEOUT)
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
            errors += 1
            return
        if status != 302:
            errors += 1
            return
        latencies.append((time.perf_counter() - due) * 1000)

    started = time.perf_counter()
    tasks = []
    for n in range(total):
        due = started + n / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(n, due)))
    await asyncio.gather(*tasks)
    pool.close()
    return OpenLoopResult(
        rate=rate,
        seconds=seconds,
        sent=total,
        answered=len(latencies),
        errors=errors,
        p50_ms=percentile(latencies, 0.50),
        p99_ms=percentile(latencies, 0.99),
        max_ms=max(latencies, default=float("nan")),
    )


def main(arguments: list[str]) -> None:
    port, rate, seconds, session, csrf, *codes = arguments
    result = asyncio.run(
        run_open_loop(int(port), float(rate), float(seconds), session, csrf, codes)
    )
    print(json.dumps(asdict(result)))


if __name__ == "__main__":
    main(sys.argv[1:])

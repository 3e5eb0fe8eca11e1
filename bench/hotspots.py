"""Where one request of each bench page spends its time, in process, without a server.

Uses the SQLite data that `make bench` left in .bench/sqlite (so each encounter already holds
the check-ins the submit run added, and this adds more): for each page it prints the wall time
per request, the queries it runs (with their time) and the functions that take the most time
under cProfile. The server's own cost (granian, many threads) is not in these figures. Run
after `make bench`:

    .venv/bin/python bench/hotspots.py [page ...]

Pages: baseline, signed-in (the baseline's /ping with the bench person's session: the least
any signed-in page costs), dashboard, checkin, insights (the second person's two years).

With `--split` it prints instead, as JSON, the CPU per request of each stage (session,
person, consent, view, template, other: bench/split.py), which `make bench` writes into
docs/performance.md. SOFTLANDING_DATA_DIR (and DATABASE_URL) choose the bench's data, as
bench/run.py sets them; without them, the SQLite data.
"""

import cProfile
import io
import json
import os
import pstats
import sys
import time
from collections.abc import Callable

import hotspots_env  # noqa: F401 - the bench's SQLite data, before Django starts

# isort: split
import prepare  # sets Django up

# isort: split
# bench/ is on the path: Python puts a script's own folder first.
from config import CHECKIN_BODY, HOST, ROOT
from django.db import connections
from django.test import Client
from split import split

from checkins.models import Encounter

REPEAT = 50
TOP = int(os.environ.get("TOP", "25"))


def report(name: str, request: Callable) -> None:
    for _ in range(5):  # templates compiled, caches filled
        request()
    started = time.perf_counter()
    for _ in range(REPEAT):
        request()
    wall_ms = (time.perf_counter() - started) * 1000 / REPEAT

    queries: list[tuple[float, str]] = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append(((time.perf_counter() - started) * 1000, sql))

    with (
        connections["default"].execute_wrapper(timed),
        connections["keys"].execute_wrapper(timed),
    ):
        status = request().status_code

    profile = cProfile.Profile()
    profile.enable()
    for _ in range(REPEAT):
        request()
    profile.disable()
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    # Our own code by the time spent under it, then whatever costs most by itself.
    stats.sort_stats("cumulative").print_stats(rf"^{ROOT}/(?!\.venv/)", TOP)
    stats.sort_stats("tottime").print_stats(TOP)

    print(f"\n=== {name}: {status}, {wall_ms:.2f} ms per request in process")
    print(f"{len(queries)} queries, {sum(ms for ms, _sql in queries):.2f} ms in the database:")
    for ms, sql in queries:
        print(f"  {ms:6.3f} ms  {sql[:110]}")
    print(f"cProfile over {REPEAT} requests (times include the profiler's own cost):")
    print(out.getvalue())


def main(pages: list[str], *, split_only: bool = False) -> None:
    csrf = "b" * 32
    client = Client(HTTP_HOST=HOST)
    client.cookies["sessionid"] = prepare.session_for("bench@example.org")
    client.cookies["csrftoken"] = csrf
    reader = Client(HTTP_HOST=HOST)
    reader.cookies["sessionid"] = prepare.session_for("insights@example.org")
    codes = [
        str(code)
        for code in Encounter.objects.filter(person__email="bench@example.org").values_list(
            "code", flat=True
        )[:50]
    ]
    sent = 0

    def checkin():
        nonlocal sent
        sent += 1
        # A browser follows the redirect, which shows and clears the "thank you" message; wrk
        # keeps no cookies. Either way the messages cookie does not pile up as it would here.
        client.cookies.pop("messages", None)
        return client.post(
            f"/encounters/{codes[sent % len(codes)]}/checkin/",
            CHECKIN_BODY,
            content_type="application/x-www-form-urlencoded",
            HTTP_X_CSRFTOKEN=csrf,
        )

    anonymous = Client(HTTP_HOST=HOST)
    requests: dict[str, Callable] = {
        "baseline": lambda: anonymous.get("/ping"),
        "signed-in": lambda: client.get("/ping"),
        "dashboard": lambda: client.get("/"),
        "checkin": checkin,
        "insights": lambda: reader.get("/insights/"),
    }
    if split_only:
        splits = {}
        for name in pages or list(requests):
            for _ in range(5):  # templates compiled, caches filled
                requests[name]()
            splits[name] = split(requests[name], REPEAT * 4)
        print(json.dumps(splits))
        return
    for name in pages or list(requests):
        report(name, requests[name])


if __name__ == "__main__":
    arguments = sys.argv[1:]
    main([a for a in arguments if a != "--split"], split_only="--split" in arguments)

"""What the bench's scripts share: where things are, the shape of the load, the pages it
measures, and how it runs a command from the checkout.

bench/ is on the path when a script runs from it (Python puts a script's own folder first), so
the scripts import these by module name."""

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / ".bench"
DOC = ROOT / "docs" / "performance.md"
PY = sys.executable

HOST = "127.0.0.1"
CONNECTIONS = 20
SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))
WARMUP_SECONDS = 1
OPEN_LOOP_RATE = 100.0
CHECKIN_BODY = "pleasantness=5&energy=4&feelings=calm&fun=nice"
# The insights person's history: two years, one encounter a day.
INSIGHTS_ENCOUNTERS = 730
INSIGHTS_ANSWERS = 2000


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    what: str


PAGES = [
    Page("baseline", "baseline", "`GET /ping`: a bare view answering `ok`, no session, no query"),
    Page(
        "signed_in",
        "signed-in baseline",
        "the same `GET /ping` with the bench person's session cookie: the session and the "
        "person are read on the way (the least any signed-in page costs)",
    ),
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
    Page(
        "insights",
        "insights",
        "`GET /insights/` signed in as a second person with two years of history: "
        f"{INSIGHTS_ENCOUNTERS} encounters, a check-in each, "
        f"{INSIGHTS_ANSWERS:,} follow-up answers",
    ),
]


def run(command: list[str], env: dict[str, str] | None = None) -> str:
    """Run a command from the checkout; on failure show its output and stop the bench."""
    done = subprocess.run(  # noqa: S603 - our own fixed commands
        command, cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"bench: `{' '.join(command)}` failed with exit code {done.returncode}")
    return done.stdout

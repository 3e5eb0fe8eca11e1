"""Real dispatcher processes, one of them killed with SIGKILL again and again mid-run.

2,000 due follow-ups, two `manage.py dispatch` workers on the test database: worker B runs
throughout, worker A is killed at random moments while it holds a lease and restarted each
time. Every follow-up must end `sent`, with one "delivered" event and one inbox line (two at
most for the batches in flight at a kill, which the design says cannot happen), and none may
be left behind.

While worker A is being killed, each delivery transaction is slowed down in the database (a
statement trigger sleeps when the "delivered" events are written, between marking the batch
sent and writing its inbox lines), so that most kills land inside a transaction and work
remains for all of them however slowly the workers start: when a start of A took long (Django's
set-up in a new process takes tens of seconds on a busy machine), the delay grows so that B alone
cannot finish the work before the kills are done. Then the delay is lifted and the rest goes at
full speed. The leases are 2 s instead of 60 s (`--lease 2`).

PostgreSQL only: the workers are other processes, and the SQLite test database lives in the
memory of the test process.
"""

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection, connections
from django.db.models import Count, F
from django.utils import timezone

from followups.models import FollowUp, FollowUpEvent, FollowUpState
from notify.models import Heartbeat, Notification
from softlanding.testing import TRANSACTIONAL_DB, make_person

pytestmark = TRANSACTIONAL_DB

FOLLOWUPS = 2000
PEOPLE = 20
BATCH = 50
LEASE_SECONDS = 2
KILLS = 4
# Seconds each delivery transaction spends in the database while A is killed (see above):
# worker B alone would need 16 s for all of it, and A's start-up takes about 1 s.
SLOW_DELIVERY = 0.4
# Below the lease, so a slowed delivery still finishes before its lease runs out.
SLOWEST_DELIVERY = 1.2
KILL_AFTER = (0.2, 0.5)  # seconds of work before each kill, at random
FINISH_WITHIN = 90
STOP_WITHIN = 10

SLOW_TRIGGER = f"""
CREATE TABLE crash_test_delay (seconds float NOT NULL);
INSERT INTO crash_test_delay VALUES ({SLOW_DELIVERY});
CREATE FUNCTION crash_test_slow_delivery() RETURNS trigger AS $$
BEGIN PERFORM pg_sleep((SELECT seconds FROM crash_test_delay)); RETURN NULL; END
$$ LANGUAGE plpgsql;
CREATE TRIGGER crash_test_slow_delivery AFTER INSERT ON followups_followupevent
FOR EACH STATEMENT EXECUTE FUNCTION crash_test_slow_delivery();
"""
SET_DELAY = "UPDATE crash_test_delay SET seconds = %s"
DROP_SLOW_TRIGGER = """
DROP TRIGGER IF EXISTS crash_test_slow_delivery ON followups_followupevent;
DROP FUNCTION IF EXISTS crash_test_slow_delivery();
DROP TABLE IF EXISTS crash_test_delay;
"""


def database_url(alias: str) -> str:
    """A URL (as lib.env reads it) for the test database this test process uses."""
    db = connections[alias].settings_dict
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    port = f":{db['PORT']}" if db["PORT"] else ""
    auth = f"{user}{password}@" if user or password else ""
    return f"postgres://{auth}{db['HOST'] or ''}{port}/{quote(db['NAME'], safe='')}"


def worker_env() -> dict[str, str]:
    return os.environ | {
        "DATABASE_URL": database_url("default"),
        "KEYS_DATABASE_URL": database_url("keys"),
        "SOFTLANDING_DATA_DIR": str(settings.DATA_DIR),
        "SOFTLANDING_KEK_FILE": str(settings.SOFTLANDING_KEK_FILE),
        "SECRET_KEY": settings.SECRET_KEY,
        "LOG_LEVEL": "WARNING",
    }


class Workers:
    """The dispatch processes started by the test, with their logs; all stopped at the end."""

    def __init__(self, log_dir: Path):
        self.log_dir = log_dir
        self.env = worker_env()
        self.started: list[tuple[subprocess.Popen, Path]] = []

    def start(self, name: str) -> subprocess.Popen:
        log = self.log_dir / f"{name}-{len(self.started)}.log"
        command = [sys.executable, "manage.py", "dispatch", "--batch", str(BATCH)]
        command += ["--poll", "0.05", "--lease", str(LEASE_SECONDS)]
        with log.open("w") as out:
            process = subprocess.Popen(  # our own fixed command
                command, cwd=settings.BASE_DIR, env=self.env, stdout=out, stderr=subprocess.STDOUT
            )
        self.started.append((process, log))
        return process

    def stop(self, process: subprocess.Popen) -> int:
        """SIGTERM, as a supervisor stops it: it finishes its batch and exits."""
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        try:
            return process.wait(STOP_WITHIN)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            return -signal.SIGKILL

    def kill_all(self) -> None:
        for process, _log in self.started:
            if process.poll() is None:
                process.kill()
                process.wait()

    def logs(self) -> str:
        tails = []
        for process, log in self.started:
            text = log.read_text()[-2000:] if log.exists() else ""
            tails.append(f"--- pid {process.pid}, exit {process.returncode}:\n{text}")
        return "\n".join(tails)


def leased_by(process: subprocess.Popen) -> list[int]:
    # followups.dispatcher.worker_name(): host:pid:random.
    return list(
        FollowUp.objects.filter(
            state=FollowUpState.SCHEDULED, lease_owner__contains=f":{process.pid}:"
        ).values_list("pk", flat=True)
    )


def running(process: subprocess.Popen) -> bool:
    """Past its start-up: it has done a round (and so handles SIGTERM)."""
    return Heartbeat.objects.filter(worker__contains=f":{process.pid}:").exists()


WORKER_START = 120  # seconds


def scheduled() -> int:
    return FollowUp.objects.filter(state=FollowUpState.SCHEDULED).count()


def wait_for(condition, within: float, step: float = 0.02) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


def slow_enough(last_start: float, kills_left: int) -> None:
    """Slow each delivery so that the work left outlasts the kills still to come, twice over,
    were every start of A to take as long as the last one."""
    needed = 2 * kills_left * (last_start + KILL_AFTER[1])
    batches_left = max(1, scheduled() // BATCH)
    delay = min(SLOWEST_DELIVERY, max(SLOW_DELIVERY, needed / batches_left))
    with connection.cursor() as cursor:
        cursor.execute(SET_DELAY, [delay])


def test_killed_workers_leave_every_follow_up_sent_once(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the workers need a test database other processes can open (PostgreSQL)")
    people = [make_person(f"Crash{n}", password=None) for n in range(PEOPLE)]
    past = timezone.now() - dt.timedelta(minutes=10)
    FollowUp.objects.bulk_create(
        FollowUp(person=people[n % PEOPLE], encounter=None, offset_hours=3, due_at=past)
        for n in range(FOLLOWUPS)
    )
    ids = set(FollowUp.objects.values_list("pk", flat=True))
    assert len(ids) == FOLLOWUPS

    rng = random.Random()
    workers = Workers(tmp_path)
    kills: list[dict] = []  # what each kill interrupted
    with connection.cursor() as cursor:
        cursor.execute(SLOW_TRIGGER)
    try:
        worker_b = workers.start("b")
        worker_a = workers.start("a")
        started = time.monotonic()
        for n in range(KILLS):
            # Kill A only once it is at work: holding a lease, in a claim or a delivery.
            # A worker's start (Django's set-up in a new process) can take tens of seconds on a
            # busy machine; the wait ends as soon as it claims, so a generous bound costs nothing.
            at_work = lambda a=worker_a: leased_by(a) or not scheduled()  # noqa: E731
            if not wait_for(at_work, within=WORKER_START):
                pytest.fail(f"worker A never claimed anything\n{workers.logs()}")
            slow_enough(time.monotonic() - started, kills_left=KILLS - n)
            if not scheduled():
                break
            time.sleep(rng.uniform(*KILL_AFTER))
            worker_a.kill()
            worker_a.wait()
            # Its transaction, if any, is rolled back; its committed leases are what it held.
            kills.append({"held": leased_by(worker_a), "remaining": scheduled()})
            worker_a = workers.start("a")
            started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute(SET_DELAY, [0])

        finished = wait_for(lambda: scheduled() == 0, within=FINISH_WITHIN, step=0.1)
        assert finished, (
            f"{scheduled()} follow-ups still scheduled after {FINISH_WITHIN} s\n{workers.logs()}"
        )
        assert wait_for(lambda: running(worker_a), within=WORKER_START), workers.logs()
        exits = {"a": workers.stop(worker_a), "b": workers.stop(worker_b)}
        assert exits == {"a": 0, "b": 0}, f"SIGTERM did not stop them cleanly\n{workers.logs()}"
    finally:
        workers.kill_all()
        with connection.cursor() as cursor:
            cursor.execute(DROP_SLOW_TRIGGER)

    summary = f"{len(kills)} kills: " + ", ".join(
        f"{len(k['held'])} leased with {k['remaining']} left" for k in kills
    )
    # The kills hit a run in progress, and at least one left a batch for the other to take over.
    assert len(kills) == KILLS, f"work ran out: {summary}"
    assert all(k["remaining"] > 0 for k in kills), summary
    in_flight = {pk for k in kills for pk in k["held"]}
    assert in_flight, f"no kill caught worker A holding a lease: {summary}"

    # Every follow-up sent, none left behind, no lease left over.
    states = Counter(FollowUp.objects.values_list("state", flat=True))
    assert states == {FollowUpState.SENT: FOLLOWUPS}, f"{dict(states)}; {summary}"
    assert not FollowUp.objects.exclude(lease_owner="").exists()
    assert not FollowUp.objects.filter(lease_until__isnull=False).exists()
    assert not FollowUp.objects.filter(sent_at__isnull=True).exists()

    # Sent exactly once in its history (twice at most for what was in flight at a kill).
    delivered = dict(
        FollowUpEvent.objects.filter(reason=FollowUpEvent.Reason.DELIVERED)
        .values_list("followup_id")
        .annotate(n=Count("id"))
        .values_list("followup_id", "n")
    )
    missing = ids - delivered.keys()
    twice = sorted(pk for pk, n in delivered.items() if n == 2)
    more = sorted(pk for pk, n in delivered.items() if n > 2)
    report = (
        f"{len(delivered)} follow-ups delivered, {len(twice)} of them twice, "
        f"{len(more)} more often, {len(missing)} never; {summary}"
    )
    assert not missing, report
    assert not more, report
    assert len(twice) <= len(kills) * BATCH, report
    assert (
        not FollowUpEvent.objects.filter(reason=FollowUpEvent.Reason.DELIVERED)
        .exclude(state=FollowUpState.SENT)
        .exists()
    )
    # What A held when it was killed was taken over and sent.
    assert in_flight <= delivered.keys(), report

    # One inbox line per delivered event, for the follow-up's own person.
    inbox = dict(
        Notification.objects.filter(kind=Notification.Kind.FOLLOWUP)
        .values_list("followup_id")
        .annotate(n=Count("id"))
        .values_list("followup_id", "n")
    )
    assert inbox == delivered, (
        f"inbox lines per follow-up differ from delivered events for "
        f"{len(set(inbox.items()) ^ set(delivered.items()))} follow-ups; {report}"
    )
    assert not Notification.objects.exclude(person_id=F("followup__person_id")).exists()
    print(report)  # shown with -rA: what the kills interrupted

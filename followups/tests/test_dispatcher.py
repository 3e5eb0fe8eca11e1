"""The dispatcher in process: leases, take-overs, housekeeping, heartbeat, a whole run.

The same with real processes killed mid-run is in test_dispatcher_crash.py.
"""

import datetime as dt
import signal

import pytest
import time_machine
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from followups import dispatcher
from followups.dispatcher import LEASE, Dispatcher, claim, deliver, requeue_stale_tasks
from followups.models import FollowUp, FollowUpEvent, FollowUpState
from notify.models import Heartbeat, Notification
from notify.services import send_delivery
from softlanding.testing import DB, make_person

pytestmark = DB


@pytest.fixture
def person(db):
    return make_person("Alice", password=None)


def due(person, count: int, *, ago: dt.timedelta = dt.timedelta(minutes=5)) -> list[FollowUp]:
    when = timezone.now() - ago
    return FollowUp.objects.bulk_create(
        FollowUp(person=person, encounter=None, offset_hours=3, due_at=when) for _ in range(count)
    )


def delivered_events(followup_ids) -> int:
    return FollowUpEvent.objects.filter(
        followup_id__in=followup_ids, reason=FollowUpEvent.Reason.DELIVERED
    ).count()


@pytest.fixture
def keep_signal_handlers():
    # Dispatcher.run installs its own SIGTERM/SIGINT handlers; pytest's must come back.
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


def test_a_claim_leases_the_rows_and_another_worker_gets_none_meanwhile(person):
    rows = due(person, 3)
    now = timezone.now()
    ids = claim("worker-a", now=now)
    assert sorted(ids) == sorted(r.pk for r in rows)
    leased = FollowUp.objects.filter(pk__in=ids)
    assert {(f.lease_owner, f.lease_until) for f in leased} == {("worker-a", now + LEASE)}
    assert claim("worker-b") == []
    with time_machine.travel(now + LEASE - dt.timedelta(seconds=1), tick=False):
        assert claim("worker-b") == []
    # Leased is not sent: nothing happened yet.
    assert set(leased.values_list("state", flat=True)) == {FollowUpState.SCHEDULED}
    assert delivered_events(ids) == 0


def test_a_claim_takes_at_most_a_batch_oldest_first(person):
    late = due(person, 2, ago=dt.timedelta(hours=2))
    due(person, 3)
    assert sorted(claim("worker-a", batch=2)) == sorted(r.pk for r in late)
    assert len(claim("worker-b", batch=10)) == 3


def test_the_lease_can_be_chosen(person):
    due(person, 1)
    now = timezone.now()
    [pk] = claim("worker-a", now=now, lease=dt.timedelta(seconds=2))
    assert FollowUp.objects.get(pk=pk).lease_until == now + dt.timedelta(seconds=2)
    with time_machine.travel(now + dt.timedelta(seconds=3), tick=False):
        assert claim("worker-b") == [pk]


def test_after_the_lease_expires_another_worker_claims_and_delivers(person):
    rows = due(person, 2)
    ids = claim("worker-a")
    # worker-a dies here; its lease runs out.
    with time_machine.travel(timezone.now() + LEASE + dt.timedelta(seconds=1), tick=False):
        taken = claim("worker-b")
        assert sorted(taken) == sorted(ids)
        assert deliver("worker-b", taken) == 2
    for row in FollowUp.objects.filter(pk__in=[r.pk for r in rows]):
        assert row.state == FollowUpState.SENT
        assert (row.lease_owner, row.lease_until) == ("", None)
        assert row.sent_at is not None
    assert delivered_events(ids) == 2
    assert Notification.objects.filter(followup_id__in=ids, person=person).count() == 2


def test_a_worker_whose_lease_was_taken_over_delivers_nothing(person):
    due(person, 2)
    ids = claim("worker-a")
    later = timezone.now() + LEASE + dt.timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        assert sorted(claim("worker-b")) == sorted(ids)
        # worker-a wakes up late, with a batch that is no longer its own.
        assert deliver("worker-a", ids) == 0
        assert delivered_events(ids) == 0
        assert deliver("worker-b", ids) == 2
        # Delivering twice, even by the owner, sends once.
        assert deliver("worker-b", ids) == 0
    assert delivered_events(ids) == 2
    assert Notification.objects.filter(followup_id__in=ids).count() == 2


def test_a_worker_cannot_deliver_after_its_own_lease_expired(person):
    due(person, 1)
    ids = claim("worker-a")
    with time_machine.travel(timezone.now() + LEASE + dt.timedelta(seconds=1), tick=False):
        assert deliver("worker-a", ids) == 0
    assert FollowUp.objects.get(pk=ids[0]).state == FollowUpState.SCHEDULED


def test_what_is_not_due_yet_or_not_scheduled_is_not_claimed(person):
    [ahead] = due(person, 1, ago=-dt.timedelta(minutes=5))
    [cancelled] = due(person, 1)
    FollowUp.objects.filter(pk=cancelled.pk).update(state=FollowUpState.CANCELLED)
    assert claim("worker-a") == []
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=6), tick=False):
        assert claim("worker-a") == [ahead.pk]


def test_housekeeping_lets_unanswered_follow_ups_pass(person):
    [waiting] = due(person, 1, ago=dt.timedelta(hours=14))
    FollowUp.objects.filter(pk=waiting.pk).update(
        state=FollowUpState.SENT, sent_at=timezone.now() - dt.timedelta(hours=13)
    )
    [recent] = due(person, 1, ago=dt.timedelta(hours=2))
    FollowUp.objects.filter(pk=recent.pk).update(
        state=FollowUpState.SENT, sent_at=timezone.now() - dt.timedelta(hours=1)
    )
    Dispatcher(worker="worker-a").run_once()
    waiting.refresh_from_db()
    recent.refresh_from_db()
    assert waiting.state == FollowUpState.MISSED
    assert [e.reason for e in waiting.events.all()] == [FollowUpEvent.Reason.MISSED]
    assert recent.state == FollowUpState.SENT


def test_housekeeping_calls_mark_missed_once_a_minute(person, monkeypatch):
    calls = []
    monkeypatch.setattr(dispatcher.followups, "mark_missed", lambda: calls.append(1))
    worker = Dispatcher(worker="worker-a")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        worker.run_once()
        worker.run_once()
    assert len(calls) == 1
    with time_machine.travel(start + dispatcher.HOUSEKEEPING_EVERY, tick=False):
        worker.run_once()
    assert len(calls) == 2


def test_tasks_left_running_by_a_dead_worker_go_back_to_the_queue(db):
    stale = send_delivery.enqueue(12345)
    fresh = send_delivery.enqueue(67890)
    now = timezone.now()
    DBTaskResult.objects.filter(pk=stale.id).update(
        status="RUNNING", started_at=now - dispatcher.TASK_STALE_AFTER - dt.timedelta(minutes=1)
    )
    DBTaskResult.objects.filter(pk=fresh.id).update(
        status="RUNNING", started_at=now - dt.timedelta(minutes=1)
    )
    assert requeue_stale_tasks(now) == 1
    stale_row, fresh_row = (
        DBTaskResult.objects.get(pk=stale.id),
        DBTaskResult.objects.get(pk=fresh.id),
    )
    assert (stale_row.status, stale_row.started_at) == ("READY", None)
    assert fresh_row.status == "RUNNING"
    assert DBTaskResult.objects.ready().filter(pk=stale.id).exists()


def test_housekeeping_requeues_stale_tasks(db):
    stale = send_delivery.enqueue(12345)
    DBTaskResult.objects.filter(pk=stale.id).update(
        status="RUNNING", started_at=timezone.now() - dt.timedelta(minutes=11)
    )
    Dispatcher(worker="worker-a").run_once()
    assert DBTaskResult.objects.get(pk=stale.id).status == "READY"


def test_a_round_writes_the_heartbeat(db):
    assert not Heartbeat.objects.exists()
    worker = Dispatcher(worker="worker-a")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        worker.run_once()
    assert Heartbeat.objects.get(worker="worker-a").beat_at == start
    # Not on every round: every HEARTBEAT_EVERY.
    with time_machine.travel(start + dt.timedelta(seconds=1), tick=False):
        worker.run_once()
    assert Heartbeat.objects.get(worker="worker-a").beat_at == start
    later = start + dispatcher.HEARTBEAT_EVERY
    with time_machine.travel(later, tick=False):
        worker.run_once()
    assert Heartbeat.objects.get(worker="worker-a").beat_at == later
    assert Heartbeat.objects.count() == 1


def test_run_until_idle_sends_everything_due_and_says_how_many(person, keep_signal_handlers):
    rows = due(person, 25)
    due(person, 2, ago=-dt.timedelta(hours=1))  # not due yet: left alone
    sent = Dispatcher(batch=10, poll=0, worker="worker-a").run(until_idle=True)
    assert sent == 25
    ids = [r.pk for r in rows]
    assert FollowUp.objects.filter(pk__in=ids, state=FollowUpState.SENT).count() == 25
    assert FollowUp.objects.filter(state=FollowUpState.SCHEDULED).count() == 2
    assert delivered_events(ids) == 25
    assert Notification.objects.filter(followup_id__in=ids, kind="followup").count() == 25
    assert Dispatcher(poll=0, worker="worker-b").run(until_idle=True) == 0


def test_run_once_delivers_one_batch(person):
    due(person, 5)
    assert Dispatcher(batch=3, worker="worker-a").run_once() == 3
    assert FollowUp.objects.filter(state=FollowUpState.SENT).count() == 3

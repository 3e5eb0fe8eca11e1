"""The dispatcher: claims due follow-ups with a lease, delivers them, marks them sent.

Claiming is a conditional update of `lease_owner`/`lease_until` on rows that are due and not
leased (on PostgreSQL the candidates are picked with `SELECT … FOR UPDATE SKIP LOCKED`, so any
number of dispatchers share the work without waiting on each other). Delivering a batch is one
transaction: the inbox lines, the deliveries to outside channels, the state change and its
history row commit together or not at all. A dispatcher killed at any instant therefore leaves
its batch `scheduled` with a lease that expires, and another dispatcher delivers it. Sending to
outside channels happens after the commit, in tasks given a delivery id.

Besides delivering, each dispatcher (at most once a minute) lets unanswered follow-ups pass
(`missed`), puts back tasks a dead task worker left running, and writes its heartbeat.
"""

import datetime as dt
import logging
import os
import signal
import socket
import time
import uuid

from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from followups import by_token
from followups import services as followups
from followups.models import FollowUp, FollowUpEvent, FollowUpState
from notify.models import Heartbeat, Notification
from notify.services import notify_many

log = logging.getLogger(__name__)

LEASE = dt.timedelta(seconds=60)
BATCH = 200
HOUSEKEEPING_EVERY = dt.timedelta(seconds=60)
HEARTBEAT_EVERY = dt.timedelta(seconds=10)
# A task "running" for this long belongs to a worker that died: it is put back in the queue.
TASK_STALE_AFTER = dt.timedelta(minutes=10)


def worker_name() -> str:
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _due(now: dt.datetime):
    return FollowUp.objects.filter(state=FollowUpState.SCHEDULED, due_at__lte=now).exclude(
        lease_until__gt=now
    )


def claim(
    worker: str,
    *,
    batch: int = BATCH,
    now: dt.datetime | None = None,
    lease: dt.timedelta = LEASE,
) -> list[int]:
    """Lease up to `batch` due follow-ups to this worker for `lease`; their ids."""
    now = now or timezone.now()
    until = now + lease
    with transaction.atomic():
        candidates = _due(now).order_by("due_at")
        if connection.vendor == "postgresql":
            candidates = candidates.select_for_update(skip_locked=True)
        ids = list(candidates.values_list("pk", flat=True)[:batch])
        if not ids:
            return []
        # Conditional: a row another worker leased in the meantime is not taken again.
        _due(now).filter(pk__in=ids).update(lease_owner=worker, lease_until=until)
    return list(
        FollowUp.objects.filter(pk__in=ids, lease_owner=worker, lease_until=until).values_list(
            "pk", flat=True
        )
    )


def deliver(worker: str, ids: list[int]) -> int:
    """Deliver what this worker still holds the lease on; how many were sent."""
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            FollowUp.objects.select_for_update()
            .filter(
                pk__in=ids,
                state=FollowUpState.SCHEDULED,
                lease_owner=worker,
                lease_until__gt=now,
            )
            .only("pk", "person_id", "due_at")
        )
        if not rows:
            return 0
        FollowUp.objects.filter(pk__in=[r.pk for r in rows]).update(
            state=FollowUpState.SENT, sent_at=now, lease_owner="", lease_until=None
        )
        FollowUpEvent.objects.bulk_create(
            FollowUpEvent(
                followup_id=r.pk,
                state=FollowUpState.SENT,
                reason=FollowUpEvent.Reason.DELIVERED,
                due_at=r.due_at,
                at=now,
            )
            for r in rows
        )
        notify_many(
            [
                Notification(
                    person_id=r.person_id, kind=Notification.Kind.FOLLOWUP, followup_id=r.pk
                )
                for r in rows
            ]
        )
    return len(rows)


def beat(worker: str) -> None:
    Heartbeat.objects.update_or_create(worker=worker, defaults={"beat_at": timezone.now()})


def requeue_stale_tasks(now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    return (
        DBTaskResult.objects.running()
        .filter(started_at__lt=now - TASK_STALE_AFTER)
        .update(status="READY", started_at=None)
    )


def housekeeping(worker: str) -> None:
    followups.mark_missed()
    by_token.forget_old_tokens()
    requeue_stale_tasks()
    Heartbeat.objects.filter(beat_at__lt=timezone.now() - dt.timedelta(days=1)).delete()


class Dispatcher:
    def __init__(
        self,
        *,
        batch: int = BATCH,
        poll: float = 0.5,
        worker: str | None = None,
        lease: dt.timedelta = LEASE,
    ):
        self.batch = batch
        self.poll = poll
        self.lease = lease
        self.worker = worker or worker_name()
        self.stopping = False
        self._last_beat = self._last_housekeeping = dt.datetime.min.replace(tzinfo=dt.UTC)

    def stop(self, *_args) -> None:
        self.stopping = True

    def run_once(self) -> int:
        """One round: housekeeping and heartbeat when due, then one batch. How many sent."""
        now = timezone.now()
        if now - self._last_housekeeping >= HOUSEKEEPING_EVERY:
            housekeeping(self.worker)
            self._last_housekeeping = now
        if now - self._last_beat >= HEARTBEAT_EVERY:
            beat(self.worker)
            self._last_beat = now
        ids = claim(self.worker, batch=self.batch, lease=self.lease)
        return deliver(self.worker, ids) if ids else 0

    def run(self, *, until_idle: bool = False) -> int:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        total = 0
        log.info("dispatcher %s started", self.worker)
        while not self.stopping:
            try:
                sent = self.run_once()
            except Exception:
                log.exception("dispatcher round failed; trying again")
                close_old_connections()
                time.sleep(self.poll)
                continue
            total += sent
            if not sent:
                if until_idle:
                    break
                time.sleep(self.poll)
        log.info("dispatcher %s stopped after sending %s", self.worker, total)
        return total

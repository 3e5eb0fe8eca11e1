"""The database side of `bench/dispatcher.py`: run inside Django with the target's environment,
one step per call (`python bench/dispatcher_seed.py _seed --count N ...`), answering in JSON.

It creates the people, writes the due follow-ups or the no-op task rows, and reads the
figures back (when each was sent, how late), so the bench itself measures from outside.
"""

import argparse
import datetime as dt
import json
import math
import sys
import time
import uuid

import django_ready  # noqa: F401 - sets Django up: the imports below need it

# isort: split
from dispatcher_report import PEOPLE
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Max, Min
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from accounts.models import Person
from followups.models import FollowUp, FollowUpEvent, FollowUpState
from notify.models import Delivery, Heartbeat, Notification
from softlanding.testing import make_person


def helper_setup() -> dict:
    call_command("migrate", interactive=False, verbosity=0)
    call_command("migrate", database="keys", interactive=False, verbosity=0)
    for n in range(PEOPLE):
        make_person(f"Bench{n}", password=None)
    return {"people": PEOPLE}


def reset() -> None:
    """No follow-up, event, inbox line, heartbeat or task left from the previous run."""
    models = [Delivery, Notification, FollowUpEvent, FollowUp, Heartbeat, DBTaskResult]
    tables = [m._meta.db_table for m in models]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - our own table names
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM")


def analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def helper_seed(count: int, rate: float, lead: float, keep: bool, wait_for_worker: bool) -> dict:
    """COUNT follow-ups: all due (rate 0), or falling due at RATE per second from LEAD s on.
    After a reset, unless KEEP; once a dispatcher has done its first round, if WAIT_FOR_WORKER
    (it writes its heartbeat then)."""
    if not keep:
        reset()
    deadline = time.monotonic() + 60
    while wait_for_worker and not Heartbeat.objects.exists():
        if time.monotonic() > deadline:
            raise SystemExit("bench: the dispatcher did not start within 60 s")
        time.sleep(0.1)
    people = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    now = timezone.now()
    if rate:
        start = now + dt.timedelta(seconds=lead)
        due = [start + dt.timedelta(seconds=n / rate) for n in range(count)]
    else:
        start = now - dt.timedelta(hours=1)
        due = [start + dt.timedelta(milliseconds=n) for n in range(count)]
    chunk = 5000
    for first in range(0, count, chunk):
        FollowUp.objects.bulk_create(
            FollowUp(
                person_id=people[n % len(people)], encounter=None, offset_hours=3, due_at=due[n]
            )
            for n in range(first, min(first + chunk, count))
        )
    analyze()
    return {"count": count, "late_by": (timezone.now() - due[0]).total_seconds() if due else 0}


def helper_seed_tasks(count: int) -> dict:
    """COUNT no-op tasks, ready: one enqueued for real, the others copied from it in bulk."""
    # By its path, as db_worker finds it (a plain import would make mypy see the file twice).
    noop = import_string("bench.noop_tasks.noop")
    reset()
    first = DBTaskResult.objects.get(pk=noop.enqueue().id)
    fields = model_to_dict(first, exclude=["id"])
    chunk = 5000
    for start in range(1, count, chunk):
        DBTaskResult.objects.bulk_create(
            DBTaskResult(id=uuid.uuid4(), **fields) for _ in range(start, min(start + chunk, count))
        )
    analyze()
    return {"count": DBTaskResult.objects.ready().count(), "task_path": first.task_path}


def percentile(ordered: list[float], q: float) -> float:
    """Nearest-rank percentile of an ordered list."""
    return ordered[max(math.ceil(q * len(ordered)) - 1, 0)] if ordered else float("nan")


def helper_followup_stats(wait: float) -> dict:
    """How the last run went; waits up to WAIT s for nothing to be scheduled."""
    deadline = time.monotonic() + wait
    scheduled = FollowUp.objects.filter(state=FollowUpState.SCHEDULED)
    while scheduled.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    sent = FollowUp.objects.filter(state=FollowUpState.SENT)
    span = sent.aggregate(first=Min("sent_at"), last=Max("sent_at"))
    delivered = FollowUpEvent.objects.filter(reason=FollowUpEvent.Reason.DELIVERED)
    twice = (
        delivered.values("followup_id").annotate(n=Count("id")).filter(n__gt=1).count()
        + Notification.objects.values("followup_id").annotate(n=Count("id")).filter(n__gt=1).count()
    )
    late = sorted(
        (s - d).total_seconds() for s, d in sent.values_list("sent_at", "due_at") if s is not None
    )
    return {
        "sent": sent.count(),
        "scheduled": scheduled.count(),
        "delivered_events": delivered.count(),
        "inbox": Notification.objects.count(),
        "duplicates": twice,
        # The rate counts from the first batch done (a batch's rows share their sent_at).
        "after_first": sent.filter(sent_at__gt=span["first"]).count() if span["first"] else 0,
        "seconds": (span["last"] - span["first"]).total_seconds() if span["first"] else 0,
        "lateness_p50": percentile(late, 0.50),
        "lateness_p99": percentile(late, 0.99),
        "lateness_max": late[-1] if late else None,
    }


def helper_task_stats() -> dict:
    done = DBTaskResult.objects.successful()
    span = done.aggregate(first=Min("finished_at"), last=Max("finished_at"))
    return {
        "successful": done.count(),
        "other": DBTaskResult.objects.exclude(status="SUCCESSFUL").count(),
        # As for the dispatcher: from the first task done to the last.
        "after_first": done.filter(finished_at__gt=span["first"]).count() if span["first"] else 0,
        "seconds": (span["last"] - span["first"]).total_seconds() if span["first"] else 0,
    }


def helper_main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("step")
    parser.add_argument("--count", type=int, default=0)
    parser.add_argument("--rate", type=float, default=0)
    parser.add_argument("--lead", type=float, default=0)
    parser.add_argument("--wait", type=float, default=0)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--wait-for-worker", action="store_true")
    args = parser.parse_args(argv)
    steps = {
        "_setup": helper_setup,
        "_seed": lambda: helper_seed(
            args.count, args.rate, args.lead, args.keep, args.wait_for_worker
        ),
        "_seed_tasks": lambda: helper_seed_tasks(args.count),
        "_followup_stats": lambda: helper_followup_stats(args.wait),
        "_task_stats": helper_task_stats,
    }
    print(json.dumps(steps[args.step]()))


if __name__ == "__main__":
    helper_main(sys.argv[1:])

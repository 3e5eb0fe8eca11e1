"""What an operator may see of an instance: accounts as ids, addresses, dates and counts, and
the instance as aggregate numbers. Nothing here reads an encrypted field, so no one's words
(their name, a note, a check-in) can reach a terminal or a metrics scraper.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, IntegerField, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.models import Person
from checkins.models import CheckIn, Encounter
from followups.models import FollowUp, FollowUpState
from notify.models import Channel, Delivery, Heartbeat
from partners.models import ConnectionSide
from privacy.backup_schedule import backup_age_seconds, backup_state
from privacy.backup_tools import DATA
from vault.routers import KEY_STORE

# A follow-up still waiting to go this long after it was due counts as late.
LATE_AFTER = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class AccountRow:
    id: int
    email: str
    created: dt.datetime
    last_seen: dt.datetime | None
    active: bool
    staff: bool
    encounters: int
    checkins: int
    connections: int
    channels: int


def _count(model, **filters) -> Coalesce:
    """A correlated count, so that several counts do not multiply each other's joins."""
    rows = (
        model.objects.filter(person=OuterRef("pk"), **filters)
        .order_by()
        .values("person")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def account_rows(people=None) -> list[AccountRow]:
    people = Person.objects.all() if people is None else people
    rows = (
        people.order_by("pk")
        .annotate(
            n_encounters=_count(Encounter),
            n_checkins=_count(CheckIn),
            n_connections=_count(ConnectionSide, connection__ended_at__isnull=True),
            n_channels=_count(Channel),
            session_seen=Max("usersession__last_seen_at"),
        )
        # Only these columns are read: an encrypted field is never even fetched.
        .values_list(
            "pk",
            "email",
            "date_joined",
            "last_login",
            "session_seen",
            "is_active",
            "is_staff",
            "n_encounters",
            "n_checkins",
            "n_connections",
            "n_channels",
        )
    )
    return [
        AccountRow(
            id=pk,
            email=email,
            created=joined,
            last_seen=max((when for when in (login, seen) if when is not None), default=None),
            active=active,
            staff=staff,
            encounters=encounters,
            checkins=checkins,
            connections=connections,
            channels=channels,
        )
        for (
            pk,
            email,
            joined,
            login,
            seen,
            active,
            staff,
            encounters,
            checkins,
            connections,
            channels,
        ) in rows
    ]


def find_person(reference: str) -> Person | None:
    """A person by id or by e-mail address (as an operator types it)."""
    if reference.isdigit():
        return Person.objects.filter(pk=int(reference)).first()
    return Person.objects.filter(email__iexact=reference.strip()).first()


@dataclass(frozen=True)
class Summary:
    people: int
    people_active: int
    dispatcher_seen_seconds_ago: int | None
    followups_due: int
    followups_late: int
    oldest_due_seconds: int | None
    deliveries_failed_last_day: int
    tasks_waiting: int
    backup: str
    data_backup_seconds_ago: int | None
    keys_backup_seconds_ago: int | None


def _seconds_since(when: dt.datetime | None, now: dt.datetime) -> int | None:
    return None if when is None else max(0, int((now - when).total_seconds()))


def due_followups(now: dt.datetime):
    return FollowUp.objects.filter(state=FollowUpState.SCHEDULED, due_at__lte=now)


def tasks_waiting() -> int:
    return DBTaskResult.objects.filter(status="READY").count()


def summary(now: dt.datetime | None = None) -> Summary:
    now = now or timezone.now()
    people = Person.objects.aggregate(all=Count("pk"), active=Count("pk", filter=Q(is_active=True)))
    due = due_followups(now).aggregate(
        n=Count("pk"), late=Count("pk", filter=Q(due_at__lt=now - LATE_AFTER))
    )
    oldest_due = due_followups(now).order_by("due_at").values_list("due_at", flat=True).first()
    beat = Heartbeat.objects.aggregate(last=Max("beat_at"))["last"]
    failed = Delivery.objects.filter(
        status=Delivery.Status.FAILED, created_at__gte=now - dt.timedelta(days=1)
    ).count()
    state, _age = backup_state(now)
    return Summary(
        people=people["all"],
        people_active=people["active"],
        dispatcher_seen_seconds_ago=_seconds_since(beat, now),
        followups_due=due["n"],
        followups_late=due["late"],
        oldest_due_seconds=_seconds_since(oldest_due, now),
        deliveries_failed_last_day=failed,
        tasks_waiting=tasks_waiting(),
        backup=state,
        data_backup_seconds_ago=backup_age_seconds(DATA, now),
        keys_backup_seconds_ago=backup_age_seconds(KEY_STORE, now),
    )

"""Retention a person chose: encounters and check-ins older than N months are deleted for
good, once a day (by the housekeeping loop), the same way as deleting them by hand."""

import datetime as dt

from django.utils import timezone

from accounts.models import Person
from alerts.models import Alert
from checkins import services as checkins
from checkins.models import CheckIn, Encounter
from followups.models import FollowUp
from notify.models import Notification

DAYS_PER_MONTH = 30.44


def cutoff(months: int, now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(days=round(months * DAYS_PER_MONTH))


def apply_retention(now: dt.datetime | None = None) -> int:
    """How many encounters and check-ins went."""
    now = now or timezone.now()
    removed = 0
    for person in Person.objects.filter(retention_months__isnull=False, is_active=True):
        before = cutoff(person.retention_months or 0, now)
        for encounter in Encounter.objects.for_person(person).filter(occurred_at__lt=before):
            removed += 1 + encounter.checkins.filter(person=person).count()
            checkins.delete_encounter(encounter)
        # Their own check-ins on partners' encounters, and detached ones; and what still
        # tells when things happened: follow-ups, alerts and inbox lines as old.
        removed += CheckIn.objects.for_person(person).filter(created_at__lt=before).delete()[0]
        FollowUp.objects.for_person(person).filter(due_at__lt=before).delete()
        Alert.objects.filter(person=person, created_at__lt=before).delete()
        Notification.objects.filter(person=person, created_at__lt=before).delete()
    return removed

"""Deleting a person: every row that refers to them, in every table, and their data key.

Their connections end first (a partner sees only "ended"), so nothing of theirs stays
reachable; the database's cascades then remove what hangs on the person, and what only
points at them (a partner's check-in on their encounter) is detached by `SET_NULL`. Task rows
carry ids only, but the ones about this person go too, as do their sessions. Last, their data
key is destroyed in the key store, which makes anything of theirs in a backup of the data
unreadable, and a tombstone there lets a restore of an older backup remove them again.
"""

import logging

from django.db import transaction
from django.db.models import Q
from django_tasks_db.models import DBTaskResult

from accounts import services as accounts
from accounts.models import Person
from alerts.models import AlertRecipient
from followups import services as followups
from notify.models import Delivery
from partners import services as partners
from partners.models import Connection, SupportContact
from privacy.models import Export
from vault.models import ErasedOwner
from vault.routers import KEY_STORE
from vault.services import destroy_key

log = logging.getLogger(__name__)


def _task_rows_about(person):
    """django-tasks-db rows whose only argument is the id of something of this person's."""
    ids_by_task = {
        "notify.services.send_delivery": Delivery.objects.filter(
            notification__person=person
        ).values_list("pk", flat=True),
        "alerts.dropwatch.tell_support_contact": AlertRecipient.objects.filter(
            alert__person=person
        ).values_list("pk", flat=True),
        "partners.support.send_verification": SupportContact.objects.filter(
            person=person
        ).values_list("pk", flat=True),
        "privacy.export.build_export": Export.objects.filter(person=person).values_list(
            "pk", flat=True
        ),
    }
    about = Q(pk__in=[])
    for path, ids in ids_by_task.items():
        about |= Q(task_path=path, args_kwargs__args__0__in=list(ids))
    return DBTaskResult.objects.filter(about)


@transaction.atomic
def erase_person(person) -> None:
    for connection in Connection.objects.active_for(person):
        partners.end(connection)
    followups.cancel_for_person(person, "encounter_gone")
    _task_rows_about(person).delete()
    accounts.end_sessions(person)
    owner_id, owner_code = person.pk, person.code
    person.delete()
    ErasedOwner.objects.using(KEY_STORE).get_or_create(owner_id=owner_id, owner_code=owner_code)
    destroy_key(owner_id)
    log.info("erased person %s", owner_id)


def purge_erased() -> int:
    """Remove people who were erased but came back with a restored backup of the data."""
    count = 0
    for tombstone in ErasedOwner.objects.using(KEY_STORE).iterator():
        found = Person.objects.filter(pk=tombstone.owner_id, code=tombstone.owner_code).first()
        if found is not None:
            erase_person(found)
            count += 1
    return count

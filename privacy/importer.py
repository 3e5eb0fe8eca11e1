"""Moving between servers: a JSON export, imported into a fresh account on another instance.

Only what belongs to the person comes along: settings (not the e-mail address, which is the
account's own), the profile, their own care items and answers, encounters, check-ins and
follow-ups with their history. What involves other people (connections, what partners
shared, wishes, alerts, nudges, guests, support contacts) and what belongs to the old server
(channels, deliveries, tokens, consents: consent is given again here) is left out.
"""

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import ValidationError as SchemaError

from accounts import services as accounts
from accounts.models import Person
from care.catalogue import CATEGORIES
from care.models import AftercareProfile, Answer, CareItem, Preference
from checkins.models import CheckIn, Encounter, Kind
from consent.services import require_consent
from followups.models import FollowUp, FollowUpEvent, FollowUpState
from privacy.export_schema import FORMAT, VERSION, ExportDocument

IMPORTED = ("person", "profile", "own_items", "preferences", "encounters", "checkins", "followups")
MAX_BYTES = 50 * 1024 * 1024
OPEN = (FollowUpState.SCHEDULED, FollowUpState.SENT)
STALE = dt.timedelta(hours=1)
SETTINGS = (
    "display_name",
    "pronouns",
    "time_zone",
    "declined_time_zone",
    "country",
    "language",
    "follow_up_hours",
    "tell_automatically",
    "retention_months",
    "discreet_mode",
    "quick_exit_signs_out",
)


def parse(raw: bytes | str) -> ExportDocument:
    if len(raw) > MAX_BYTES:
        raise ValidationError(_("This file is larger than any export we make."))
    try:
        document = ExportDocument.model_validate_json(raw)
    except SchemaError:
        raise ValidationError(
            _("This is not an export we can read. Please choose the .json file of an export.")
        ) from None
    if document.format != FORMAT or document.version != VERSION:
        raise ValidationError(_("This export was made in a format we don't know yet."))
    return document


def is_fresh(person) -> bool:
    return not (
        Encounter.objects.for_person(person).exists()
        or CheckIn.objects.for_person(person).exists()
        or CareItem.objects.filter(person=person).exists()
        or Preference.objects.filter(person=person).exists()
        or AftercareProfile.objects.filter(person=person, completed_at__isnull=False).exists()
    )


def _check(document: ExportDocument) -> None:
    """What the schema's types cannot say: every choice is one this server knows."""
    choices = {
        "kind": ({e.kind for e in document.encounters}, set(Kind.values)),
        "encounter_kind": (
            {c.encounter_kind for c in document.checkins}
            | {f.encounter_kind for f in document.followups},
            {"", *Kind.values},
        ),
        "category": ({i.category for i in document.own_items}, {c for c, _ in CATEGORIES}),
        "answer": (
            {a for p in document.preferences for a in (p.receive, p.give)},
            set(Answer.values),
        ),
        "state": (
            {f.state for f in document.followups}
            | {e.state for f in document.followups for e in f.events},
            set(FollowUpState.values),
        ),
        "reason": (
            {e.reason for f in document.followups for e in f.events},
            set(FollowUpEvent.Reason.values),
        ),
    }
    for _name, (found, known) in choices.items():
        if not found <= known:
            raise ValidationError(_("This export holds values this server does not know."))
    scales = [v for c in document.checkins for v in (c.pleasantness, c.energy) if v is not None]
    offsets = [f.offset_hours for f in document.followups]
    if any(not 1 <= v <= 7 for v in scales) or any(o < 0 or o > 1000 for o in offsets):
        raise ValidationError(_("This export holds values this server does not know."))
    if len({p.item for p in document.preferences}) != len(document.preferences):
        raise ValidationError(_("This export holds the same answer twice."))


@transaction.atomic
def import_document(person, document: ExportDocument) -> dict[str, int]:
    """Import into a fresh account; how many of each were brought in."""
    require_consent(person)
    _check(document)
    # One import at a time per person: the second waits, then finds the account not fresh.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    if not is_fresh(person):
        raise ValidationError(
            _("Importing works into a new account only, so that nothing is doubled.")
        )
    try:
        accounts.update_settings(
            person,
            quiet_hours_start=dt.time.fromisoformat(document.person.quiet_hours_start),
            quiet_hours_end=dt.time.fromisoformat(document.person.quiet_hours_end),
            **{name: getattr(document.person, name) for name in SETTINGS},
        )
    except (ValueError, ValidationError):
        raise ValidationError(_("The settings in this export are not ones we can use.")) from None
    if document.profile is not None:
        AftercareProfile.objects.update_or_create(
            person=person, defaults=document.profile.model_dump()
        )
    items = {
        item.key: item for item in CareItem.objects.filter(person__isnull=True, key__isnull=False)
    }
    for own in document.own_items:
        items[str(own.code)] = CareItem.objects.create(
            person=person,
            category=own.category,
            own_label=own.label,
            self_care=own.self_care,
            retired=own.retired,
        )
    Preference.objects.bulk_create(
        Preference(person=person, item=items[p.item], receive=p.receive, give=p.give)
        for p in document.preferences
        if p.item in items
    )
    encounters: dict[uuid.UUID, Encounter] = {}
    for e in document.encounters:
        encounter = Encounter.objects.create(
            person=person, occurred_at=e.occurred_at, kind=e.kind, note=e.note
        )
        encounter.care_acts.set([items[ref] for ref in e.care_acts if ref in items])
        encounters[e.code] = encounter
    checkins: dict[uuid.UUID, CheckIn] = {}
    for c in document.checkins:
        checkin = CheckIn.objects.create(
            person=person,
            encounter=encounters.get(c.encounter) if c.encounter else None,
            **c.model_dump(exclude={"code", "encounter", "created_at", "care_given"}),
        )
        checkin.care_given.set([items[ref] for ref in c.care_given if ref in items])
        CheckIn.objects.filter(pk=checkin.pk).update(created_at=c.created_at)
        checkins[c.code] = checkin
    now = timezone.now()
    for f in document.followups:
        values = f.model_dump(exclude={"code", "encounter", "checkin", "events"})
        events = [FollowUpEvent(**event.model_dump()) for event in f.events]
        if values["state"] in OPEN and values["due_at"] < now - STALE:
            # Long overdue by the time it arrived: not asked now, all at once.
            values["state"] = FollowUpState.CANCELLED
            events.append(
                FollowUpEvent(state=values["state"], reason=FollowUpEvent.Reason.MOVED, at=now)
            )
        followup = FollowUp.objects.create(
            person=person,
            encounter=encounters.get(f.encounter) if f.encounter else None,
            checkin=checkins.get(f.checkin) if f.checkin else None,
            **values,
        )
        for event in events:
            event.followup = followup
        FollowUpEvent.objects.bulk_create(events)
    return {
        "own_items": len(document.own_items),
        "encounters": len(encounters),
        "checkins": len(checkins),
        "followups": len(document.followups),
    }

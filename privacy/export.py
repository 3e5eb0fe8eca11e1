"""Everything about a person, to take with them: one JSON document (see export_schema) and the
same as a ZIP of CSV files. Built by a background task that is given the export's id; the
result is sealed with the person's key and can be downloaded, after a fresh sign-in, until it
expires a day later.
"""

import csv
import datetime as dt
import io
import json
import zipfile

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.models import AccessToken
from alerts import dropwatch
from alerts.models import Nudge
from care.models import AftercareProfile, CareItem, Preference
from checkins.models import CheckIn, Encounter
from checkins.services import checkin_as_data
from consent.models import Consent
from followups import services as followups
from followups.models import FollowUp
from notify.models import Channel, Delivery, Notification
from partners.models import Connection, GuestLink, SupportContact, Wish
from partners.plan import shared_plan
from partners.wishes import next_time
from privacy.export_schema import FORMAT, VERSION, ExportDocument
from privacy.models import Export

EXPIRES_AFTER = dt.timedelta(hours=24)
STUCK_AFTER = dt.timedelta(hours=1)  # a download still "being prepared" after this is lost


def _item_ref(item: CareItem) -> str:
    return item.key or str(item.code)


def _shared_with_me(connection: Connection, person) -> list[dict]:
    """What the other side shares with this person across this connection now
    (`CheckIn.objects.shared_with`): computed when read, so an ended or paused connection
    shows nothing, exactly as on the pages."""
    found = (
        CheckIn.objects.shared_with(person, through=connection)
        .select_related("encounter")
        .with_care()
    )
    return [
        {"encounter": c.encounter.code, "created_at": c.created_at, "answers": c.shown_answers()}
        for c in found
        if c.encounter is not None  # always, by shared_with: said for the type checker
    ]


def _next_time(connection: Connection, person) -> dict:
    seen = next_time(connection, person)
    return {
        "matches": [str(label) for label in seen["matches"]],
        "their_words": [w.text for w in seen["their_words"]],
    }


def _plan(connection: Connection, person) -> dict | None:
    sides = {s.person_id: s for s in connection.sides.all()}
    mine = sides.get(person.pk)
    other = next((s for pid, s in sides.items() if pid != person.pk), None)
    if mine is None or other is None or not connection.is_sharing:
        return None
    plan = shared_plan(person, mine, other)
    if not plan.ready:
        return None
    return {
        "they_can_give_you": [_item_ref(item) for item, _answer in plan.they_can_give_you],
        "you_can_give_them": [_item_ref(item) for item, _answer in plan.you_can_give_them],
        "their_boundaries": plan.their_boundaries,
    }


def build_document(person) -> dict:
    profile = AftercareProfile.objects.filter(person=person).first()
    connections = list(
        Connection.objects.for_person(person).prefetch_related("sides__person").order_by("pk")
    )
    sides = {c.pk: next(s for s in c.sides.all() if s.person_id == person.pk) for c in connections}
    document = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now(),
        "instance": settings.INSTANCE_NAME,
        "person": {
            "email": person.email,
            "display_name": person.display_name,
            "pronouns": person.pronouns,
            "time_zone": person.time_zone,
            "declined_time_zone": person.declined_time_zone,
            "country": person.country,
            "language": person.language,
            "quiet_hours_start": person.quiet_hours_start.strftime("%H:%M"),
            "quiet_hours_end": person.quiet_hours_end.strftime("%H:%M"),
            "follow_up_hours": list(person.follow_up_hours),
            "tell_automatically": person.tell_automatically,
            "discreet_mode": person.discreet_mode,
            "quick_exit_signs_out": person.quick_exit_signs_out,
            "retention_months": person.retention_months,
            "date_joined": person.date_joined,
        },
        "consents": [
            {
                "version": c.version,
                "purposes": list(c.purposes),
                "adult_confirmed": c.adult_confirmed,
                "given_at": c.given_at,
                "withdrawn_at": c.withdrawn_at,
            }
            for c in Consent.objects.filter(person=person).order_by("given_at", "pk")
        ],
        "profile": None
        if profile is None
        else {
            name: getattr(profile, name)
            for name in (
                "time_needed",
                "drop_signs",
                "drop_helps",
                "self_care",
                "boundaries",
                "ask_again_if_fine",
                "next_day_checkin",
                "completed_at",
            )
        },
        "own_items": [
            {
                "code": i.code,
                "category": i.category,
                "label": i.own_label,
                "self_care": i.self_care,
                "retired": i.retired,
            }
            for i in CareItem.objects.filter(person=person).order_by("created_at", "pk")
        ],
        "preferences": [
            {"item": _item_ref(p.item), "receive": p.receive, "give": p.give}
            for p in Preference.objects.filter(person=person)
            .select_related("item")
            .order_by("item__position", "item__created_at", "pk")
        ],
        "encounters": [
            {
                "code": e.code,
                "occurred_at": e.occurred_at,
                "kind": e.kind,
                "care_acts": sorted(_item_ref(i) for i in e.care_acts.all()),
                "note": e.note,
                "connections": sorted(c.code for c in e.connections.all()),
            }
            for e in Encounter.objects.for_person(person)
            .prefetch_related("care_acts", "connections")
            .order_by("occurred_at", "pk")
        ],
        "checkins": [
            {**checkin_as_data(c), "care_given": sorted(_item_ref(i) for i in c.care_given.all())}
            for c in CheckIn.objects.for_person(person)
            .select_related("encounter")
            .prefetch_related("care_given")
            .order_by("created_at", "pk")
        ],
        "followups": [
            followups.as_data(f)
            for f in FollowUp.objects.for_person(person)
            .select_related("encounter", "checkin")
            .prefetch_related("events")
            .order_by("due_at", "pk")
        ],
        "connections": [
            {
                "code": c.code,
                "created_at": c.created_at,
                "ended_at": c.ended_at,
                "nickname": sides[c.pk].nickname,
                "share_profile": sides[c.pk].share_profile,
                "share_checkins": sides[c.pk].share_checkins,
                "shared_answers": list(sides[c.pk].shared_answers),
                "share_drop_alerts": sides[c.pk].share_drop_alerts,
                "share_insights": sides[c.pk].share_insights,
                "paused_at": sides[c.pk].paused_at,
                "shared_with_me": _shared_with_me(c, person),
                "next_time_with_me": _next_time(c, person),
                "plan": _plan(c, person),
            }
            for c in connections
        ],
        "wishes": [
            {
                "connection": w.connection.code,
                "idea": w.idea,
                "text": w.text,
                "shared": w.shared,
                "created_at": w.created_at,
            }
            for w in Wish.objects.filter(person=person)
            .select_related("connection")
            .order_by("created_at", "pk")
        ],
        "guest_links": [
            {
                "code": g.code,
                "nickname": g.nickname,
                "created_at": g.created_at,
                "expires_at": g.expires_at,
                "answered_at": g.answered_at,
                "revoked_at": g.revoked_at,
                "answer": _guest_answer(g),
            }
            for g in GuestLink.objects.filter(person=person)
            .select_related("answer")
            .order_by("created_at", "pk")
        ],
        "support_contacts": [
            {
                "code": s.code,
                "name": s.name,
                "email": s.email,
                "reached_by": "email" if s.email else "url",
                "may_tell": s.may_tell,
                "verified_at": s.verified_at,
                "created_at": s.created_at,
            }
            for s in SupportContact.objects.filter(person=person).order_by("created_at", "pk")
        ],
        "channels": [
            {
                "code": c.code,
                "kind": c.kind,
                "label": c.label,
                "enabled": c.enabled,
                "disabled_reason": c.disabled_reason,
                "created_at": c.created_at,
            }
            for c in Channel.objects.filter(person=person).order_by("created_at", "pk")
        ],
        "notifications": [
            {"code": n.code, "kind": n.kind, "created_at": n.created_at, "read_at": n.read_at}
            for n in Notification.objects.filter(person=person).order_by("created_at", "pk")
        ],
        "deliveries": [
            {
                "channel": d.channel.code,
                "notification": d.notification.code,
                "status": d.status,
                "error": d.error,
                "attempts": d.attempts,
                "created_at": d.created_at,
                "finished_at": d.finished_at,
            }
            for d in Delivery.objects.filter(channel__person=person)
            .select_related("channel", "notification")
            .order_by("created_at", "pk")
        ],
        "alerts": [dropwatch.as_data(a) for a in dropwatch.alerts_of(person, limit=100_000)],
        "nudges": [
            {
                "code": n.code,
                "direction": "sent" if n.sender_id == person.pk else "received",
                "encounter": n.encounter.code,
                "connection": n.connection.code,
                "created_at": n.created_at,
            }
            for n in Nudge.objects.filter(Q(sender=person) | Q(recipient=person))
            .select_related("encounter", "connection")
            .order_by("created_at", "pk")
        ],
        "access_tokens": [
            {
                "name": t.name,
                "hint": t.hint,
                "created_at": t.created_at,
                "last_used_at": t.last_used_at,
                "revoked_at": t.revoked_at,
            }
            for t in AccessToken.objects.filter(person=person).order_by("created_at", "pk")
        ],
    }
    # Checked against the published schema before anyone gets it.
    return ExportDocument.model_validate(document).model_dump(mode="json")


def _guest_answer(link: GuestLink) -> dict | None:
    answer = getattr(link, "answer", None)
    if answer is None:
        return None
    return {
        "feeling": answer.feeling,
        "message": answer.message,
        "wants_to_hear_back": answer.wants_to_hear_back,
        "created_at": answer.created_at.isoformat(),
    }


def as_json(document: dict) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


def as_csv_zip(document: dict) -> bytes:
    """One CSV file per list in the document (nested values as JSON in their cell), plus the
    person's settings and the profile as one-row files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, value in document.items():
            rows = value if isinstance(value, list) else [value] if isinstance(value, dict) else []
            if not rows and not isinstance(value, list):
                continue
            columns = list(rows[0]) if rows else []
            text = io.StringIO()
            writer = csv.writer(text)
            writer.writerow(columns)
            for row in rows:
                writer.writerow(
                    [
                        json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v
                        for v in (row.get(c) for c in columns)
                    ]
                )
            archive.writestr(f"{name}.csv", text.getvalue())
        meta = {k: v for k, v in document.items() if not isinstance(v, list | dict)}
        archive.writestr("README.txt", _readme(meta))
    return buffer.getvalue()


def _readme(meta: dict) -> str:
    about = gettext(
        "%(instance)s export, format %(format)s version %(version)s, made %(made)s."
    ) % {
        "instance": meta.get("instance"),
        "format": meta.get("format"),
        "version": meta.get("version"),
        "made": meta.get("exported_at"),
    }
    how = gettext("One CSV file per part of the JSON export; lists inside a cell are JSON.")
    return f"{about}\n{how}\n"


def request_export(person) -> Export:
    """An export to be built in the background; the last one still waiting is reused."""
    waiting = Export.objects.filter(
        person=person,
        status=Export.Status.PENDING,
        created_at__gt=timezone.now() - STUCK_AFTER,
    ).first()
    if waiting is not None:
        return waiting
    with transaction.atomic():
        # Expires even if it is never built, so a lost one never blocks the next.
        export = Export.objects.create(person=person, expires_at=timezone.now() + EXPIRES_AFTER)
        build_export.enqueue(export.pk)  # same database: queued with the row, or not at all
    return export


@task()
def build_export(export_id: int) -> None:
    export = (
        Export.objects.select_related("person")
        .filter(pk=export_id, status=Export.Status.PENDING)
        .first()
    )
    if export is None:
        return
    try:
        # Built in the background: the words in it (the names of shared ideas, of care) are in
        # the person's language, as on their pages.
        with translation.override(export.person.language or settings.LANGUAGE_CODE):
            document = build_document(export.person)
    except Exception:
        export.delete()  # the person can ask again; the task row keeps no detail
        raise RuntimeError(f"could not build export {export_id}") from None
    export.document = as_json(document).decode()
    export.status = Export.Status.READY
    export.ready_at = timezone.now()
    export.expires_at = export.ready_at + EXPIRES_AFTER
    export.save(update_fields=["document", "status", "ready_at", "expires_at"])


def purge_expired(now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    return Export.objects.filter(expires_at__lt=now).delete()[0]

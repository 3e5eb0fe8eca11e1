"""The drop watch: after a check-in that raised a drop signal, tell the people the person
chose that they could use some care — with one tap, or at once if they turned that on.

A partner is told in the app (and through their own channels, discreetly) and sees what the
shared plan says they can give. A support contact gets a content-free "please check on them"
by e-mail or their notification URL. Never the score, never the answers. Every alert and each
person told is a row the person can read.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from alerts.models import Alert, AlertRecipient
from checkins.models import CheckIn
from consent.services import require_consent
from notify.models import Notification
from notify.services import notify
from partners.models import ConnectionSide, SupportContact
from partners.services import other_name
from partners.support import send_to_contact


def partner_sides(person) -> list[ConnectionSide]:
    """The other sides of the person's connections that share, on which they chose drop
    alerts (`ConnectionSide.objects.telling_drops_of`)."""
    return list(
        ConnectionSide.objects.telling_drops_of(person)
        .select_related("person", "connection")
        .prefetch_related("connection__sides__person")
        .order_by("connection_id", "pk")
    )


def support_contacts(person, *, automatic_only: bool = False):
    found = SupportContact.objects.filter(person=person, verified_at__isnull=False)
    if automatic_only:
        found = found.filter(may_tell=SupportContact.When.AUTOMATIC)
    return list(found.order_by("created_at"))


def already_told(checkin: CheckIn) -> tuple[set[int], set[int]]:
    """(connection ids, support contact ids) told about this check-in so far."""
    told = AlertRecipient.objects.filter(alert__checkin=checkin).exclude(
        status=AlertRecipient.Status.FAILED
    )
    return (
        {c for c in told.values_list("connection_id", flat=True) if c},
        {s for s in told.values_list("support_contact_id", flat=True) if s},
    )


def who_can_be_told(person, checkin: CheckIn) -> list[str]:
    """The names of those a tap would tell now."""
    connections, contacts = already_told(checkin)
    return [
        other_name(side.connection, person)
        for side in partner_sides(person)
        if side.connection_id not in connections
    ] + [c.name for c in support_contacts(person) if c.pk not in contacts]


@transaction.atomic
def tell(person, checkin: CheckIn, *, automatic: bool = False) -> Alert | None:
    """Tell those chosen who were not told yet about this check-in. None if nobody is left.

    By tap: every chosen partner and every confirmed support contact. Automatically: the
    partners if the person turned that on, and the contacts they said may be told at once."""
    require_consent(person)
    if checkin.person_id != person.pk or not checkin.raised_drop:
        raise ValidationError(_("There is nothing to tell anyone about this check-in."))
    connections, contacts_told = already_told(checkin)
    partners = [] if automatic and not person.tell_automatically else partner_sides(person)
    partners = [s for s in partners if s.connection_id not in connections]
    contacts = [
        c for c in support_contacts(person, automatic_only=automatic) if c.pk not in contacts_told
    ]
    if not partners and not contacts:
        return None
    now = timezone.now()
    alert = Alert.objects.create(person=person, checkin=checkin, automatic=automatic)
    for side in partners:
        recipient = AlertRecipient.objects.create(
            alert=alert,
            connection_id=side.connection_id,
            partner_id=side.person_id,
            status=AlertRecipient.Status.SENT,
            told_at=now,
        )
        notify(side.person, Notification.Kind.DROP_ALERT, alert=recipient)
    for contact in contacts:
        recipient = AlertRecipient.objects.create(alert=alert, support_contact=contact)
        # In the same transaction: the task queue is a table of this database.
        tell_support_contact.enqueue(recipient.pk)
    return alert


def tell_automatically(person, checkin: CheckIn) -> Alert | None:
    if not checkin.raised_drop:
        return None
    return tell(person, checkin, automatic=True)


@task()
def tell_support_contact(recipient_id: int) -> None:
    recipient = (
        AlertRecipient.objects.select_related("support_contact", "alert__person")
        .filter(pk=recipient_id, status=AlertRecipient.Status.PENDING)
        .first()
    )
    if recipient is None or recipient.support_contact is None:
        return
    contact, person = recipient.support_contact, recipient.alert.person
    context = {"name": person.display_name}
    try:
        send_to_contact(contact, "alerts/email/check_on_them", context)
    except Exception:
        recipient.status = AlertRecipient.Status.FAILED
        recipient.save(update_fields=["status"])
        raise RuntimeError(f"could not reach support contact of alert {recipient_id}") from None
    recipient.status = AlertRecipient.Status.SENT
    recipient.told_at = timezone.now()
    recipient.save(update_fields=["status", "told_at"])


def with_names(alerts, viewer) -> list[Alert]:
    """The alerts, each recipient given a `name` as the viewer knows them."""
    alerts = list(
        alerts.prefetch_related(
            "recipients__support_contact", "recipients__connection__sides__person"
        )
    )
    for alert in alerts:
        for recipient in alert.recipients.all():
            if recipient.support_contact is not None:
                recipient.name = recipient.support_contact.name
            elif recipient.connection is not None:
                recipient.name = other_name(recipient.connection, viewer)
            else:
                recipient.name = _("someone no longer on your list")
    return alerts


def as_data(alert: Alert) -> dict:
    """An alert as the API and the export give it (recipients named by `with_names`)."""

    def kind(r):
        return (
            "support_contact" if r.support_contact_id else "partner" if r.connection_id else "gone"
        )

    return {
        "code": alert.code,
        "checkin": alert.checkin.code if alert.checkin else None,
        "automatic": alert.automatic,
        "created_at": alert.created_at,
        "recipients": [
            {
                "name": str(getattr(r, "name", "")),
                "kind": kind(r),
                "status": r.status,
                "told_at": r.told_at,
            }
            for r in alert.recipients.all()
        ],
    }


def alerts_by(person):
    """The person's alerts, newest first, as a query: a list names the recipients of its
    page alone (``with_names``)."""
    return Alert.objects.filter(person=person).order_by("-created_at", "-id")


def alerts_of(person, limit: int = 50) -> list[Alert]:
    return with_names(alerts_by(person)[:limit], person)

"""Support contacts: added by the person, confirmed by the contact through a link by e-mail.

The confirmation e-mail says only that someone listed them as a person they trust on this
instance; nothing about sex, play or feelings. It is sent by a background task that is given
the contact's id only and makes the link itself, so no secret ever sits in a task row.
"""

import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from consent.services import require_consent
from lib import emails, targets
from lib.links import site_link
from notify import outbound
from partners.models import SupportContact, hash_secret


def add_contact(
    person, *, name: str, may_tell: str, email: str = "", notify_url: str = ""
) -> SupportContact:
    """Someone to reach by e-mail or by one notification URL (exactly one of the two)."""
    require_consent(person)
    name, email, notify_url = name.strip(), email.strip(), notify_url.strip()
    errors: dict[str, Any] = {}
    if not name or len(name) > 80:
        errors["name"] = _("Please give a name of up to 80 characters.")
    if bool(email) == bool(notify_url):
        errors["email"] = _("Please give either an e-mail address or a notification URL.")
    else:
        field = "email" if email else "notify_url"
        try:
            outbound.check(_target(email, notify_url))
        except targets.Refused as refused:
            kind = outbound.EMAIL if email else outbound.APPRISE
            errors.update(targets.invalid(refused, field=field, kind=kind).error_dict)
    if may_tell not in SupportContact.When.values:
        errors["may_tell"] = _("Please choose when they may be told.")
    if errors:
        raise ValidationError(errors)
    contact = SupportContact.objects.create(
        person=person, name=name, email=email, notify_url=notify_url, may_tell=may_tell
    )
    send_verification.enqueue(contact.pk)
    return contact


def update_contact(contact: SupportContact, *, may_tell: str) -> SupportContact:
    require_consent(contact.person)
    if may_tell not in SupportContact.When.values:
        raise ValidationError({"may_tell": _("Please choose when they may be told.")})
    contact.may_tell = may_tell
    contact.save(update_fields=["may_tell"])
    return contact


def remove_contact(contact: SupportContact) -> None:
    contact.delete()


@task()
def send_verification(contact_id: int) -> None:
    contact = SupportContact.objects.filter(pk=contact_id, verified_at__isnull=True).first()
    if contact is None:
        return  # removed or already confirmed: nothing to do
    secret = secrets.token_urlsafe(24)
    contact.verify_hash = hash_secret(secret)
    contact.save(update_fields=["verify_hash"])
    context = {"link": site_link("partners:support_verify", secret)}
    try:
        send_to_contact(contact, "partners/email/support_verify", context)
    except Exception:
        # The task row keeps the error: say what failed, never to whom.
        raise RuntimeError(
            f"could not send the confirmation e-mail of contact {contact_id}"
        ) from None


def _target(email: str, notify_url: str) -> outbound.Target:
    if email:
        return outbound.Target(outbound.EMAIL, email)
    return outbound.Target(outbound.APPRISE, notify_url)


def send_to_contact(contact: SupportContact, name: str, context: dict) -> None:
    """The e-mail `name` (lib.emails), by e-mail or as its subject and text by their
    notification URL: the one way they gave. targets.Refused if it did not go (its reason
    names neither the contact nor the message).

    In the person's language, the best guess for someone who knows them, and in discreet
    words if the person wears them: their discreet mode reaches the people they trust too."""
    person = contact.person
    email = emails.render(
        name,
        context,
        language=person.language or settings.LANGUAGE_CODE,
        discreet_words=person.discreet_mode,
    )
    message = outbound.Message(title=email.subject, body=email.text, email=email)
    result = outbound.deliver(_target(contact.email, contact.notify_url), message)
    if not result.sent:
        raise targets.Refused(result.code)


def is_waiting(secret: str) -> bool:
    return SupportContact.objects.filter(
        verify_hash=hash_secret(secret), verified_at__isnull=True
    ).exists()


def verify(secret: str) -> SupportContact | None:
    contact = SupportContact.objects.filter(
        verify_hash=hash_secret(secret), verified_at__isnull=True
    ).first()
    if contact is not None:
        contact.verified_at = timezone.now()
        contact.verify_hash = ""
        contact.save(update_fields=["verified_at", "verify_hash"])
    return contact

"""Support contacts: added by the person, confirmed by the contact through a link by e-mail.

The confirmation e-mail says only that someone listed them as a person they trust on this
instance; nothing about sex, play or feelings. It is sent by a background task that is given
the contact's id only and makes the link itself, so no secret ever sits in a task row.
"""

import secrets

import apprise
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from consent.services import require_consent
from lib import discreet, notify_urls
from lib.links import site_link
from partners.models import SupportContact, hash_secret


def add_contact(
    person, *, name: str, may_tell: str, email: str = "", notify_url: str = ""
) -> SupportContact:
    """Someone to reach by e-mail or by one notification URL (exactly one of the two)."""
    require_consent(person)
    name, email, notify_url = name.strip(), email.strip(), notify_url.strip()
    errors = {}
    if not name or len(name) > 80:
        errors["name"] = _("Please give a name of up to 80 characters.")
    if bool(email) == bool(notify_url):
        errors["email"] = _("Please give either an e-mail address or a notification URL.")
    elif email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Please check the e-mail address.")
    else:
        try:
            notify_urls.check(notify_url, allow_private=settings.NOTIFY_ALLOW_PRIVATE_HOSTS)
        except notify_urls.UnsafeURL as exc:
            errors["notify_url"] = _("We can't send to this URL: %(why)s.") % {"why": exc}
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
    context = {
        # The person's discreet mode reaches the people they trust too: no revealing name.
        "instance_name": discreet.instance_name(contact.person.discreet_mode),
        "link": site_link("partners:support_verify", secret),
    }
    subject = render_to_string("partners/email/support_verify_subject.txt", context).strip()
    body = render_to_string("partners/email/support_verify_body.txt", context)
    try:
        send_to_contact(contact, subject, body)
    except Exception:
        # The task row keeps the error: say what failed, never to whom.
        raise RuntimeError(
            f"could not send the confirmation e-mail of contact {contact_id}"
        ) from None


def send_to_contact(contact: SupportContact, subject: str, body: str) -> None:
    """By e-mail, or by their notification URL: the one way they gave."""
    if contact.email:
        send_mail(subject, body, None, [contact.email])
    else:
        notify_by_url(contact.notify_url, subject, body)


def notify_by_url(url: str, title: str, body: str) -> None:
    # Checked again now: the name may resolve somewhere else than when it was saved.
    notify_urls.check(url, allow_private=settings.NOTIFY_ALLOW_PRIVATE_HOSTS)
    sender = apprise.Apprise()
    sender.add(url)
    notify_urls.harden(sender)
    if not sender.notify(title=title, body=body):
        raise RuntimeError("the notification service did not accept the message")


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

"""Guest links: a short, warm check-in for a casual partner who has no account.

The link works once and for 72 hours. The answer reaches only the person who made the link,
sealed with their key, and is deleted after 30 days together with the link.
"""

import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from care import crisis, drop
from care.catalogue import GROUNDING
from consent.services import require_consent
from partners.models import GuestAnswer, GuestLink, hash_secret
from partners.signals import guest_answered

LINK_LIFETIME = dt.timedelta(hours=72)
KEEP_ANSWERS = dt.timedelta(days=30)


def create_link(person, *, nickname: str = "") -> tuple[GuestLink, str]:
    require_consent(person)
    if len(nickname) > 80:
        raise ValidationError({"nickname": _("Please keep the name under 80 characters.")})
    secret = secrets.token_urlsafe(24)
    link = GuestLink.objects.create(
        person=person,
        nickname=nickname,
        secret_hash=hash_secret(secret),
        expires_at=timezone.now() + LINK_LIFETIME,
    )
    return link, secret


def open_link(secret: str) -> GuestLink | None:
    return GuestLink.objects.open().filter(secret_hash=hash_secret(secret)).first()


def makers_country(secret: str) -> str:
    """Where the person who made this link lives, if they said, whether or not the link
    still works: the crisis lines a guest sees after answering it too late."""
    found = GuestLink.objects.filter(secret_hash=hash_secret(secret)).values_list(
        "person__country", flat=True
    )
    return next(iter(found), None) or ""


@transaction.atomic
def answer(
    secret: str, *, feeling: int | None, message: str, wants_to_hear_back: bool
) -> GuestAnswer:
    link = (
        GuestLink.objects.select_for_update()
        .filter(
            pk__in=GuestLink.objects.open().filter(secret_hash=hash_secret(secret)).values("pk")
        )
        .first()
    )
    if link is None:
        raise ValidationError(_("This link has already been used or has expired."))
    # The answer is stored for the link's maker: only while they consent to storing.
    require_consent(link.person)
    if feeling is not None and not 1 <= feeling <= 7:
        raise ValidationError({"feeling": _("Please choose a point between the two ends.")})
    if len(message) > 2000:
        raise ValidationError({"message": _("Please keep it under 2000 characters.")})
    link.answered_at = timezone.now()
    link.save(update_fields=["answered_at"])
    made = GuestAnswer.objects.create(
        link=link,
        person=link.person,
        feeling=feeling,
        message=message,
        wants_to_hear_back=wants_to_hear_back,
    )
    guest_answered.send(sender=GuestAnswer, answer=made)
    return made


def needs_care(*, feeling: int | None, feelings, wants_care: bool) -> bool:
    """The drop rule as far as a guest's answers can meet it: a guest has no baseline."""
    return bool(drop.drop_reasons(pleasantness=feeling, feelings=feelings, wants_care=wants_care))


def care_for_guest(country: str) -> dict:
    """The help a low answer shows a guest: the same grounding and crisis lines a signed-in
    person's drop response gives, for the country chosen."""
    return {"crisis": crisis.lines_for(country), "grounding": [str(step) for step in GROUNDING]}


def revoke_link(link: GuestLink) -> None:
    if link.revoked_at is None and link.answered_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])


def purge(now: dt.datetime | None = None) -> int:
    """Delete guest links and answers older than 30 days. Run daily."""
    cutoff = (now or timezone.now()) - KEEP_ANSWERS
    deleted, _by_model = GuestLink.objects.filter(created_at__lt=cutoff).delete()
    return deleted

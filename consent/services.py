"""Giving and withdrawing consent. Every intimate write asks ``require_consent`` first."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from consent.models import CONSENT_VERSION, PURPOSES, Consent
from consent.signals import consent_withdrawn


class ConsentRequired(PermissionDenied):
    pass


def has_consent(person) -> bool:
    if not getattr(person, "is_authenticated", False):
        return False
    return Consent.objects.current_for(person).exists()


def require_consent(person) -> None:
    if not has_consent(person):
        raise ConsentRequired(
            _("Please give your consent first: we store nothing intimate without it.")
        )


def give_consent(person, *, adult_confirmed: bool) -> Consent:
    if not adult_confirmed:
        raise ValueError(_("Soft Landing is for adults: please confirm you are 18 or over."))
    existing = Consent.objects.current_for(person).first()
    if existing:
        return existing
    return Consent.objects.create(
        person=person,
        version=CONSENT_VERSION,
        purposes=[key for key, _text in PURPOSES],
        adult_confirmed=True,
    )


def withdraw_consent(person) -> int:
    """Withdraw every standing consent. Data stays until the person deletes it, but nothing
    new is stored and nothing is sent until consent is given again."""
    # Sharing pauses and this person's own follow-ups stop (a partner's run on): the apps
    # that own them receive the signal.
    consent_withdrawn.send(sender=Consent, person=person)
    return Consent.objects.filter(person=person, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )

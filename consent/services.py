"""Giving and withdrawing consent. Every intimate write asks ``require_consent`` first.

Within a request the answer is looked up once (``ConsentOnceMiddleware``): the gate in front
of a page and the service behind it ask the same question, and giving or withdrawing consent
updates the remembered answer at once.
"""

import contextlib
import contextvars
from collections.abc import Iterator

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from consent.models import CONSENT_VERSION, PURPOSES, Consent
from consent.signals import consent_withdrawn
from lib.compiled import Compiled

# Person id → whether they consent, for the current request only; None outside a request
# (workers, the shell, tests calling services), where every call asks the database.
_answers: contextvars.ContextVar[dict[int, bool] | None] = contextvars.ContextVar(
    "consent_answers", default=None
)


# Asked on every intimate write: compiled once per process (lib.compiled).
CURRENT = Compiled(lambda person: Consent.objects.current_for(person).values("pk")[:1], int)


class ConsentRequired(PermissionDenied):
    """Refused until the person gives consent. A page answers with the consent page
    (softlanding.middleware), the API with a 403 and this code."""

    code = "consent"


@contextlib.contextmanager
def remembered_for_request() -> Iterator[None]:
    """Remember consent answers until the block ends (one request)."""
    token = _answers.set({})
    try:
        yield
    finally:
        _answers.reset(token)


def _remember(person, answer: bool | None) -> None:
    answers = _answers.get()
    if answers is None:
        return
    if answer is None:
        answers.pop(person.pk, None)
    else:
        answers[person.pk] = answer


def has_consent(person) -> bool:
    if not getattr(person, "is_authenticated", False):
        return False
    answers = _answers.get()
    if answers is not None and person.pk in answers:
        return answers[person.pk]
    answer = bool(CURRENT.rows(person.pk))
    _remember(person, answer)
    return answer


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
    consent = Consent.objects.create(
        person=person,
        version=CONSENT_VERSION,
        purposes=[key for key, _text in PURPOSES],
        adult_confirmed=True,
    )
    _remember(person, True)
    return consent


def withdraw_consent(person) -> int:
    """Withdraw every standing consent. Data stays until the person deletes it, but nothing
    new is stored and nothing is sent until consent is given again."""
    # Forgotten first: whatever runs below, and after, asks the database again.
    _remember(person, None)
    # Sharing pauses and this person's own follow-ups stop (a partner's run on): the apps
    # that own them receive the signal.
    consent_withdrawn.send(sender=Consent, person=person)
    withdrawn = Consent.objects.filter(person=person, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )
    _remember(person, None)
    return withdrawn

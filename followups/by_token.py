"""Answering a follow-up from its notification, without signing in: "I'm OK" or "Not so good".

Each push message and e-mail about a follow-up carries its own token (`issue`): good for one
answer to that one follow-up and for nothing else — it reads nothing, opens no session, and is
spent on first use. Once the follow-up closes (answered in any way, skipped, passed, stopped)
every token of it is worthless. Only a SHA-256 hash is stored: the token is 256 random bits,
so a slow hash would add nothing.

The answer goes through `followups.services.answer`, exactly as in the app: two "I'm OK" in a
row end the series, the drop rule and telling someone automatically apply.

A token needs no cookie and no CSRF token: it is the credential. A page elsewhere that makes
the browser post here sends no session that counts, and without the token it can do nothing.
"""

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from checkins.models import CheckIn
from followups import services as followups
from followups.models import AnswerToken, FollowUp, FollowUpState

OK, NOT_GOOD = "ok", "not_good"
CHOICES = (OK, NOT_GOOD)
# "Not so good" on the app's own scale (1 "really not good" … 7 "really good"): its second
# point. The drop rule counts it as a signal, as it would the same answer given in the app.
NOT_SO_GOOD = {"pleasantness": 2}
TOKEN_BYTES = 32
MAX_TOKEN_CHARS = 100
# Follow-ups pass after 12 hours; a week later the hashes are of no use to anyone.
KEEP_FOR = dt.timedelta(days=7)

# Why a token did not answer, and how the page and the API say it.
ANSWERED, PASSED, GONE = "answered", "passed", "gone"
SAID = {
    ANSWERED: _("You already answered this check-in. Thank you — nothing more to do."),
    PASSED: _("This check-in has passed. Nothing to do, and that's all right."),
    GONE: _("This link no longer works. You can always check in from the app."),
}


class Refused(Exception):
    """The token answers nothing (any more); `reason` is ANSWERED, PASSED or GONE."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Answered:
    followup: FollowUp
    checkin: CheckIn


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue(followup: FollowUp) -> str | None:
    """A new token for one message about this follow-up; None once it no longer waits."""
    if not followup.is_open:
        return None
    raw = secrets.token_urlsafe(TOKEN_BYTES)
    AnswerToken.objects.create(followup=followup, digest=digest(raw))
    return raw


def _find(raw: str, *, lock: bool = False) -> AnswerToken | None:
    if not isinstance(raw, str) or not raw or len(raw) > MAX_TOKEN_CHARS:
        return None
    found = AnswerToken.objects.select_related("followup__person")
    if lock:
        found = found.select_for_update(of=("self",))
    token = found.filter(digest=digest(raw)).first()
    if token is None or not token.followup.person.is_active:
        return None
    return token


def _why_not(token: AnswerToken | None) -> str | None:
    """None when the token still answers its follow-up."""
    if token is None:
        return GONE
    followup = token.followup
    if followup.state == FollowUpState.ANSWERED:
        return ANSWERED
    if token.used_at is not None or not followup.is_open:
        return PASSED
    return None


def check(raw: str) -> AnswerToken:
    """The token's follow-up still waits for this token's answer; Refused otherwise. For the
    page that asks to confirm (a GET, which records nothing)."""
    token = _find(raw)
    reason = _why_not(token)
    if reason is not None:
        raise Refused(reason)
    assert token is not None
    return token


@transaction.atomic
def answer_with_token(raw: str, choice: str) -> Answered:
    """Spend the token on "I'm OK" (OK) or "Not so good" (NOT_GOOD)."""
    if choice not in CHOICES:
        raise ValueError(f"not an answer: {choice!r}")
    token = _find(raw, lock=True)
    reason = _why_not(token)
    if reason is not None:
        raise Refused(reason)
    assert token is not None
    token.used_at = timezone.now()
    token.save(update_fields=["used_at"])
    followup = token.followup
    try:
        checkin = followups.answer(followup, **({} if choice == OK else NOT_SO_GOOD))
    except ValidationError:  # answered in the app a moment ago
        raise Refused(ANSWERED) from None
    return Answered(followup=followup, checkin=checkin)


def forget_old_tokens(now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    return AnswerToken.objects.filter(created_at__lt=now - KEEP_FOR).delete()[0]

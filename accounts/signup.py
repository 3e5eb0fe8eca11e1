"""Who may make an account (settings.SIGNUP), and the passes that open sign-up by invite.

A pass lives in the visitor's session: opening a partner's invite or an operator's sign-up
link gives one, until the invite or link expires. The adapter's `is_open_for_signup` asks
`is_open` before every sign-up, whichever path it comes by; `use_pass` spends an operator's
link at the moment the account is made, so a link makes one account at most.
"""

import datetime as dt
import secrets

from django.conf import settings
from django.utils import timezone

from accounts.models import SignUpLink, hash_token

PASS_KEY = "signup.pass"
LINK_LIFETIME = dt.timedelta(days=7)


def mode() -> str:
    return settings.SIGNUP


def create_link(lifetime: dt.timedelta = LINK_LIFETIME) -> tuple[SignUpLink, str]:
    """A new operator's sign-up link and its secret, which is shown once and stored hashed."""
    secret = secrets.token_urlsafe(24)
    link = SignUpLink.objects.create(
        secret_hash=hash_token(secret), expires_at=timezone.now() + lifetime
    )
    return link, secret


def open_link(secret: str) -> SignUpLink | None:
    return SignUpLink.objects.open().filter(secret_hash=hash_token(secret)).first()


def give_pass(request, *, until: dt.datetime, link: SignUpLink | None = None) -> None:
    request.session[PASS_KEY] = {
        "until": until.isoformat(),
        "link": str(link.code) if link else None,
    }


def _valid_pass(request) -> dict | None:
    given = request.session.get(PASS_KEY)
    if not isinstance(given, dict):
        return None
    try:
        until = dt.datetime.fromisoformat(given["until"])
    except (KeyError, TypeError, ValueError):
        return None
    if until <= timezone.now():
        return None
    if given.get("link") and not SignUpLink.objects.open().filter(code=given["link"]).exists():
        return None
    return given


def needs_invite() -> bool:
    return mode() == "invite"


def is_open(request) -> bool:
    if mode() == "open":
        return True
    if mode() == "closed":
        return False
    return _valid_pass(request) is not None


def use_pass(request) -> bool:
    """Spend the visitor's pass as their account is made. False when sign-up is not open to
    them (any more): a link another tab has just used, or one that has just expired."""
    if not is_open(request):
        return False
    given = request.session.pop(PASS_KEY, None)
    code = given.get("link") if isinstance(given, dict) else None
    if not code:
        return True
    # The conditional update is the claim: of two sign-ups racing on one link, one wins.
    claimed = SignUpLink.objects.open().filter(code=code).update(used_at=timezone.now()) == 1
    return claimed or mode() == "open"

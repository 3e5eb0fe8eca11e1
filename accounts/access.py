"""Lookups of a person's own account objects. Someone else's object is simply not found."""

from allauth.account.internal.flows.reauthentication import did_recently_reauthenticate
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import AccessToken


def token_for_owner(request, code) -> AccessToken:
    try:
        return AccessToken.objects.for_person(request.user).get(code=code)
    except (AccessToken.DoesNotExist, ValueError):
        raise Http404 from None


def recently_authenticated(request) -> bool:
    """Signed in (or confirmed the password) within the last few minutes. A request with an
    access token counts: making the token took a fresh sign-in."""
    if getattr(request, "signed_in_by_token", False):
        return True
    return did_recently_reauthenticate(request)


def require_recent_authentication(request) -> None:
    if not recently_authenticated(request):
        raise PermissionDenied(
            "Please confirm it's you first: sign in again (or confirm your password), "
            "then try once more within a few minutes."
        )

"""Lookups of a person's own account objects. Someone else's object is simply not found."""

from django.http import Http404

from accounts.models import AccessToken


def token_for_owner(request, code) -> AccessToken:
    try:
        return AccessToken.objects.for_person(request.user).get(code=code)
    except (AccessToken.DoesNotExist, ValueError):
        raise Http404 from None

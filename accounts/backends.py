"""The signed-in person, read from the shared cache when there is one (Redis).

Every signed-in request needs its person; with Redis they come from there instead of the
database. Revocation stays immediate: any save or deletion of a person drops their cached
copy (again once the transaction commits, so that no request in between can put the old one
back), and a session signed out, ended from the sessions list or erased is deleted from the
cache with the database row (``cached_db`` sessions). The cache holds the person's row as the
database does: their encrypted fields (name and pronouns) as ciphertext, opened only in the
process that reads them (vault.fields opens a field on first read, after this stored it).
"""

from allauth.account.auth_backends import AuthenticationBackend
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import transaction

from accounts.models import Person

# Bounds what a change made behind the ORM's back (a raw UPDATE) could leave stale.
SECONDS = 300


def _key(person_id) -> str:
    return f"signed-in-person:{person_id}"


def _cached() -> bool:
    return settings.SIGNED_IN_PERSON_FROM_CACHE


class CachedPersonMixin:
    def get_user(self, user_id):
        if not _cached():
            return super().get_user(user_id)  # type: ignore[misc]
        key = _key(user_id)
        person = cache.get(key)
        if person is None:
            try:
                person = Person.objects.get(pk=user_id)
            except (Person.DoesNotExist, ValueError, TypeError):
                return None
            cache.set(key, person, SECONDS)
        return person if self.user_can_authenticate(person) else None  # type: ignore[attr-defined]


class CachedModelBackend(CachedPersonMixin, ModelBackend):
    pass


class CachedAuthenticationBackend(CachedPersonMixin, AuthenticationBackend):
    pass


def forget(person_id) -> None:
    """Drop a person's cached copy (accounts/receivers.py calls it on every save or delete)."""
    if not _cached():
        return
    cache.delete(_key(person_id))
    transaction.on_commit(lambda: cache.delete(_key(person_id)))

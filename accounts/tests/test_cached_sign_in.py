"""With Redis, sessions and the signed-in person come from the cache, and every way of ending
a sign-in still counts from the very next request."""

import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Person
from privacy.erasure import erase_person
from softlanding.testing import DB, sign_in

pytestmark = DB

# A database of its own on the local Redis, and a prefix of this run's, so that runs side by
# side never see each other's keys.
REDIS_DB = "redis://127.0.0.1:6379/14"


@pytest.fixture(autouse=True)
def redis_sessions():
    prefix = f"test-{uuid.uuid4().hex}"
    caches = {
        "default": {
            "BACKEND": "lib.redis_cache.FastRedisCache",
            "LOCATION": REDIS_DB,
            "KEY_PREFIX": prefix,
        }
    }
    with override_settings(
        CACHES=caches,
        SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
        SIGNED_IN_PERSON_FROM_CACHE=True,
    ):
        yield
        client = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
        for key in client.scan_iter(match=f"{prefix}:*"):
            client.delete(key)


def signed_in(person: Person) -> Client:
    client = Client()
    sign_in(client, person)
    assert me(client) == 200
    return client


def me(client: Client) -> int:
    return client.get("/api/v1/me").status_code


def same_session(client: Client) -> Client:
    """Another browser holding a copy of the same session cookie."""
    copy = Client()
    copy.cookies = client.cookies.__class__(client.cookies)
    return copy


def test_a_signed_in_request_reads_neither_session_nor_person_from_the_database(alice):
    client = signed_in(alice)
    with CaptureQueriesContext(connection) as queries:
        assert me(client) == 200
    tables = " ".join(q["sql"] for q in queries)
    assert "django_session" not in tables
    assert "accounts_person" not in tables


def test_the_cache_holds_no_encrypted_field_of_the_person(alice):
    signed_in(alice)
    client = cache._cache.get_client()  # type: ignore[attr-defined]
    stored = b"".join(client.get(key) or b"" for key in client.scan_iter(match="*person*"))
    assert stored
    assert b"Alice" not in stored


def test_signing_out_ends_the_session_everywhere_at_once(alice):
    client = signed_in(alice)
    copy = same_session(client)
    client.post("/accounts/logout/")
    assert me(client) == 401
    assert me(copy) == 401


def test_ending_other_sessions_from_the_sessions_list_counts_at_once(alice):
    here, there = signed_in(alice), signed_in(alice)
    response = here.post(reverse("usersessions_list"))
    assert response.status_code == 302
    assert me(there) == 401
    assert me(here) == 200


def test_erasure_ends_every_session_at_once(alice):
    client = signed_in(alice)
    erase_person(Person.objects.get(pk=alice.pk))
    assert me(client) == 401


def test_a_password_change_signs_out_the_other_sessions_at_once(alice):
    client = signed_in(alice)
    person = Person.objects.get(pk=alice.pk)
    person.set_password("a whole new passphrase")
    person.save()
    assert me(client) == 401


def test_deactivation_counts_at_once(alice):
    client = signed_in(alice)
    person = Person.objects.get(pk=alice.pk)
    person.is_active = False
    person.save()
    assert me(client) == 401

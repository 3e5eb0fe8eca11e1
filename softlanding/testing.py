"""The cast and helpers shared by every test: alice (the person), bob (her partner),
charlie (a stranger)."""

import contextlib
from collections.abc import Iterator

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from accounts.models import Person
from consent.services import give_consent

# Every test that touches an encrypted field needs the key store too.
DB = pytest.mark.django_db(databases=["default", "keys"])
TRANSACTIONAL_DB = pytest.mark.django_db(databases=["default", "keys"], transaction=True)

PASSWORD = "a calm harbour 42"


def make_person(
    name: str, *, consent: bool = True, password: str | None = PASSWORD, **extra
) -> Person:
    """A person; ``password=None`` skips the (deliberately slow) argon2 hash."""
    person = Person.objects.create_user(
        email=f"{name.lower()}@example.org", password=password, display_name=name, **extra
    )
    if consent:
        give_consent(person, adult_confirmed=True)
    return person


def sign_in(client, person: Person) -> None:
    """Sign in through the real login form, so that re-authentication counts as recent."""
    response = client.post("/accounts/login/", {"login": person.email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302, response.content[:500]


@contextlib.contextmanager
def requests_in_the_test_transaction() -> Iterator[None]:
    """For tools that call the WSGI app directly: like Django's test client, keep the end of
    each request from closing the connection that holds the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)

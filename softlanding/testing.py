"""The cast and helpers shared by every test: alice (the person), bob (her partner),
charlie (a stranger)."""

import pytest

from accounts.models import Person
from privacy.services import give_consent

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

"""Access tokens, on the settings page and through the API, are read a page at a time."""

import secrets

import pytest

from accounts import views
from accounts.models import AccessToken
from softlanding.testing import DB
from softlanding.testing_counts import assert_cost_does_not_grow

pytestmark = DB


@pytest.fixture
def signed_in(client, alice):
    client.force_login(alice)
    return client


def add_tokens(person, n: int) -> None:
    AccessToken.objects.bulk_create(
        AccessToken(person=person, name="laptop", token_hash=secrets.token_hex(32), hint="abcd")
        for _ in range(n)
    )


def test_the_tokens_on_the_settings_page_and_the_api(signed_in, alice, monkeypatch):
    monkeypatch.setattr(views, "PER_PAGE", 1)
    add_tokens(alice, 1)
    grow = lambda n: add_tokens(alice, n)  # noqa: E731
    small, _large = assert_cost_does_not_grow(lambda: signed_in.get("/settings/"), grow)
    assert small.decryptions >= 1  # the token's name
    assert_cost_does_not_grow(lambda: signed_in.get("/api/v1/me/tokens?limit=1"), grow)

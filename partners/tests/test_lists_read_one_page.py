"""Every list of connections, invites, shared encounters, guest links and answers and
support contacts reads only the page it shows: the same queries and the same decryptions
with one row as with a thousand."""

import datetime as dt
import secrets

import pytest
from django.utils import timezone

from checkins.models import CheckIn, Encounter, Kind
from partners import guest_views, support_views, views
from partners.models import (
    Connection,
    ConnectionSide,
    GuestAnswer,
    GuestLink,
    Invite,
    SupportContact,
)
from partners.services import pause, side_of, update_side
from softlanding.testing import DB, make_connection
from softlanding.testing_counts import assert_cost_does_not_grow

pytestmark = DB


@pytest.fixture
def signed_in(client, alice):
    client.force_login(alice)
    return client


def add_connections(person, other, n: int) -> None:
    made = Connection.objects.bulk_create(Connection() for _ in range(n))
    ConnectionSide.objects.bulk_create(
        side
        for connection in made
        for side in (
            ConnectionSide(connection=connection, person=person, nickname="B"),
            ConnectionSide(connection=connection, person=other, nickname="A"),
        )
    )


def _hash() -> str:
    return secrets.token_hex(32)


def _later() -> dt.datetime:
    return timezone.now() + dt.timedelta(days=3)


def add_invites(person, n: int) -> None:
    Invite.objects.bulk_create(
        Invite(person=person, secret_hash=_hash(), nickname="Sam", expires_at=_later())
        for _ in range(n)
    )


def add_guest_links(person, n: int) -> list[GuestLink]:
    return GuestLink.objects.bulk_create(
        GuestLink(person=person, secret_hash=_hash(), nickname="Sam", expires_at=_later())
        for _ in range(n)
    )


def add_guest_answers(person, n: int) -> None:
    links = add_guest_links(person, n)
    GuestAnswer.objects.bulk_create(
        GuestAnswer(link=link, person=person, feeling=5, message="lovely, thank you")
        for link in links
    )


def add_contacts(person, n: int) -> None:
    SupportContact.objects.bulk_create(
        SupportContact(person=person, name="Robin", email="robin@example.org") for _ in range(n)
    )


def test_the_partners_page_and_api(signed_in, alice, bob, monkeypatch):
    monkeypatch.setattr(views, "PER_PAGE", 1)
    make_connection(alice, bob)
    add_invites(alice, 1)

    def grow(n):
        add_connections(alice, bob, n)
        add_invites(alice, n)

    small, _large = assert_cost_does_not_grow(lambda: signed_in.get("/partners/"), grow)
    assert small.decryptions >= 2  # a nickname of each list
    for url in ("/api/v1/connections?limit=1", "/api/v1/invites?limit=1"):
        assert_cost_does_not_grow(lambda url=url: signed_in.get(url), grow)


def test_the_shared_encounters_api(signed_in, alice, bob):
    connection = make_connection(alice, bob)
    update_side(side_of(connection, bob), share_checkins=True, shared_answers=["fun"])

    def grow(n):
        start = timezone.now() - dt.timedelta(days=1)
        made = Encounter.objects.bulk_create(
            Encounter(
                person=bob,
                occurred_at=start - dt.timedelta(minutes=i),
                kind=Kind.PARTNERED,
                note="bob's own note",
            )
            for i in range(n)
        )
        Encounter.connections.through.objects.bulk_create(
            Encounter.connections.through(encounter=e, connection=connection) for e in made
        )
        CheckIn.objects.bulk_create(
            CheckIn(encounter=e, person=bob, fun="the picnic", shared=["fun"]) for e in made
        )

    grow(1)
    small, _large = assert_cost_does_not_grow(
        lambda: signed_in.get("/api/v1/shared-encounters?limit=1"), grow
    )
    assert small.decryptions >= 1  # bob's shared answer


def test_shared_encounters_hide_those_of_a_paused_connection_in_the_query(
    signed_in, alice, bob, charlie
):
    live, paused = make_connection(alice, bob), make_connection(alice, charlie)
    at = timezone.now() - dt.timedelta(hours=2)
    seen = Encounter.objects.create(person=bob, occurred_at=at, kind=Kind.PARTNERED)
    seen.connections.add(live)
    hidden = Encounter.objects.create(person=charlie, occurred_at=at, kind=Kind.PARTNERED)
    hidden.connections.add(paused)
    pause(side_of(paused, alice))
    assert list(Encounter.objects.shared_with(alice)) == [seen]
    assert [e["code"] for e in signed_in.get("/api/v1/shared-encounters").json()] == [
        str(seen.code)
    ]


def test_the_guest_page_and_api(signed_in, alice, monkeypatch):
    monkeypatch.setattr(guest_views, "PER_PAGE", 1)
    add_guest_links(alice, 1)
    add_guest_answers(alice, 1)

    def grow(n):
        add_guest_links(alice, n)
        add_guest_answers(alice, n)

    small, _large = assert_cost_does_not_grow(lambda: signed_in.get("/partners/guests/"), grow)
    assert small.decryptions >= 2
    for url in ("/api/v1/guest-links?limit=1", "/api/v1/guest-answers?limit=1"):
        assert_cost_does_not_grow(lambda url=url: signed_in.get(url), grow)


def test_the_support_contacts_page_and_api(signed_in, alice, monkeypatch):
    monkeypatch.setattr(support_views, "PER_PAGE", 1)
    add_contacts(alice, 1)
    grow = lambda n: add_contacts(alice, n)  # noqa: E731
    small, _large = assert_cost_does_not_grow(lambda: signed_in.get("/support/"), grow)
    assert small.decryptions >= 2
    assert_cost_does_not_grow(lambda: signed_in.get("/api/v1/support-contacts?limit=1"), grow)


def test_a_bare_list_keeps_its_shape_and_links_to_the_rest(signed_in, alice):
    add_contacts(alice, 3)
    first = signed_in.get("/api/v1/support-contacts?limit=2")
    assert isinstance(first.json(), list) and len(first.json()) == 2
    assert first["Link"].endswith('>; rel="next"') and "offset=2" in first["Link"]
    following = signed_in.get(first["Link"].split(">")[0].lstrip("<"))
    assert len(following.json()) == 1 and "Link" not in following
    assert len(signed_in.get("/api/v1/support-contacts").json()) == 3  # all, by default

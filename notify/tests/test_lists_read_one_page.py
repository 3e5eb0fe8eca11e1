"""The inbox and the channels read only the page they show: the same queries and the same
decryptions with one row as with a thousand."""

import pytest

from notify import views
from notify.models import Channel, Delivery, Notification
from softlanding.testing import DB
from softlanding.testing_counts import assert_cost_does_not_grow

pytestmark = DB


@pytest.fixture
def signed_in(client, alice):
    client.force_login(alice)
    return client


def add_notifications(person, n: int) -> None:
    Notification.objects.bulk_create(
        Notification(person=person, kind=Notification.Kind.TEST) for _ in range(n)
    )


def add_channels(person, n: int) -> None:
    made = Channel.objects.bulk_create(
        Channel(person=person, kind=Channel.Kind.EMAIL, target="me@example.org", label="Mail")
        for _ in range(n)
    )
    sent = Notification.objects.create(person=person, kind=Notification.Kind.TEST)
    Delivery.objects.bulk_create(
        Delivery(notification=sent, channel=channel, status=Delivery.Status.SENT)
        for channel in made
        for _ in "ab"
    )


def test_the_inbox_page_and_api(signed_in, alice, monkeypatch):
    monkeypatch.setattr(views, "INBOX_SIZE", 1)
    add_notifications(alice, 1)
    grow = lambda n: add_notifications(alice, n)  # noqa: E731
    assert_cost_does_not_grow(lambda: signed_in.get("/inbox/"), grow)
    assert_cost_does_not_grow(lambda: signed_in.get("/api/v1/inbox?limit=1"), grow)


def test_the_inbox_api_goes_on_from_an_offset(signed_in, alice):
    add_notifications(alice, 3)
    first = signed_in.get("/api/v1/inbox?limit=2")
    assert len(first.json()["items"]) == 2 and first.json()["unread"] == 3
    assert "offset=2" in first["Link"]
    rest = signed_in.get("/api/v1/inbox?limit=2&offset=2").json()["items"]
    assert len(rest) == 1
    codes = {i["code"] for i in first.json()["items"] + rest}
    assert codes == {str(c) for c in Notification.objects.values_list("code", flat=True)}


def test_the_channels_page_and_api(signed_in, alice, monkeypatch):
    monkeypatch.setattr(views, "CHANNELS_PER_PAGE", 1)
    add_channels(alice, 1)
    grow = lambda n: add_channels(alice, n)  # noqa: E731
    small, _large = assert_cost_does_not_grow(lambda: signed_in.get("/settings/channels/"), grow)
    assert small.decryptions >= 1  # the label
    assert_cost_does_not_grow(lambda: signed_in.get("/api/v1/channels?limit=1"), grow)

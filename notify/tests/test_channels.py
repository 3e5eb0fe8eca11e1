"""Channels with real deliveries: e-mail to a local SMTP server, Apprise to a local HTTP sink;
discreet words; failures shown and channels turned off."""

import datetime as dt
import json
import re
import smtplib

import apprise
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from alerts import dropwatch, nudges
from checkins import services as checkins
from followups.models import FollowUp
from lib import emails, targets
from notify import messages, services
from notify.models import Channel, Delivery, Notification
from notify.services import send_delivery
from partners import guests
from softlanding.far_ends import Sink, text_of, wait_for
from softlanding.testing import DB, make_connection, sign_in

pytestmark = DB

# Words that must never leave the server in a notification (lower case, matched as parts of
# words, so "feel" catches "feeling"). The link is left out: it is a random code.
SENSITIVE = (
    "sex", "play", "kink", "drop", "feel", "mood", "sad", "lonely", "tear", "anxious",
    "aftercare", "encounter", "partner", "intimate", "care", "hurt", "crisis", "low",
)  # fmt: skip
CANARY = "CANARY-7f3a9c"


def words_of(text: str) -> str:
    return re.sub(r"https?://\S+", "", text).lower()


def pending_deliveries(person):
    return Delivery.objects.filter(notification__person=person, status="pending")


def every_kind_of_notification(alice, bob):
    """One notification of each kind for bob, made with canary data everywhere it could be."""
    connection = make_connection(alice, bob)
    for side in connection.sides.all():
        side.nickname = CANARY
        side.share_drop_alerts = True
        side.save()
    checkins.log_encounter(bob, occurred_at=checkins.timezone.now(), kind="partnered", note=CANARY)
    followup = FollowUp.objects.filter(person=bob).first()
    made = [services.notify(bob, Notification.Kind.FOLLOWUP, followup=followup)]
    alice_encounter = checkins.log_encounter(
        alice,
        occurred_at=checkins.timezone.now(),
        kind="partnered",
        note=CANARY,
        connections=[connection],
    )
    checkin = checkins.add_checkin(
        alice, alice_encounter, pleasantness=1, feelings=["tearful"], need_now=CANARY
    )
    dropwatch.tell(alice, checkin)
    made.append(Notification.objects.get(person=bob, kind="drop_alert"))
    nudges.send_nudge(alice, alice_encounter, connection.code)
    made.append(Notification.objects.get(person=bob, kind="nudge"))
    _link, secret = guests.create_link(bob, nickname=CANARY)
    guests.answer(secret, feeling=1, message=CANARY, wants_to_hear_back=True)
    made.append(Notification.objects.get(person=bob, kind="guest_answer"))
    made.append(Notification.objects.create(person=bob, kind="test"))
    assert {n.kind for n in made} == set(Notification.Kind.values)
    return made


def test_nothing_sensitive_in_any_notification_that_leaves_the_server(alice, bob, settings):
    settings.INSTANCE_NAME = "Notes"  # a neutral name, as an operator may choose
    for notification in every_kind_of_notification(alice, bob):
        message = messages.render(notification)
        outside = json.dumps(message.as_push())
        assert CANARY not in outside
        for word in SENSITIVE:
            assert word not in words_of(message.title + " " + message.body), (word, message)
        assert "Notes" in message.title + message.body
        assert message.url.endswith(f"/inbox/{notification.code}/")


def test_email_reaches_a_real_smtp_server(smtp_inbox, alice):
    channel = services.add_channel(alice, kind="email", target="alice.elsewhere@example.org")
    with_delivery = services.notify(alice, Notification.Kind.FOLLOWUP)
    delivery = with_delivery.deliveries.get()
    send_delivery.call(delivery.pk)
    raw = wait_for(smtp_inbox)
    assert "alice.elsewhere@example.org" in raw
    assert "Subject: [Soft Landing] You have a check-in waiting" in raw
    assert f"/inbox/{with_delivery.code}/" in text_of(raw)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.error) == ("sent", "")
    assert channel.deliveries.count() == 1


def test_apprise_reaches_a_local_sink_and_is_discreet(sink, alice, settings):
    settings.NOTIFY_ALLOW_PRIVATE_HOSTS = True  # admits the local sink; the guard is below
    services.add_channel(alice, kind="apprise", target=sink)
    notification = services.notify(alice, Notification.Kind.FOLLOWUP)
    send_delivery.call(notification.deliveries.get().pk)
    assert len(Sink.received) == 1
    payload = json.loads(Sink.received[0])
    assert payload["title"] == "You have a check-in waiting"
    assert f"/inbox/{notification.code}/" in payload["message"]


@pytest.mark.parametrize(
    "url",
    [
        "json://127.0.0.1:8080/hook",
        "json://localhost/hook",
        "jsons://10.1.2.3/hook",
        "jsons://192.168.0.10/hook",
        "json://169.254.169.254/latest/meta-data",
        "json://[::1]/hook",
        "json://[::ffff:127.0.0.1]/hook",
        "ntfy://[fe80::1]/topic",
        "http://example.org/hook",
        "file:///etc/passwd",
    ],
)
def test_the_ssrf_guard_refuses_local_private_and_link_local_hosts(alice, url):
    with pytest.raises(ValidationError):
        services.add_channel(alice, kind="apprise", target=url)
    assert not Channel.objects.exists()


def test_a_name_that_later_resolves_privately_is_refused_at_sending(alice, settings, sink):
    settings.NOTIFY_ALLOW_PRIVATE_HOSTS = True
    channel = services.add_channel(alice, kind="apprise", target=sink)
    settings.NOTIFY_ALLOW_PRIVATE_HOSTS = False  # as if the name now pointed inside
    notification = services.notify(alice, Notification.Kind.FOLLOWUP)
    send_delivery.call(notification.deliveries.get().pk)
    assert Sink.received == []
    channel.refresh_from_db()
    assert not channel.enabled
    assert "private or local" in channel.disabled_reason
    assert "127.0.0.1" not in channel.disabled_reason


def test_a_failed_delivery_is_tried_again_later(alice, settings):
    settings.NOTIFY_ALLOW_PRIVATE_HOSTS = True
    services.add_channel(alice, kind="apprise", target="json://127.0.0.1:9/nobody")
    delivery = services.notify(alice, Notification.Kind.FOLLOWUP).deliveries.get()
    send_delivery.call(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    retry = DBTaskResult.objects.order_by("-enqueued_at").first()
    assert retry.args_kwargs["args"] == [delivery.pk]
    assert retry.run_after > timezone.now() + dt.timedelta(minutes=1)


def test_a_failing_channel_shows_its_errors_and_is_turned_off_after_five(
    alice, settings, monkeypatch
):
    settings.NOTIFY_ALLOW_PRIVATE_HOSTS = True
    monkeypatch.setattr(services, "ATTEMPTS", 1)
    channel = services.add_channel(alice, kind="apprise", target="json://127.0.0.1:9/nobody")
    for _ in range(5):
        send_delivery.call(services.notify(alice, Notification.Kind.FOLLOWUP).deliveries.get().pk)
    channel.refresh_from_db()
    assert not channel.enabled
    assert "5 times" in channel.disabled_reason
    errors = set(channel.deliveries.values_list("error", flat=True))
    assert errors == {"the notification service did not accept the message"}
    # A channel that is off gets no more deliveries; testing it turns it back on to try.
    assert not services.notify(alice, Notification.Kind.FOLLOWUP).deliveries.exists()
    services.test_channel(channel)
    channel.refresh_from_db()
    assert channel.enabled


def test_a_refused_address_turns_email_off_at_once(alice, monkeypatch):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"no such user")})

    channel = services.add_channel(alice, kind="email", target="x@example.org")
    delivery = services.notify(alice, Notification.Kind.FOLLOWUP).deliveries.get()
    monkeypatch.setattr(emails, "send", refuse)
    send_delivery.call(delivery.pk)
    channel.refresh_from_db()
    assert (channel.enabled, channel.disabled_reason) == (
        False,
        "the mail server refused this address",
    )


def test_tasks_carry_only_ids(alice, settings, django_capture_on_commit_callbacks):
    settings.NOTIFY_ALLOW_PRIVATE_HOSTS = True
    services.add_channel(alice, kind="apprise", target=f"json://127.0.0.1:9/{CANARY}")
    with django_capture_on_commit_callbacks(execute=True):
        notification = services.notify(alice, Notification.Kind.FOLLOWUP)
    row = DBTaskResult.objects.get()
    assert row.args_kwargs == {"args": [notification.deliveries.get().pk], "kwargs": {}}


def test_changing_channels_needs_a_fresh_sign_in(client, alice):
    client.force_login(alice)  # no password typed in this session
    page = reverse("notify:channels")
    assert "Confirm it" in client.get(page).content.decode()
    response = client.post(page, {"kind": "email", "target": "me@example.org"})
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    api = client.post(
        "/api/v1/channels",
        {"kind": "email", "target": "me@example.org"},
        content_type="application/json",
    )
    assert api.status_code == 403 and "confirm it's you" in api.json()["detail"]
    assert not Channel.objects.exists()


def test_the_channels_page_adds_tests_and_removes(client, alice, settings):
    settings.NOTIFY_ALLOW_PRIVATE_HOSTS = True
    sign_in(client, alice)
    page = reverse("notify:channels")
    assert client.get(page).status_code == 200
    response = client.post(page, {"kind": "apprise", "target": "gopher://x", "label": "mine"})
    assert response.status_code == 400
    assert "gopher://x" in response.content.decode()  # what was typed is kept
    response = client.post(page, {"kind": "email", "target": "me@example.org", "label": "mail"})
    assert response.status_code == 302
    channel = Channel.objects.get(person=alice)
    assert client.post(reverse("notify:channel_test", args=[channel.code])).status_code == 302
    assert channel.deliveries.count() == 1
    assert "mail" in client.get(page).content.decode()
    assert client.post(reverse("notify:channel_remove", args=[channel.code])).status_code == 302
    assert not Channel.objects.exists()


def test_another_persons_channel_is_not_found(client, alice, bob):
    channel = services.add_channel(alice, kind="email", target="a@example.org")
    sign_in(client, bob)
    for name in ("notify:channel_test", "notify:channel_remove"):
        assert client.post(reverse(name, args=[channel.code])).status_code == 404
    assert client.delete(f"/api/v1/channels/{channel.code}").status_code == 404


def test_the_channel_api(client, alice):
    sign_in(client, alice)
    response = client.post(
        "/api/v1/channels",
        {"kind": "email", "target": "me@example.org", "label": "mail"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    code = response.json()["code"]
    assert "target" not in response.json()  # a secret is never sent back
    assert client.post(f"/api/v1/channels/{code}/test").status_code == 202
    listed = client.get("/api/v1/channels").json()["items"]
    assert listed[0]["last_deliveries"][0]["status"] == "pending"
    bad = client.post(
        "/api/v1/channels",
        {"kind": "apprise", "target": "json://10.0.0.1/x"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "private or local" in bad.json()["detail"]
    assert client.delete(f"/api/v1/channels/{code}").status_code == 204


def test_the_inbox_badge_page_and_api(client, alice):
    client.force_login(alice)
    first = services.notify(alice, Notification.Kind.TEST)
    services.notify(alice, Notification.Kind.FOLLOWUP)
    page = client.get("/").content.decode()
    assert '<span class="badge">2' in page
    body = client.get("/api/v1/inbox").json()
    assert body["unread"] == 2 and len(body["items"]) == 2
    assert client.post(f"/api/v1/inbox/{first.code}/read").status_code == 204
    assert client.get("/api/v1/inbox").json()["unread"] == 1
    assert client.get(reverse("notify:inbox")).status_code == 200
    assert client.post(reverse("notify:inbox_read_all")).status_code == 302
    assert 'class="badge"' not in client.get("/").content.decode()


def test_targets_unwraps_ipv4_mapped_addresses():
    with pytest.raises(targets.Refused):
        targets.check_host("::ffff:10.0.0.1")


@pytest.mark.parametrize(
    "host", ["100.100.100.200", "100.64.0.1", "2002:7f00:1::", "::ffff:169.254.169.254"]
)
def test_shared_space_and_tunnelled_private_addresses_are_refused(host):
    with pytest.raises(targets.Refused):
        targets.check_host(host)


def test_apprise_is_told_not_to_follow_redirects_or_discover_servers():
    sender = apprise.Apprise()
    sender.add("json://example.org/hook")
    sender.add("matrixs://user:pass@example.org/#room")
    targets.harden(sender)
    assert all(plugin.redirects is False for plugin in sender)
    assert [p.discovery for p in sender if hasattr(p, "discovery")] == [False]


def test_mailto_urls_are_not_accepted(alice):
    with pytest.raises(ValidationError):
        services.add_channel(
            alice, kind="apprise", target="mailtos://u:p@example.org?smtp=127.0.0.1"
        )


def test_the_channels_page_loads_only_the_last_deliveries(client, alice, bob):
    channel = services.add_channel(alice, kind="email", target="a@example.org")
    sign_in(client, alice)
    page = reverse("notify:channels")
    client.get(page)
    with CaptureQueriesContext(connection) as few:
        client.get(page)
    for _ in range(30):
        services.test_channel(channel)
    with CaptureQueriesContext(connection) as many:
        body = client.get(page).content.decode()
    assert len(many) == len(few)
    assert body.count("— Sending") == 5
    listed = client.get("/api/v1/channels").json()["items"][0]["last_deliveries"]
    assert len(listed) == 5


def test_a_guest_answer_reaches_the_makers_channels_saying_only_that_someone_answered(
    sink,
    alice,
    settings,
):
    settings.NOTIFY_ALLOW_PRIVATE_HOSTS = True
    services.add_channel(alice, kind="apprise", target=sink)
    _link, secret = guests.create_link(alice, nickname=CANARY)
    guests.answer(secret, feeling=1, message=CANARY, wants_to_hear_back=True)
    notification = Notification.objects.get(person=alice, kind="guest_answer")
    send_delivery.call(notification.deliveries.get().pk)
    payload = json.loads(Sink.received[0])
    assert payload["title"] == "Someone answered your check-in link"
    assert "would like to hear back" in payload["message"]
    assert CANARY not in Sink.received[0]


def test_a_guest_who_did_not_ask_to_hear_back_is_not_marked_so(alice):
    _link, secret = guests.create_link(alice)
    guests.answer(secret, feeling=6, message="", wants_to_hear_back=False)
    message = messages.render(Notification.objects.get(person=alice, kind="guest_answer"))
    assert message.title == "Someone answered your check-in link"
    assert "hear back" not in message.body

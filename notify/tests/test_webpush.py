"""Web Push, end to end: real encrypted deliveries to a local push service, decrypted here
as a browser would, and the checks that keep a subscription from pointing anywhere else."""

import json
import stat

import pytest
from cryptography.hazmat.primitives import serialization
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory

from notify import push_views, services, webpush
from notify.models import Channel, Delivery, Notification
from softlanding import far_ends
from softlanding.far_ends import Browser, b64url, unb64url
from softlanding.testing import DB, make_person


def deliver(person, channel: Channel) -> Delivery:
    notification = Notification.objects.create(person=person, kind=Notification.Kind.FOLLOWUP)
    delivery = Delivery.objects.create(notification=notification, channel=channel)
    services.send_delivery.call(delivery.pk)
    delivery.refresh_from_db()
    return delivery


def verify_vapid(header: str, audience: str) -> dict:
    payload = far_ends.verify_vapid(header, webpush.public_key(), audience)
    assert payload["sub"].startswith("mailto:")
    return payload


@DB
def test_a_push_arrives_encrypted_and_signed(settings, push_service):
    settings.NOTIFY_ALLOW_PRIVATE_HOSTS = True
    alice = make_person("Alice", password=None)
    browser = Browser()
    channel = services.add_channel(
        alice, kind="push", target=browser.subscription(push_service.endpoint)
    )

    delivery = deliver(alice, channel)

    assert delivery.status == Delivery.Status.SENT, delivery.error
    [request] = push_service.requests
    assert request["path"] == "/push/abc"
    assert request["headers"]["content-encoding"] == "aes128gcm"
    assert request["headers"]["ttl"] == "86400"
    message = browser.decrypt(request["body"])
    assert message["title"] == "You have a check-in waiting"
    assert message["url"].endswith(f"/inbox/{delivery.notification.code}/")
    # Nothing readable travels through the push service.
    assert b"check-in" not in request["body"]
    verify_vapid(request["headers"]["authorization"], f"http://127.0.0.1:{push_service.port}")


@DB
def test_an_unsubscribed_device_turns_its_channel_off(settings, push_service):
    settings.NOTIFY_ALLOW_PRIVATE_HOSTS = True
    push_service.status = 410
    alice = make_person("Alice", password=None)
    channel = services.add_channel(
        alice, kind="push", target=Browser().subscription(push_service.endpoint)
    )

    delivery = deliver(alice, channel)

    assert delivery.status == Delivery.Status.FAILED
    channel.refresh_from_db()
    assert not channel.enabled
    assert channel.disabled_reason
    for reason in (channel.disabled_reason, delivery.error):
        assert "127.0.0.1" not in reason
        assert "/push/abc" not in reason


@DB
def test_a_busy_push_service_is_a_passing_failure(settings, push_service):
    settings.NOTIFY_ALLOW_PRIVATE_HOSTS = True
    push_service.status = 503
    alice = make_person("Alice", password=None)
    channel = services.add_channel(
        alice, kind="push", target=Browser().subscription(push_service.endpoint)
    )

    delivery = deliver(alice, channel)

    # Tried again later (a new task, due in a couple of minutes), then given up on.
    assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 1)
    assert delivery.error == "the push service is busy or unavailable"
    for _ in range(services.ATTEMPTS - 1):
        services.send_delivery.call(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED
    assert len(push_service.requests) == services.ATTEMPTS
    channel.refresh_from_db()
    assert channel.enabled and channel.failures == 1


@DB
def test_a_redirect_is_not_followed(settings, push_service):
    # Following one would post wherever the push service says, past the address check.
    settings.NOTIFY_ALLOW_PRIVATE_HOSTS = True
    push_service.status = 307
    alice = make_person("Alice", password=None)
    channel = services.add_channel(
        alice, kind="push", target=Browser().subscription(push_service.endpoint)
    )

    delivery = deliver(alice, channel)

    assert delivery.error and delivery.attempts == 1  # a passing failure, tried again later
    assert [r["path"] for r in push_service.requests] == ["/push/abc"]


@DB
def test_a_subscription_now_pointing_inside_is_not_sent_to(settings, push_service):
    settings.NOTIFY_ALLOW_PRIVATE_HOSTS = True
    alice = make_person("Alice", password=None)
    channel = services.add_channel(
        alice, kind="push", target=Browser().subscription(push_service.endpoint)
    )
    settings.NOTIFY_ALLOW_PRIVATE_HOSTS = False

    delivery = deliver(alice, channel)

    assert delivery.status == Delivery.Status.FAILED
    assert push_service.requests == []
    channel.refresh_from_db()
    assert not channel.enabled


def test_a_subscription_is_kept_to_endpoint_and_keys(settings):
    settings.NOTIFY_ALLOW_PRIVATE_HOSTS = False
    raw = Browser().subscription("https://8.8.8.8/push/abc")

    checked = json.loads(webpush.check_subscription(raw))

    assert set(checked) == {"endpoint", "keys"}
    assert checked["endpoint"] == "https://8.8.8.8/push/abc"
    assert checked["keys"] == json.loads(raw)["keys"]


def with_keys(**keys) -> str:
    good = json.loads(Browser().subscription("https://8.8.8.8/x"))["keys"]
    return json.dumps({"endpoint": "https://8.8.8.8/x", "keys": {**good, **keys}})


@pytest.mark.parametrize(
    "raw",
    [
        "not json",
        "[]",
        json.dumps({"endpoint": "https://8.8.8.8/x"}),
        json.dumps({"keys": {"p256dh": "a", "auth": "b"}}),
        with_keys(auth=b64url(bytes(15))),
        with_keys(auth="not base64!"),
        with_keys(p256dh=b64url(bytes(65))),  # the right length, but not a point
        with_keys(p256dh=b64url(bytes(33))),
        with_keys(p256dh=None),
        Browser().subscription("http://8.8.8.8/x"),
        Browser().subscription("ftp://8.8.8.8/x"),
        Browser().subscription("https://user:pass@8.8.8.8/x"),
        Browser().subscription("https://127.0.0.1/x"),
        Browser().subscription("https://10.0.0.1/x"),
        Browser().subscription("https://169.254.169.254/latest/meta-data"),
        Browser().subscription("https://[::1]/x"),
        Browser().subscription("https://[::ffff:127.0.0.1]/x"),
        Browser().subscription("https://8.8.8.8:99999/x"),
    ],
)
def test_unusable_subscriptions_are_refused(settings, raw):
    settings.NOTIFY_ALLOW_PRIVATE_HOSTS = False
    with pytest.raises(ValidationError) as refused:
        webpush.check_subscription(raw)
    assert "target" in refused.value.message_dict


def test_the_vapid_key_is_created_once_readable_by_its_owner_only(tmp_path, settings):
    path = tmp_path / "keys" / "vapid.pem"
    settings.VAPID_PRIVATE_KEY_FILE = path

    assert webpush.ensure_vapid_key(path) is True
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    created = path.read_bytes()
    assert webpush.ensure_vapid_key(path) is False
    assert path.read_bytes() == created
    assert list(path.parent.iterdir()) == [path]  # no temporary file left behind

    key = serialization.load_pem_private_key(created, password=None)
    point = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    assert webpush.public_key() == b64url(point)
    assert len(unb64url(webpush.public_key())) == 65


def test_an_existing_vapid_key_is_never_overwritten(tmp_path):
    path = tmp_path / "vapid.pem"
    path.write_text("kept as it is\n")

    assert webpush.ensure_vapid_key(path) is False
    assert path.read_text() == "kept as it is\n"


def test_the_service_worker_is_served_for_the_whole_site():
    response = push_views.service_worker(RequestFactory().get("/sw.js"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert b"showNotification" in response.content


def test_the_controls_carry_the_server_key_and_stay_hidden_without_javascript():
    html = render_to_string(
        "notify/push_controls.html",
        {"vapid_public_key": webpush.public_key(), "csrf_token": "token-123"},
    )

    assert f'data-vapid-key="{webpush.public_key()}"' in html
    assert 'data-csrf="token-123"' in html
    assert 'data-api="/api/v1/channels"' in html
    assert '<div class="push-controls card" hidden' in html
    assert "js/push.js" in html
    assert "onclick" not in html and "style=" not in html

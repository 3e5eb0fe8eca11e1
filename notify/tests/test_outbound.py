"""The one way out, against real far ends: SMTP (aiosmtpd), an HTTP sink for Apprise, and a
push service whose messages a browser's key decrypts. Channels and support contacts both
reach them through notify.outbound, and both say a refusal with a code from lib.targets."""

import json
import logging
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from lib import emails, targets
from notify import outbound, services
from partners import support
from softlanding.far_ends import Browser, Sink, free_port, text_of, wait_for
from softlanding.testing import DB

CANARY = "CANARY-5e1d0b"
EMAIL = emails.Email(
    subject="[Soft Landing] A test message", text="Open it after sign-in.\n", html="<p>Open it</p>"
)
MESSAGE = outbound.Message(
    title="You have a check-in waiting", body="Open it after sign-in.", email=EMAIL
)


def test_email_reaches_a_real_smtp_server(smtp_inbox):
    result = outbound.deliver(outbound.Target(outbound.EMAIL, "jo@example.org"), MESSAGE)
    assert (result.sent, result.code, result.reason) == (True, "", "")
    raw = wait_for(smtp_inbox)
    assert "jo@example.org" in raw
    assert "Subject: [Soft Landing] A test message" in raw
    assert "Open it after sign-in." in text_of(raw)


def test_a_message_without_an_email_is_not_sent_by_email(smtp_inbox):
    message = outbound.Message(title="A title", body="A body")
    result = outbound.deliver(outbound.Target(outbound.EMAIL, "jo@example.org"), message)
    assert (result.sent, result.code) == (False, "unsupported")
    assert smtp_inbox.messages == []


def test_an_unreachable_mail_server_is_a_passing_failure(settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }
    result = outbound.deliver(outbound.Target(outbound.EMAIL, f"{CANARY}@example.org"), MESSAGE)
    assert (result.sent, result.code, result.permanent) == (False, "mail-unreachable", False)
    assert CANARY not in result.reason


def test_apprise_reaches_a_local_sink(sink, settings):
    settings.NOTIFY_ALLOW_PRIVATE_HOSTS = True  # admits the local sink
    assert outbound.deliver(outbound.Target(outbound.APPRISE, sink), MESSAGE).sent
    [received] = Sink.received
    assert json.loads(received)["title"] == "You have a check-in waiting"


def test_a_private_apprise_target_is_not_sent_to_and_stays_unnamed(sink, settings, caplog):
    settings.NOTIFY_ALLOW_PRIVATE_HOSTS = False
    with caplog.at_level(logging.DEBUG):
        result = outbound.deliver(outbound.Target(outbound.APPRISE, f"{sink}{CANARY}"), MESSAGE)
    assert (result.code, result.permanent) == ("private", True)
    assert Sink.received == []
    assert CANARY not in result.reason + caplog.text
    assert "127.0.0.1" not in result.reason


def test_a_push_arrives_encrypted_for_the_browser_alone(push_service, settings):
    settings.NOTIFY_ALLOW_PRIVATE_HOSTS = True
    browser = Browser()
    target = outbound.check(
        outbound.Target(outbound.PUSH, browser.subscription(push_service.endpoint))
    )
    message = outbound.Message(title="You have a check-in waiting", body="…", url="https://x/")
    assert outbound.deliver(target, message).sent
    [request] = push_service.requests
    assert browser.decrypt(request["body"]) == message.as_push()
    assert b"check-in" not in request["body"]


def test_a_gone_push_subscription_is_a_lasting_refusal(push_service, settings):
    settings.NOTIFY_ALLOW_PRIVATE_HOSTS = True
    push_service.status = 410
    target = outbound.Target(outbound.PUSH, Browser().subscription(push_service.endpoint))
    result = outbound.deliver(target, MESSAGE)
    assert (result.code, result.permanent) == ("push-gone", True)


def test_an_unknown_kind_is_refused_not_raised():
    result = outbound.deliver(outbound.Target("pigeon", "roof"), MESSAGE)
    assert (result.code, result.permanent) == ("unsupported", True)
    with pytest.raises(targets.Refused):
        outbound.check(outbound.Target("pigeon", "roof"))


def test_a_target_never_shows_its_address():
    assert CANARY not in repr(outbound.Target(outbound.EMAIL, f"{CANARY}@example.org"))


def test_every_refusal_has_a_plain_reason():
    assert set(targets.REFUSALS) >= targets.TEMPORARY
    for code in targets.REFUSALS:
        reason = str(
            targets.Refused(code, scheme="zz") if code == "scheme" else targets.Refused(code)
        )
        assert reason and "%(" not in reason, code
    with pytest.raises(KeyError):
        targets.Refused("no such code")


@DB
def test_a_support_contact_is_mailed_through_the_same_path(smtp_inbox, alice):
    contact = support.add_contact(alice, name="Jo", email="jo@example.org", may_tell="ask_me")
    support.send_verification.call(contact.pk)
    raw = wait_for(smtp_inbox)
    assert "jo@example.org" in raw
    assert "/support/confirm/" in text_of(raw)
    assert mail.outbox == []  # it went out over SMTP, not to the test outbox


@DB
def test_a_support_contact_that_cannot_be_reached_fails_with_a_refusal(alice, settings):
    settings.NOTIFY_ALLOW_PRIVATE_HOSTS = True
    contact = support.add_contact(
        alice, name="Jo", notify_url=f"json://127.0.0.1:{free_port()}/x", may_tell="ask_me"
    )
    with pytest.raises(targets.Refused) as refused:
        support.send_to_contact(contact, "partners/email/support_verify", {"link": "x"})
    assert refused.value.code == "not-accepted"


@DB
@pytest.mark.parametrize(
    ("kind", "target", "code"),
    [
        ("apprise", "json://10.1.2.3/hook", "private"),
        ("apprise", "gopher://example.org/x", "scheme"),
        ("email", "not an address", "email"),
    ],
)
def test_channels_and_support_contacts_refuse_with_the_same_code(alice, kind, target, code):
    with pytest.raises(ValidationError) as channel:
        services.add_channel(alice, kind=kind, target=target)
    way = {"email": target} if kind == "email" else {"notify_url": target}
    with pytest.raises(ValidationError) as contact:
        support.add_contact(alice, name="Jo", may_tell="ask_me", **way)
    [channel_error] = channel.value.error_dict["target"]
    [contact_error] = contact.value.error_dict["email" if kind == "email" else "notify_url"]
    assert channel_error.code == contact_error.code == code
    assert channel_error.message == contact_error.message
    assert re.search(r"\w", channel_error.message)

"""Every kind of e-mail the server sends, through a real SMTP server (aiosmtpd): each arrives
as text and HTML, signed with the instance's name (or discreet mode's neutral one), with a
subject that says nothing intimate, in our words, with every link on SITE_URL — not on the host
the request came in on — and working when followed; and none holds a word of a person's
entries."""

import email
import re
from email import policy
from email.message import EmailMessage

import pytest
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from django.test import Client, override_settings

from alerts import dropwatch
from alerts.models import AlertRecipient
from lib import emails
from notify import services as notify
from notify.models import Channel, Notification
from notify.services import send_delivery
from partners import support
from softlanding.far_ends import wait_for
from softlanding.testing import (
    DB,
    NEVER_SAID,
    PASSWORD,
    make_checkin,
    make_contact,
    make_encounter,
    revealing_words,
    sign_in,
)

pytestmark = DB

SITE_URL = "http://127.0.0.1:8765"  # not the test client's "testserver": links must not follow it
NAME = "Notebook"
CANARY = "CANARY-7f3a9e"
LINK = re.compile(r"https?://[^\s\"<>]+")
# The notices allauth sends after a change to how someone signs in, beyond those of the flows.
NOTICES = [
    "account/email/password_set",
    "account/email/password_reset",
    "account/email/email_deleted",
    "mfa/email/totp_activated",
    "mfa/email/totp_deactivated",
    "mfa/email/recovery_codes_generated",
    "mfa/email/webauthn_added",
    "mfa/email/webauthn_removed",
]


@pytest.fixture
def world(smtp_inbox, alice):
    # Inside the SMTP server's own settings, so that both are undone in the right order.
    with override_settings(SITE_URL=SITE_URL, INSTANCE_NAME=NAME):
        EmailAddress.objects.update_or_create(
            user=alice, email=alice.email, defaults={"verified": True, "primary": True}
        )
        # Her entries, each with the canary: none of it may reach any e-mail.
        encounter = make_encounter(alice, note=f"{CANARY} note")
        make_checkin(
            alice, encounter, fun=f"{CANARY} fun", need_now=f"{CANARY} need", pleasantness=1
        )
        yield smtp_inbox


class Received:
    """One e-mail as it arrived, checked for what every e-mail must be."""

    def __init__(self, raw: str, *, sender: str = NAME):
        self.raw = raw
        self.parsed: EmailMessage = email.message_from_string(raw, policy=policy.default)
        assert self.parsed.get_content_type() == "multipart/alternative"
        text_part = self.parsed.get_body(preferencelist=("plain",))
        html_part = self.parsed.get_body(preferencelist=("html",))
        assert text_part is not None and html_part is not None
        self.text: str = text_part.get_content()
        self.html: str = html_part.get_content()
        self.subject = str(self.parsed["Subject"])
        assert self.subject.startswith(f"[{sender}] "), self.subject
        assert revealing_words(self.subject.removeprefix(f"[{sender}] ")) == [], self.subject
        assert re.search(r"\b(feel\w*|low|care)\b", self.subject, re.I) is None, self.subject
        assert sender in self.text and sender in self.html
        assert "Take care," in self.text and "Take care," in self.html
        for phrase in NEVER_SAID:
            assert phrase not in (self.text + self.html).lower()
        assert CANARY not in raw and CANARY not in self.text + self.html
        assert "<img" not in self.html and "@font-face" not in self.html
        self.links = LINK.findall(self.text)
        hrefs = re.findall(r'href="([^"]+)"', self.html)
        assert self.links and hrefs
        assert all(link.startswith(SITE_URL + "/") for link in self.links + hrefs), self.links
        # What the HTML offers, the text does too: nobody needs the HTML to follow a link.
        assert set(hrefs) <= set(self.links), set(hrefs) - set(self.links)

    def link(self, part: str) -> str:
        """The path of the one link that contains `part`, to follow with the test client."""
        [found] = {link for link in self.links if part in link}
        return found.removeprefix(SITE_URL)


def next_mail(inbox, count: int, *, sender: str = NAME) -> Received:
    return Received(wait_for(inbox, count), sender=sender)


def test_signing_up_confirming_and_choosing_a_new_password(world, alice, client):
    client.post(
        "/accounts/signup/",
        {"email": "river@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    confirm = next_mail(world, 1)
    assert confirm.subject == f"[{NAME}] Please confirm your e-mail address"
    path = confirm.link("/accounts/confirm-email/")
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 302

    Client().post("/accounts/password/reset/", {"email": alice.email})
    reset = next_mail(world, 2)
    assert "your password stays as it is" in reset.text
    assert "Choose a new password</a>" in reset.html
    page = Client().get(reset.link("/accounts/password/reset/key/"), follow=True)
    assert b'name="password1"' in page.content

    Client().post("/accounts/password/reset/", {"email": "nobody@example.org"})
    unknown = next_mail(world, 3)
    assert Client().get(unknown.link("/accounts/signup/")).status_code == 200

    Client().post(
        "/accounts/signup/",
        {"email": alice.email, "password1": PASSWORD, "password2": PASSWORD},
    )
    again = next_mail(world, 4)
    assert "there already is one" in again.text
    assert Client().get(again.link("/accounts/password/reset/")).status_code == 200


@pytest.mark.parametrize("discreet", [False, True])
def test_changing_the_password_and_the_address_send_a_notice(world, alice, client, discreet):
    alice.discreet_mode = discreet
    alice.save()
    sender = "Notes" if discreet else NAME
    sign_in(client, alice)
    new = "a quieter harbour 43"
    client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": new, "password2": new},
    )
    changed = next_mail(world, 1, sender=sender)
    assert changed.subject == f"[{sender}] Your password was changed"
    assert Client().get(changed.link("/accounts/password/reset/")).status_code == 200

    client.post("/accounts/email/", {"action_add": "", "email": "alice.new@example.org"})
    confirm = next_mail(world, 2, sender=sender)
    assert "alice.new@example.org" in confirm.parsed["To"]
    assert client.post(confirm.link("/accounts/confirm-email/")).status_code == 302
    notice = next_mail(world, 3, sender=sender)
    assert notice.parsed["To"] == alice.email
    assert notice.subject == f"[{sender}] Your e-mail address was changed"
    assert "alice.new@example.org" in notice.text
    assert sender in str(notice.parsed["From"])
    if discreet:
        for message in (changed, confirm, notice):
            words = LINK.sub("", message.text + message.html)
            assert revealing_words(words) == [], message.subject
            assert NAME not in message.raw


def test_every_other_notice_about_signing_in_is_ours(world, alice, rf):
    with allauth_context.request_context(rf.get("/")):
        for name in NOTICES:
            get_adapter().send_notification_mail(name, alice)
    for count, name in enumerate(NOTICES, start=1):
        notice = next_mail(world, count)
        assert "If this was you, there is nothing more to do." in notice.text, name
        assert notice.link("/accounts/password/reset/") == "/accounts/password/reset/"


@pytest.mark.parametrize("discreet", [False, True])
def test_notifications_by_email_for_each_kind(world, alice, client, discreet):
    alice.discreet_mode = discreet
    alice.save()
    sender = "Notes" if discreet else NAME
    channel = notify.add_channel(alice, kind=Channel.Kind.EMAIL, target="alice.box@example.org")
    kinds = ["followup", "drop_alert", "nudge", "guest_answer"]
    for kind in kinds:
        made = notify.notify(alice, kind)
        send_delivery.call(made.deliveries.get().pk)
    send_delivery.call(notify.test_channel(channel).pk)
    client.force_login(alice)
    for count, kind in enumerate([*kinds, "test"], start=1):
        message = next_mail(world, count, sender=sender)
        assert message.parsed["To"] == "alice.box@example.org"
        assert "You get this because you chose e-mail for reminders" in message.text
        assert client.get(message.link("/settings/channels/")).status_code == 200
        if kind != "test":
            code = Notification.objects.filter(kind=kind).get().code
            assert client.get(message.link(f"/inbox/{code}/")).status_code == 302
        if discreet:
            words = LINK.sub("", message.text + message.html)
            assert revealing_words(words) == [], kind
    assert next_mail(world, 1, sender=sender).subject == f"[{sender}] You have a check-in waiting"
    assert next_mail(world, 5, sender=sender).subject == f"[{sender}] A test message"


@pytest.mark.parametrize("discreet", [False, True])
def test_the_people_someone_trusts_get_our_words(world, alice, discreet):
    alice.discreet_mode = discreet
    alice.save()
    sender = "Notes" if discreet else NAME
    contact = support.add_contact(alice, name="Jo", email="jo@example.org", may_tell="ask_me")
    support.send_verification.call(contact.pk)
    confirm = next_mail(world, 1, sender=sender)
    assert confirm.subject == f"[{sender}] Someone listed you as a person they trust"
    assert re.search(r">Yes, that(&#x27;|')s all right</a>", confirm.html)
    page = Client().get(confirm.link("/support/confirm/"))
    assert page.status_code == 200

    trusted = make_contact(alice, name="Sam", email="sam@example.org")
    checkin = make_checkin(alice, pleasantness=1, feelings=["tearful"], wants_care=True)
    dropwatch.tell(alice, checkin)
    dropwatch.tell_support_contact.call(AlertRecipient.objects.get(support_contact=trusted).pk)
    note = next_mail(world, 2, sender=sender)
    assert note.subject == f"[{sender}] A message from someone who trusts you"
    assert "Alice listed you as someone they trust" in note.text
    if discreet:
        for message in (confirm, note):
            assert revealing_words(LINK.sub("", message.text + message.html)) == []


def test_two_answers_in_a_follow_up_are_two_buttons_and_two_links(world, alice):
    # The buttons are there whenever the one who sends a follow-up gives their links.
    made = emails.render(
        "notify/email/followup",
        {
            "kind": "followup",
            "url": f"{SITE_URL}/inbox/x/",
            "channels_url": f"{SITE_URL}/settings/channels/",
            "ok_url": f"{SITE_URL}/answer/ok/",
            "not_good_url": f"{SITE_URL}/answer/not-good/",
        },
        language="en",
    )
    assert re.search(r"<a href=\"[^\"]+/answer/ok/\"[^>]*>I(&#x27;|')m OK</a>", made.html)
    assert re.search(r'<a href="[^"]+/answer/not-good/"[^>]*>Not so good</a>', made.html)
    assert f"I'm OK:\n{SITE_URL}/answer/ok/\n" in made.text
    assert f"Not so good:\n{SITE_URL}/answer/not-good/\n" in made.text
    without = emails.render(
        "notify/email/followup",
        {"kind": "followup", "url": f"{SITE_URL}/inbox/x/", "channels_url": "x"},
        language="en",
    )
    assert "OK" not in without.text + without.html

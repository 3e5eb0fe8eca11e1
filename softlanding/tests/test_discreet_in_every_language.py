"""Discretion and privacy hold in every language: for a person reading German, Spanish,
French or English, notifications and e-mails in discreet mode carry no revealing word of any
of those languages, and none ever carries a word the person typed. Each is also really in the
person's language, so the scan reads what they would read."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from alerts import dropwatch
from alerts.models import AlertRecipient
from notify import messages
from notify import services as notify
from notify.models import Channel, Notification
from notify.services import send_delivery
from partners import support
from softlanding.catalogue_files import translated_languages
from softlanding.testing import DB, make_checkin, make_contact, make_encounter, revealing_words

pytestmark = DB

CANARY = "CANARY-5d21c8"
LANGUAGES = ["en", *translated_languages()]
KINDS = ["followup", "nudge", "drop_alert", "guest_answer", "test"]


@pytest.fixture
def alice_typed(alice):
    encounter = make_encounter(alice, note=f"{CANARY} note")
    make_checkin(alice, encounter, fun=f"{CANARY} fun", need_now=f"{CANARY} need", pleasantness=1)
    return alice


def _english(text: str) -> str:
    with translation.override("en"):
        return str(text)


def _outgoing(alice) -> list[str]:
    """Every notification and e-mail alice's world sends, as the words a glance would catch."""
    said = []
    for kind in KINDS:
        push = messages.render(Notification.objects.create(person=alice, kind=kind)).as_push()
        said.append(f"{push['title']}\n{push['body']}")
    channel = notify.add_channel(alice, kind=Channel.Kind.EMAIL, target="alice.box@example.org")
    for kind in KINDS[:-1]:
        send_delivery.call(notify.notify(alice, kind).deliveries.get().pk)
    send_delivery.call(notify.test_channel(channel).pk)
    contact = support.add_contact(alice, name="Jo", email="jo@example.org", may_tell="ask_me")
    support.send_verification.call(contact.pk)
    trusted = make_contact(alice, name="Sam", email="sam@example.org")
    checkin = make_checkin(alice, pleasantness=1, feelings=["tearful"], wants_care=True)
    dropwatch.tell(alice, checkin)
    dropwatch.tell_support_contact.call(AlertRecipient.objects.get(support_contact=trusted).pk)
    Client().post(reverse("account_reset_password"), {"email": alice.email})
    for message in mail.outbox:
        html = "".join(body for body, kind in getattr(message, "alternatives", []))
        said.append(f"{message.subject}\n{message.body}\n{html}")
    return said


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("discreet", [True, False])
def test_what_goes_out_is_in_their_language_discreet_and_free_of_their_words(
    alice_typed, language, discreet, settings
):
    settings.INSTANCE_NAME = "Soft Landing Aftercare"
    alice = alice_typed
    alice.language, alice.discreet_mode = language, discreet
    alice.save()
    said = _outgoing(alice)
    assert len(said) == len(KINDS) * 2 + 3
    with translation.override(language):
        followup_title = messages.render(
            Notification.objects.create(person=alice, kind="followup")
        ).title
    for text in said:
        assert CANARY not in text
        if discreet:
            words = re.sub(r"https?://\S+", "", text)
            assert revealing_words(words) == [], text
            assert "Aftercare" not in words, text
    if language != "en":
        # Written in the person's language, not in English: the scan read real sentences.
        assert followup_title in said[0]
        assert _english("Take care,") not in "".join(said[len(KINDS) :])

"""Discreet mode: no word a glance could catch, on the pages, in e-mail and in notifications.

The revealing words are those that tell an onlooker what the app is about. Left out on purpose:
"consent" (every app and cookie banner asks for it; the consent page is a legal duty),
"crisis" and helpline names (a person in trouble must find them at once), "playful" (an
everyday feeling word), "check-in" (says nothing on its own), "care".
"""

import datetime as dt
import re

import pytest
from allauth.core import context as allauth_context
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from accounts.adapters import MFAAdapter
from alerts import dropwatch
from alerts.models import AlertRecipient
from checkins import services as checkins
from lib import discreet
from notify import messages
from notify.models import Notification
from partners import support
from partners.models import SupportContact
from softlanding.testing import (
    DB,
    discreet_pages,
    make_discreet_world,
    make_encounter,
    revealing_words,
    visible_text,
)

pytestmark = DB


@pytest.fixture
def robin_world(alice, bob):
    return make_discreet_world(alice, bob)


def test_discreet_pages_show_no_revealing_word(client, alice, robin_world):
    client.force_login(alice)
    leaks = {}
    for url in discreet_pages(robin_world):
        response = client.get(url)
        assert response.status_code == 200, url
        found = revealing_words(visible_text(response.content.decode()))
        if found:
            leaks[url] = found
    assert leaks == {}


def test_the_same_pages_without_discreet_mode_do_use_those_words(client, alice, robin_world):
    # The scan is only worth something if it finds the words when they are there.
    alice.discreet_mode = False
    alice.save()
    client.force_login(alice)
    for url in (reverse("checkins:encounter_list"), reverse("partners:connections")):
        assert revealing_words(visible_text(client.get(url).content.decode())), url


def test_discreet_pages_still_name_things_plainly(client, alice, robin_world):
    client.force_login(alice)
    page = visible_text(client.get("/").content.decode())
    for words in ("Notes", "Entries", "People", "Add an entry", "Guide"):
        assert words in page
    guide = visible_text(client.get(reverse("care:guide")).content.decode())
    assert "Read it anyway" in guide
    unfolded = client.get(reverse("care:guide") + "?read=1").content.decode()
    assert "drop" in visible_text(unfolded)  # the person can still read the whole guide


def test_the_installable_name_is_the_neutral_one_in_discreet_mode(client, alice, robin_world):
    # A shortcut added to a home screen takes its name from these, not from the tab title.
    client.force_login(alice)
    page = client.get("/").content.decode()
    assert '<meta name="application-name" content="Notes">' in page
    assert '<meta name="apple-mobile-web-app-title" content="Notes">' in page
    alice.discreet_mode = False
    alice.save()
    page = client.get("/").content.decode()
    assert '<meta name="application-name" content="Soft Landing">' in page


def test_notifications_for_a_discreet_person_wear_the_neutral_name(alice, settings):
    settings.INSTANCE_NAME = "Soft Landing Aftercare"
    alice.discreet_mode = True
    alice.save()
    for kind in ("followup", "nudge", "drop_alert", "test"):
        message = messages.render(Notification.objects.create(person=alice, kind=kind))
        push = message.as_push()
        assert revealing_words(f"{push['title']} {push['body']}") == [], kind
        assert "Aftercare" not in push["title"] + push["body"]
    test_message = messages.render(Notification.objects.create(person=alice, kind="test"))
    assert test_message.title == "A test message from Notes"


def test_a_notification_rendered_inside_a_discreet_page_keeps_the_page_discreet(alice, bob):
    alice.discreet_mode = True
    alice.save()
    with discreet.speaking("en", discreet=True):
        messages.render(Notification.objects.create(person=bob, kind="followup"))
        assert gettext("Encounters") == "Entries"
    assert gettext("Encounters") == "Encounters"


def test_account_e_mail_to_a_discreet_person_has_a_neutral_subject(client, alice, settings):
    settings.INSTANCE_NAME = "Soft Landing Aftercare"
    alice.discreet_mode = True
    alice.save()
    client.post(reverse("account_reset_password"), {"email": alice.email})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("[Notes] ")
    assert revealing_words(mail.outbox[0].subject + mail.outbox[0].body) == []


def test_e_mail_to_the_people_a_discreet_person_trusts_is_discreet_too(alice, settings):
    settings.INSTANCE_NAME = "Soft Landing Aftercare"
    alice.discreet_mode = True
    alice.save()
    contact = support.add_contact(alice, name="Jo", email="jo@example.org", may_tell="ask_me")
    support.send_verification.call(contact.pk)
    SupportContact.objects.filter(pk=contact.pk).update(verified_at=timezone.now())
    encounter = checkins.log_encounter(
        alice, occurred_at=timezone.now() - dt.timedelta(hours=1), kind="solo"
    )
    checkin = checkins.add_checkin(
        alice, encounter, pleasantness=1, feelings=["tearful"], wants_care=True
    )
    dropwatch.tell(alice, checkin)
    dropwatch.tell_support_contact.call(AlertRecipient.objects.get(support_contact=contact).pk)
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        words = re.sub(r"https?://\S+", "", message.subject + message.body)
        assert revealing_words(words) == [] and "Aftercare" not in words, message.subject
        assert "Notes" in message.subject + message.body
    # Without discreet mode the same e-mail signs with the instance's name.
    alice.discreet_mode = False
    alice.save()
    sam = support.add_contact(alice, name="Sam", email="sam@example.org", may_tell="ask_me")
    support.send_verification.call(sam.pk)
    assert "Soft Landing Aftercare" in mail.outbox[-1].subject


def test_the_device_stays_discreet_after_signing_out(client, alice):
    alice.discreet_mode = True
    alice.save()
    client.force_login(alice)
    client.get("/")
    client.post(reverse("accounts:quick_exit"))
    sign_in_page = client.get(reverse("account_login")).content.decode()
    assert "<title>" in sign_in_page and "Soft Landing" not in visible_text(sign_in_page)
    assert revealing_words(visible_text(sign_in_page)) == []
    # Turning discreet mode off forgets it on this device too.
    client.force_login(alice)
    alice.discreet_mode = False
    alice.save()
    client.get("/")
    client.logout()
    assert "Soft Landing" in client.get(reverse("account_login")).content.decode()


def test_a_discreet_device_is_sent_to_sign_in_without_the_page_it_asked_for(client, alice):
    encounter = make_encounter(alice)
    page = reverse("checkins:encounter_detail", args=[encounter.code])
    sign_in = reverse("account_login")
    # Anywhere else, signing in leads back to the page asked for.
    assert client.get(page)["Location"] == f"{sign_in}?next={page}"
    alice.discreet_mode = True
    alice.save()
    client.force_login(alice)
    client.get("/")  # the device learns it is discreet
    client.post(reverse("accounts:quick_exit"))
    assert client.get(page)["Location"] == sign_in
    assert client.get("/encounters/")["Location"] == sign_in
    # Nor does signing out land on the welcome page, which says what the app is for.
    assert client.get("/")["Location"] == sign_in


def test_the_welcome_page_stays_for_everyone_else(client):
    page = client.get("/")
    assert page.status_code == 200
    assert "after sex or play" in visible_text(page.content.decode())


def test_authenticator_apps_and_passkeys_keep_a_neutral_name_in_discreet_mode(rf, alice):
    request = rf.get("/")
    request.discreet = True
    with allauth_context.request_context(request):
        adapter = MFAAdapter()
        assert adapter.get_totp_issuer() == "Notes"
        assert adapter.get_public_key_credential_rp_entity()["name"] == "Notes"
        request.discreet = False
        assert adapter.get_totp_issuer() == "Soft Landing"

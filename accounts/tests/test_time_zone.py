"""The person's time zone: taken from the browser at sign-up, changed later only when they
tap "Switch" on the offer a page makes, and kept when they tap "Keep"."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Person
from accounts.services import update_settings
from accounts.signals import schedule_changed
from checkins.services import log_encounter
from followups.models import FollowUp
from softlanding.testing import DB, PASSWORD

pytestmark = DB
OFFER = reverse("accounts:time_zone_offer")


def sign_up(client, email, **extra):
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": PASSWORD, "password2": PASSWORD, **extra},
    )


def test_sign_up_keeps_the_zone_the_browser_reported(client):
    response = sign_up(client, "kai@example.org", time_zone="Asia/Tokyo")
    assert response.status_code == 302
    assert Person.objects.get(email="kai@example.org").time_zone == "Asia/Tokyo"


@pytest.mark.parametrize("sent", [{}, {"time_zone": ""}, {"time_zone": "Mars/Olympus"}])
def test_without_a_zone_we_know_sign_up_still_works_with_the_default(client, sent):
    response = sign_up(client, "noor@example.org", **sent)
    assert response.status_code == 302
    assert Person.objects.get(email="noor@example.org").time_zone == "UTC"


def test_the_sign_up_form_carries_the_field_the_script_fills(client):
    page = client.get(reverse("account_signup")).content.decode()
    assert 'name="time_zone"' in page
    assert "data-browser-time-zone" in page
    assert "js/time-zone.js" in page


def test_a_signed_in_page_carries_the_offer_hidden_until_the_device_differs(client, alice):
    alice.time_zone, alice.declined_time_zone = "Europe/Berlin", "Asia/Tokyo"
    alice.save()
    client.force_login(alice)
    page = client.get(reverse("accounts:settings")).content.decode()
    assert 'data-time-zone-offer data-saved="Europe/Berlin" data-declined="Asia/Tokyo" hidden' in (
        page
    )
    assert "times here use Europe/Berlin" in page


def test_nobody_signed_out_is_offered_anything(client):
    assert "data-time-zone-offer" not in client.get(reverse("account_login")).content.decode()


def test_switch_changes_the_zone_and_plans_the_follow_ups_again(client, alice):
    replanned = []

    def heard(sender, person, **kwargs):
        replanned.append(person.pk)

    schedule_changed.connect(heard)
    try:
        with time_machine.travel(dt.datetime(2026, 3, 1, 11, 30, tzinfo=dt.UTC), tick=False):
            log_encounter(alice, occurred_at=dt.datetime.now(dt.UTC), kind="solo")
            client.force_login(alice)
            response = client.post(
                OFFER,
                {"time_zone": "Asia/Tokyo", "choice": "switch", "next": "/follow-ups/"},
                follow=True,
            )
    finally:
        schedule_changed.disconnect(heard)
    assert response.redirect_chain == [("/follow-ups/", 302)]
    assert "Times now use Asia/Tokyo." in response.content.decode()
    alice.refresh_from_db()
    assert alice.time_zone == "Asia/Tokyo"
    assert replanned == [alice.pk]
    # +3 h is 23:30 in Tokyo, in the quiet hours that now count there: at their end, 08:00.
    first = FollowUp.objects.filter(person=alice, offset_hours=3).get()
    assert first.due_at == dt.datetime(2026, 3, 1, 23, 0, tzinfo=dt.UTC)


def test_a_new_saved_zone_forgets_what_was_kept_for_the_old_one(alice):
    update_settings(alice, time_zone="Asia/Tokyo", declined_time_zone="Europe/Berlin")
    assert alice.declined_time_zone == "Europe/Berlin"
    update_settings(alice, time_zone="Asia/Tokyo", country="JP")
    assert alice.declined_time_zone == "Europe/Berlin"
    update_settings(alice, time_zone="America/New_York")
    alice.refresh_from_db()
    assert alice.declined_time_zone == ""


def test_keep_remembers_that_zone_and_changes_nothing_else(client, alice):
    alice.time_zone = "Europe/Berlin"
    alice.save()
    client.force_login(alice)
    response = client.post(OFFER, {"time_zone": "Asia/Tokyo", "choice": "keep", "next": "/"})
    assert response["Location"] == "/"
    alice.refresh_from_db()
    assert (alice.time_zone, alice.declined_time_zone) == ("Europe/Berlin", "Asia/Tokyo")
    page = client.get("/").content.decode()
    assert "Times stay in Europe/Berlin. We won&#x27;t ask about Asia/Tokyo again." in page
    assert 'data-declined="Asia/Tokyo"' in page


@pytest.mark.parametrize(
    "sent",
    [
        {"time_zone": "Mars/Olympus", "choice": "switch"},
        {"time_zone": "", "choice": "switch"},
        {"time_zone": "Asia/Tokyo", "choice": "maybe"},
    ],
)
def test_an_answer_that_does_not_fit_changes_nothing_and_says_so(client, alice, sent):
    client.force_login(alice)
    response = client.post(OFFER, {**sent, "next": "/encounters/"}, follow=True)
    assert response.redirect_chain == [("/encounters/", 302)]
    assert "nothing changed" in response.content.decode()
    alice.refresh_from_db()
    assert (alice.time_zone, alice.declined_time_zone) == ("UTC", "")


def test_the_way_back_never_leaves_the_site(client, alice):
    client.force_login(alice)
    response = client.post(
        OFFER, {"time_zone": "Asia/Tokyo", "choice": "keep", "next": "https://elsewhere.example/"}
    )
    assert response["Location"] == "/"


def test_the_api_reads_and_sets_the_zone_not_to_offer(client, alice):
    client.force_login(alice)
    assert client.get("/api/v1/me").json()["declined_time_zone"] == ""
    for value, status in (("Asia/Tokyo", 200), ("Mars/Olympus", 422), ("", 200)):
        response = client.patch(
            "/api/v1/me", {"declined_time_zone": value}, content_type="application/json"
        )
        assert response.status_code == status
    alice.refresh_from_db()
    assert alice.declined_time_zone == ""


def test_the_service_refuses_a_zone_the_tz_database_does_not_know(alice):
    with pytest.raises(ValidationError, match="time zone"):
        update_settings(alice, time_zone="Mars/Olympus")
    alice.refresh_from_db()
    assert alice.time_zone == "UTC"

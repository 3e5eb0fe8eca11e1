import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alerts import dropwatch, nudges
from alerts.models import Nudge
from care import services as care
from care.models import CareItem
from checkins import services
from checkins.models import CheckIn, Encounter
from consent.services import withdraw_consent
from followups.dispatcher import claim, deliver
from followups.models import FollowUp
from partners import services as partners
from partners.services import connected
from softlanding.testing import DB, make_connection, make_encounter

pytestmark = DB


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def make_many(person, count):
    water = CareItem.objects.get(key="water")
    rows = [
        Encounter(
            person=person,
            kind="solo",
            note=f"note {n}",
            occurred_at=timezone.now() - dt.timedelta(hours=n + 1),
        )
        for n in range(count)
    ]
    created = Encounter.objects.bulk_create(rows)
    Encounter.care_acts.through.objects.bulk_create(
        [Encounter.care_acts.through(encounter=e, careitem=water) for e in created]
    )
    CheckIn.objects.bulk_create(
        [CheckIn(encounter=e, person=person, pleasantness=5) for e in created[::2]]
    )


@pytest.mark.parametrize("url", ["/", "/encounters/", "/encounters/?page=3"])
def test_pages_make_the_same_number_of_queries_for_1_and_500_encounters(client, alice, url):
    client.force_login(alice)
    client.get(url)  # the first request after sign-in records the session
    make_many(alice, 1)
    few = queries_for(client, url)
    make_many(alice, 499)
    many = queries_for(client, url)
    assert few == many
    assert many <= 12


def test_logging_leads_straight_to_the_check_in(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("checkins:encounter_new"),
        {
            "occurred_at": "2026-01-10T23:30",
            "kind": "casual",
            "note": "met at the show",
        },
    )
    encounter = Encounter.objects.get(person=alice)
    assert response["Location"] == reverse("checkins:checkin_new", args=[encounter.code])
    assert encounter.note == "met at the show"


def test_the_time_means_the_persons_own_time_zone(client, alice):
    alice.time_zone = "America/New_York"
    alice.save()
    client.force_login(alice)
    client.post(
        reverse("checkins:encounter_new"), {"occurred_at": "2026-01-10T23:30", "kind": "solo"}
    )
    assert Encounter.objects.get().occurred_at == dt.datetime(2026, 1, 11, 4, 30, tzinfo=dt.UTC)


def test_a_future_time_rerenders_the_form_with_a_message_and_keeps_the_note(client, alice):
    client.force_login(alice)
    later = (timezone.now() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("checkins:encounter_new"), {"occurred_at": later, "kind": "solo", "note": "keep me"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "still ahead" in page
    assert "keep me" in page
    assert not Encounter.objects.exists()


def test_a_low_check_in_shows_the_drop_response(client, alice):
    alice.country = "NZ"
    alice.save()
    client.force_login(alice)
    encounter = make_encounter(alice)
    response = client.post(
        reverse("checkins:checkin_new", args=[encounter.code]),
        {"pleasantness": "1", "energy": "2", "feelings": ["tearful"], "wants_care": "on"},
    )
    checkin = CheckIn.objects.get()
    assert response["Location"] == reverse("checkins:checkin_detail", args=[checkin.code])
    page = client.get(response["Location"]).content.decode()
    assert "You asked for care" in page
    assert "1737" in page
    assert "A minute to ground yourself" in page


def test_a_good_check_in_just_says_thank_you(client, alice):
    client.force_login(alice)
    encounter = make_encounter(alice)
    response = client.post(
        reverse("checkins:checkin_new", args=[encounter.code]),
        {"pleasantness": "6", "feelings": ["content"]},
        follow=True,
    )
    assert "Thank you for checking in" in response.content.decode()
    assert "ground yourself" not in response.content.decode()


def test_on_camera_check_ins_offer_the_wind_down_routine(client, alice):
    client.force_login(alice)
    encounter = make_encounter(alice, kind="on_camera")
    page = client.get(reverse("checkins:checkin_new", args=[encounter.code])).content.decode()
    assert "Wind down" in page
    partnered = make_encounter(alice)
    page = client.get(reverse("checkins:checkin_new", args=[partnered.code])).content.decode()
    assert "Wind down" not in page


def test_the_wind_down_routine_is_shown_in_its_own_order(client, alice):
    # What helps most right after a show comes first, not the catalogue's order.
    water, shower = CareItem.objects.get(key="water"), CareItem.objects.get(key="shower")
    care.set_preference(alice, shower, receive="yes")
    client.force_login(alice)
    encounter = make_encounter(alice, kind="on_camera")
    page = client.get(reverse("checkins:checkin_new", args=[encounter.code])).content.decode()
    routine = services.wind_down_routine(alice)
    assert routine[:2] == [shower, water]
    shown = re.findall(r'name="winddown" value="([0-9a-f-]+)"', page)
    assert shown == [str(item.code) for item in routine]


def test_a_low_check_in_shows_the_lines_of_the_browsers_region_without_a_country(client, alice):
    # Carol never said where she lives; her phone's languages say British English.
    assert not alice.country
    checkin = services.add_checkin(
        alice, make_encounter(alice, kind="on_camera"), pleasantness=1, wants_care=True
    )
    client.force_login(alice)
    url = reverse("checkins:checkin_detail", args=[checkin.code])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert "Samaritans" in page and 'href="tel:116123"' in page
    anywhere = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Samaritans" not in anywhere and "findahelpline.com" in anywhere


def test_someone_elses_encounter_is_not_found(client, alice, charlie):
    theirs = make_encounter(charlie, note="private")
    client.force_login(alice)
    for name in ["encounter_detail", "encounter_edit", "encounter_delete", "checkin_new"]:
        assert client.get(reverse(f"checkins:{name}", args=[theirs.code])).status_code == 404
    assert client.post(reverse("checkins:encounter_delete", args=[theirs.code])).status_code == 404
    assert Encounter.objects.filter(pk=theirs.pk).exists()


def test_deleting_takes_the_check_ins_with_it(client, alice):
    client.force_login(alice)
    encounter = make_encounter(alice)
    services.add_checkin(alice, encounter, pleasantness=4)
    client.post(reverse("checkins:encounter_delete", args=[encounter.code]))
    assert not Encounter.objects.exists()
    assert not CheckIn.objects.exists()


def test_without_consent_the_pages_ask_for_it_first(client, alice):
    withdraw_consent(alice)
    client.force_login(alice)
    response = client.post(
        reverse("checkins:encounter_new"), {"occurred_at": "2026-01-10T23:30", "kind": "solo"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("privacy:consent"))
    assert not Encounter.objects.exists()


def test_an_empty_dashboard_explains_where_to_start(client, alice):
    client.force_login(alice)
    page = client.get("/").content.decode()
    assert "Set up my profile" in page
    assert "Log an encounter" in page


def test_a_partners_check_in_never_shows_as_the_authors_mood(client, alice, bob):
    _invite, secret = partners.create_invite(alice)
    connection = partners.accept_invite(bob, secret)
    encounter = make_encounter(alice, connections=[connection])
    services.add_checkin(bob, encounter, pleasantness=1, shared=[])
    client.force_login(alice)
    row = Encounter.objects.for_person(alice).with_mood().get()
    assert (row.latest_mood, row.checked_in) == (None, False)
    assert "felt 1 of 7" not in client.get("/encounters/").content.decode()
    services.add_checkin(alice, encounter, pleasantness=6)
    assert Encounter.objects.for_person(alice).with_mood().get().latest_mood == 6


def many_followups(alice, bob, count):
    """`count` encounters with alice's follow-ups sent, nudges and drop alerts for her inbox."""
    connection = connected(alice, bob) or make_connection(alice, bob)
    connection.sides.update(share_drop_alerts=True)
    for n in range(count):
        encounter = services.log_encounter(
            bob,
            occurred_at=timezone.now() - dt.timedelta(hours=4, minutes=n),
            kind="partnered",
            connections=[connection],
        )
        checkin = services.add_checkin(bob, encounter, pleasantness=1)
        dropwatch.tell(bob, checkin)
        nudges.send_nudge(bob, encounter, connection.code)
        Nudge.objects.update(created_at=timezone.now() - dt.timedelta(hours=2))
        services.add_checkin(alice, encounter, pleasantness=5)
    FollowUp.objects.update(due_at=timezone.now() - dt.timedelta(minutes=1))
    deliver("w", claim("w", batch=10_000))


@pytest.mark.parametrize("url", ["/", "/inbox/", "/follow-ups/", "/alerts/"])
def test_inbox_and_follow_up_pages_do_not_grow_with_history(client, alice, bob, url):
    client.force_login(alice)
    client.get(url)
    many_followups(alice, bob, 1)
    few = queries_for(client, url)
    many_followups(alice, bob, 12)
    many = queries_for(client, url)
    assert many == few, (url, few, many)
    assert many <= 16


def test_each_coming_follow_up_says_which_day_it_is_about_even_once_the_encounter_is_gone(
    client, alice, bob
):
    encounter = make_encounter(alice, connections=[make_connection(alice, bob)])
    checkin = services.add_checkin(bob, encounter, pleasantness=5)
    services.delete_encounter(encounter)
    client.force_login(bob)
    page = client.get(reverse("checkins:followups")).content.decode()
    day = timezone.localtime(checkin.encounter_at, bob.tz).strftime("%a %-d %b")
    assert page.count(f"(about {day})") == 3

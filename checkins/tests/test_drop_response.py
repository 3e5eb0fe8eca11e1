"""The drop response page, in the person's order: their own plan, one tap to tell someone,
a crisis line within one tap; then the rest of the plan, grounding and every line."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from care.services import update_profile
from checkins import services
from followups.dispatcher import claim, deliver
from followups.models import FollowUp
from partners.services import side_of, update_side
from softlanding.testing import DB, make_connection

pytestmark = DB
PLAN = "Wrap up in the green blanket, text Sam, no screens for an hour."


def drop_page(client, person, kind="partnered", connections=(), **answers) -> str:
    encounter = services.log_encounter(
        person,
        occurred_at=timezone.now() - dt.timedelta(hours=1),
        kind=kind,
        connections=list(connections),
    )
    checkin = services.add_checkin(person, encounter, **answers)
    client.force_login(person)
    return client.get(reverse("checkins:checkin_detail", args=[checkin.code])).content.decode()


def told_bob_on_a_drop(alice, bob):
    connection = make_connection(alice, bob)
    connection.sides.filter(person=alice).update(share_drop_alerts=True)
    return connection


def test_the_plan_comes_first_then_telling_someone_then_a_crisis_line(client, alice, bob):
    alice.country = "GB"
    alice.save()
    update_profile(alice, drop_helps=PLAN, self_care="A long bath.")
    connection = told_bob_on_a_drop(alice, bob)
    page = drop_page(client, alice, connections=[connection], pleasantness=1, wants_care=True)
    plan = page.index(PLAN)
    tell = page.index("Tell them I could use some care")
    line = page.index('href="tel:116123"')
    grounding = page.index("A minute to ground yourself")
    assert plan < tell < line < grounding
    assert page.index("Your plan for moments like this") < plan
    assert page.index("A long bath.") > tell


def test_a_long_plan_starts_on_top_and_is_whole_further_down(client, alice):
    long_plan = "First the blanket. " + "Then slow breaths, one by one. " * 12 + "Last: tea."
    update_profile(alice, drop_helps=long_plan)
    page = drop_page(client, alice, pleasantness=1, wants_care=True)
    assert page.index("First the blanket.") < page.index("Let someone know?")
    assert page.index("Last: tea.") > page.index("Let someone know?")
    assert 'href="#plan-rest"' in page and 'id="plan-rest"' in page


def test_without_a_plan_it_offers_kindly_to_write_one(client, alice):
    page = drop_page(client, alice, pleasantness=1, wants_care=True)
    assert "You haven't written a drop plan yet" in page
    assert "Your plan for moments like this" not in page
    assert reverse("care:profile") + "#id_drop_helps" in page


def test_a_quiet_drop_response_keeps_a_crisis_line_one_tap_away(client, alice):
    alice.country = "NZ"
    alice.save()
    page = drop_page(client, alice, pleasantness=2)
    assert "If it gets heavy" in page
    near = page.index('class="crisis-near"')
    assert near < page.index("A minute to ground yourself")
    assert 'href="tel:1737"' in page[near : near + 400]
    assert 'href="#crisis"' in page and 'id="crisis"' in page


def test_a_country_without_lines_still_jumps_to_the_directory(client, alice):
    alice.country = ""
    alice.save()
    page = drop_page(client, alice, feelings=["numb"])
    assert 'href="#crisis"' in page
    assert "findahelpline.com" in page


def test_after_a_show_it_speaks_to_the_empty_room(client, alice):
    page = drop_page(client, alice, kind="on_camera", pleasantness=2, feelings=["lonely"])
    assert "full chat to an empty room" in page
    assert "after sex or play" not in page


def test_nothing_promises_that_it_passes(client, alice):
    page = drop_page(client, alice, pleasantness=1, wants_care=True)
    assert "it passes" not in page.lower()


def test_a_follow_up_answered_low_shows_the_same_order(client, alice, bob):
    update_profile(alice, drop_helps=PLAN)
    connection = told_bob_on_a_drop(alice, bob)
    alice.quiet_hours_start = alice.quiet_hours_end = dt.time(0, 0)
    alice.save()
    services.log_encounter(
        alice,
        occurred_at=timezone.now() - dt.timedelta(hours=4),
        kind="partnered",
        connections=[connection],
    )
    deliver("w", claim("w", now=timezone.now() + dt.timedelta(hours=1)))
    followup = FollowUp.objects.get(person=alice, state="sent")
    client.force_login(alice)
    answered = client.post(
        reverse("checkins:followup", args=[followup.code]), {"pleasantness": 1, "wants_care": "on"}
    )
    page = client.get(answered["Location"]).content.decode()
    assert page.index(PLAN) < page.index("Tell them I could use some care")
    assert page.index("Tell them I could use some care") < page.index('class="crisis-near"')


def test_the_check_in_offers_to_share_with_the_one_person_by_name(client, alice, bob):
    connection = make_connection(alice, bob)  # alice calls bob "B"
    update_side(side_of(connection, alice), shared_answers=["mood"])  # sharing starts off
    encounter = services.log_encounter(
        alice, occurred_at=timezone.now(), kind="partnered", connections=[connection]
    )
    client.force_login(alice)
    page = client.get(reverse("checkins:checkin_new", args=[encounter.code])).content.decode()
    assert "Share with B" in page
    assert "your partner" not in page.lower()


def test_without_a_plan_the_catalogue_ideas_are_not_called_your_plan(client, alice):
    page = drop_page(client, alice, pleasantness=2)
    assert "More of your plan" not in page
    assert '<h2 id="plan-rest-heading">Things you can do for yourself</h2>' in page


def test_a_line_whose_name_holds_its_number_is_not_said_twice(client, alice):
    alice.country = "NZ"
    alice.save()
    page = drop_page(client, alice, pleasantness=2)
    near = page[page.index('class="crisis-near"') :]
    near = near[: near.index("</p>")]
    assert '<a href="tel:1737">Need to talk? 1737</a>' in near
    assert near.count("1737") == 2  # the link and its text, once

"""The insights page on a phone, in light and dark: the charts are drawn and visible, axe
finds nothing, and the strict CSP reports nothing (the visitor's console stays clean)."""

import pytest

from care.models import Answer, CareItem
from care.services import complete_profile, set_preference
from softlanding.testing import (
    TRANSACTIONAL_DB,
    answer_followup,
    make_checkin,
    make_connection,
    make_encounter,
    make_person,
)

pytestmark = [pytest.mark.browser, TRANSACTIONAL_DB]


def a_few_months(person):
    water = CareItem.objects.get(key="water")
    for n in range(24):
        kind = ["partnered", "on_camera", "solo"][n % 3]
        met = make_encounter(
            person, hours_ago=24 * (4 * n + 5), kind=kind, care_acts=[water] if n % 2 else []
        )
        make_checkin(person, met, pleasantness=1 if n % 7 == 0 else 3 + n % 4, energy=2 + n % 5)
        answer_followup(person, met, 3, pleasantness=4 + n % 3, energy=4)
        answer_followup(person, met, 24, pleasantness=6 if n % 2 else 3, energy=3)
        answer_followup(person, met, 48, pleasantness=5, energy=5)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_insights_page_draws_its_charts_on_a_phone(visitors, scheme):
    alice = make_person("Alice")
    a_few_months(alice)
    visitor = visitors(color_scheme=scheme)
    visitor.sign_in(alice)

    page = visitor.go("/insights/")
    assert page.get_by_role("heading", name="Insights").is_visible()
    charts = page.locator("svg.chart")
    assert charts.count() == 4  # three kinds, and mood over time
    for index in range(charts.count()):
        box = charts.nth(index).bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 100
    assert page.locator("polyline.chart-line").count() >= 4
    assert page.get_by_role("img", name="Mood and energy over time").is_visible()
    assert page.get_by_text(
        "The days after tended to go better when this was part of it."
    ).is_visible()
    visitor.check_accessibility()
    visitor.screenshot(f"insights-{scheme}-phone")

    page.locator("details summary").first.click()
    assert page.get_by_role("table").first.is_visible()
    visitor.check_accessibility()


def test_a_new_person_sees_the_quiet_empty_state(visitor):
    alice = make_person("Alice")
    visitor.sign_in(alice)
    page = visitor.go("/insights/")
    assert page.get_by_text(
        "After a few check-ins, you'll see here what tends to help you."
    ).is_visible()
    assert page.locator("svg.chart").count() == 0
    visitor.check_accessibility()
    visitor.screenshot("insights-empty-phone")


def test_both_turn_on_insights_together_and_see_the_same(visitors):
    alice, bob = make_person("Alice"), make_person("Bob")
    connection = make_connection(alice, bob, share_profile=True, shared_answers=["mood"])
    water = CareItem.objects.get(key="water")
    set_preference(alice, water, receive=Answer.YES)
    set_preference(bob, water, give=Answer.YES)
    complete_profile(alice)
    complete_profile(bob)
    for n in range(12):
        met = make_encounter(
            alice,
            hours_ago=24 * (n + 5),
            connections=[connection],
            care_acts=[water] if n < 6 else [],
        )
        make_checkin(alice, met, pleasantness=4, shared=["mood"])
        answer_followup(alice, met, 24, pleasantness=6 if n < 6 else 3, shared=["mood"])

    seen = []
    for person in (alice, bob):
        visitor = visitors()
        visitor.sign_in(person)
        page = visitor.go(f"/partners/{connection.code}/")
        page.get_by_label("See insights together").check()
        page.get_by_role("button", name="Save", exact=True).click()
        page.get_by_text("Saved.").wait_for()
        visitor.check_accessibility()
        page = visitor.go("/insights/")
        seen.append(page.locator(".tendencies").all_inner_texts())
        visitor.check_accessibility()
        visitor.screenshot(f"insights-together-{person.display_name.lower()}-phone")
    assert seen[0] == seen[1]
    assert "The days after tended to go better when this was part of it." in seen[1][0]

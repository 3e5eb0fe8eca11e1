"""The insights page on a phone, in light and dark: the charts are drawn and visible, axe
finds nothing, and the strict CSP reports nothing (the visitor's console stays clean)."""

import pytest

from care.models import CareItem
from softlanding.testing import (
    TRANSACTIONAL_DB,
    answer_followup,
    make_checkin,
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

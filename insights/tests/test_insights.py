"""Made-up histories whose answers are known: what the insights page and the API say."""

import re

import pytest

from care.models import CareItem
from care.services import add_own_item
from followups.models import FollowUp, FollowUpState
from insights.figures import insights_for
from softlanding.testing import (
    DB,
    answer_followup,
    bearer,
    make_checkin,
    make_encounter,
    make_history,
)
from softlanding.testing_counts import assert_same_cost, counting

pytestmark = DB


@pytest.fixture
def water():
    return CareItem.objects.get(key="water")


@pytest.fixture
def blanket():
    return CareItem.objects.get(key="warmth")


def evenings(person, count, *, next_day, start=0, kind="partnered", **encounter):
    """``count`` encounters days apart, each checked in on right after (4) and answered the
    next day with ``next_day``."""
    for n in range(start, start + count):
        met = make_encounter(person, hours_ago=24 * (n + 5), kind=kind, **encounter)
        make_checkin(person, met, pleasantness=4, energy=4)
        answer_followup(person, met, 24, pleasantness=next_day, energy=4)


def page(client, person) -> str:
    client.force_login(person)
    response = client.get("/insights/")
    assert response.status_code == 200
    return response.content.decode()


def api(client, person) -> dict:
    response = client.get("/api/v1/insights", **bearer(person))
    assert response.status_code == 200
    return response.json()


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_new_person_sees_a_quiet_empty_page(client, alice):
    assert "After a few check-ins, you'll see here what tends to help you." in page(client, alice)
    found = api(client, alice)
    assert found["checkins"] == 0
    assert found["days_after"] == found["received"] == found["periods"] == []


def test_water_before_every_good_next_day_shows_as_tending_to_help(client, alice, water):
    evenings(alice, 6, next_day=6, care_acts=[water])
    evenings(alice, 6, next_day=3, start=6)

    (care,) = api(client, alice)["received"]
    assert care["label"] == "Water"
    assert (care["with_times"], care["with_average"]) == (6, 6.0)
    assert (care["without_times"], care["without_average"]) == (6, 3.0)
    assert care["tendency"] == "better"
    said = text(page(client, alice))
    assert "The days after tended to go better when this was part of it." in said
    assert "With it: 6.0 on average, 6 times." in said
    assert "Without it: 3.0, 6 times." in said
    # What came together is never called a cause.
    assert "not what caused what" in said
    assert not re.search(r"\bcause[sd]? (you|your|better)\b", said)


def test_four_times_is_too_few_to_tell(client, alice, water):
    evenings(alice, 4, next_day=7, care_acts=[water])
    evenings(alice, 6, next_day=2, start=4)

    (care,) = api(client, alice)["received"]
    assert care["with_times"] == 4
    assert care["tendency"] == "too_few"
    assert care["with_average"] is None and care["without_average"] is None
    assert care["words"] == "4 times — too few to tell yet."
    said = text(page(client, alice))
    assert "4 times — too few to tell yet." in said
    assert "on average" not in said


def test_always_part_of_it_is_too_few_to_compare(client, alice, water):
    evenings(alice, 7, next_day=6, care_acts=[water])

    (care,) = api(client, alice)["received"]
    assert (care["with_times"], care["without_times"]) == (7, 0)
    assert care["tendency"] == "too_few"
    assert "too few to compare" in care["words"]


def test_care_given_is_weighed_like_care_received(client, alice, blanket):
    for n in range(10):
        met = make_encounter(alice, hours_ago=24 * (n + 5), kind="casual")
        make_checkin(alice, met, pleasantness=5, care_given=[blanket] if n < 5 else [])
        answer_followup(alice, met, 24, pleasantness=5)

    found = api(client, alice)
    assert found["received"] == []
    (care,) = found["given"]
    assert (care["label"], care["with_times"], care["without_times"]) == (
        "Blanket or warmth",
        5,
        5,
    )
    assert care["tendency"] == "same"
    assert "about the same with it and without it" in text(page(client, alice))


def test_the_days_after_are_shown_per_kind_with_72_hours_only_when_used(client, alice):
    for n in range(2):
        met = make_encounter(alice, hours_ago=24 * (n + 5), kind="on_camera")
        make_checkin(alice, met, pleasantness=6)
        answer_followup(alice, met, 3, pleasantness=5)
        answer_followup(alice, met, 24, pleasantness=2 + n)
        answer_followup(alice, met, 48, pleasantness=4)
    met = make_encounter(alice, hours_ago=24 * 9, kind="solo")
    make_checkin(alice, met, pleasantness=5)
    answer_followup(alice, met, 72, pleasantness=6)

    days = {d["kind"]: d for d in api(client, alice)["days_after"]}
    assert list(days) == ["on_camera", "solo"]
    shown = [(m["label"], m["average"], m["answers"]) for m in days["on_camera"]["moments"]]
    assert shown == [
        ("Right after", 6.0, 2),
        ("+3 h", 5.0, 2),
        ("+24 h", 2.5, 2),
        ("+48 h", 4.0, 2),
    ]
    assert [m["hours"] for m in days["solo"]["moments"]] == [0, 72]
    html = page(client, alice)
    assert html.count('<svg class="chart"') == 3  # two kinds, and mood over time
    assert 'id="days-on_camera-title">How the days after go: On camera</title>' in html


def test_over_time_marks_drop_signals_and_counts_shows(client, alice):
    for n in range(3):
        met = make_encounter(alice, hours_ago=24 * (n + 5), kind="on_camera")
        make_checkin(alice, met, pleasantness=1 if n == 0 else 5, energy=3)

    found = api(client, alice)
    assert found["on_camera"] is True
    assert sum(p["drops"] for p in found["periods"]) == 1
    assert sum(p["shows"] for p in found["periods"]) == 3
    assert sum(p["checkins"] for p in found["periods"]) == 3
    html = page(client, alice)
    assert 'class="chart-drop"' in html and 'class="chart-bar"' in html
    assert "Shows" in html


def test_only_the_persons_own_check_ins_count(client, alice, bob, water):
    evenings(bob, 6, next_day=7, care_acts=[water])
    assert api(client, alice)["checkins"] == 0
    assert api(client, bob)["checkins"] == 12


def test_the_charts_are_labelled_and_carry_no_inline_style(client, alice, water):
    evenings(alice, 3, next_day=5, care_acts=[water])
    html = page(client, alice)
    charts = re.findall(r"<svg.*?</svg>", html, re.S)
    assert charts
    for chart in charts:
        assert 'role="img"' in chart and "aria-labelledby=" in chart
        assert "<title id=" in chart and "<desc id=" in chart
        assert "style" not in chart
    assert html.count("<details>") == len(charts)


def test_page_and_api_cost_the_same_with_ten_encounters_and_two_years(client, alice, bob):
    client.force_login(alice)
    headers = bearer(alice)
    make_history(alice, 10, answers=25)
    make_history(bob, 730, answers=2000)

    def both():
        assert client.get("/insights/").status_code == 200
        assert client.get("/api/v1/insights", **headers).status_code == 200

    both()
    with counting() as small:
        both()
    make_history(alice, 720, answers=1975)
    with counting() as large:
        both()
    assert_same_cost(small, large)
    with counting() as one_page:
        client.get("/insights/")
    assert one_page.queries <= 8, "\n".join(one_page.sql)
    assert api(client, alice)["checkins"] == 730 + 2000


def test_a_care_act_of_ones_own_is_named_in_ones_own_words(client, alice):
    tea = add_own_item(alice, category="body", label="Tea on the balcony")
    evenings(alice, 5, next_day=6, care_acts=[tea])
    evenings(alice, 5, next_day=4, start=5)
    (care,) = api(client, alice)["received"]
    assert (care["label"], care["tendency"]) == ("Tea on the balcony", "better")
    assert "Tea on the balcony" in page(client, alice)


def test_one_answer_to_two_follow_ups_counts_once_at_the_earlier_hour(alice, bob):
    """A check-in made while two follow-ups were asking answers both: it counts once, at the
    earlier one's hour. Someone else's answers to their own follow-ups change nothing."""
    met = make_encounter(alice, hours_ago=30, kind="casual")
    late = answer_followup(alice, met, 24, pleasantness=2)
    FollowUp.objects.create(
        person=alice,
        encounter=met,
        encounter_kind=met.kind,
        encounter_at=met.occurred_at,
        offset_hours=3,
        due_at=met.occurred_at,
        state=FollowUpState.ANSWERED,
        checkin=late,
    )
    theirs = make_encounter(bob, hours_ago=30, kind="casual")
    answer_followup(bob, theirs, 48, pleasantness=7)
    (casual,) = insights_for(alice).days_after
    assert [(m.hours, m.average, m.answers) for m in casual.moments] == [(3, 2.0, 1)]

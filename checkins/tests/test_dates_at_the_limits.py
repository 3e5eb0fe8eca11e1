"""Any date the encounter form or the API accepts, in any zone, is either kept or refused with
a message: never an OverflowError."""

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Person
from accounts.services import create_token
from checkins import services
from checkins.forms import EncounterForm
from checkins.models import Encounter
from followups import services as followups
from lib import moments
from softlanding.testing import DB, make_person

pytestmark = DB

ZONES = sorted(zoneinfo.available_timezones())
ENDS = ["0001-01-01T00:00", "0001-01-02T03:00", "9999-12-31T23:59", "1899-12-31T23:59"]


@pytest.mark.parametrize("zone", ["Asia/Tokyo", "Pacific/Pago_Pago", "Pacific/Kiritimati"])
@pytest.mark.parametrize("when", ENDS)
def test_the_encounter_page_answers_a_date_at_the_calendars_ends_with_a_message(client, zone, when):
    person = make_person("Zed", time_zone=zone, password=None)
    client.force_login(person)
    response = client.post("/encounters/new/", {"occurred_at": when, "kind": "solo"})
    assert response.status_code == 400
    assert "Please pick a date" in response.content.decode()
    assert when in response.content.decode()  # what was typed stays in the field
    assert not Encounter.objects.exists()


@pytest.mark.parametrize(
    "when", ["0001-01-01T00:00:00+09:00", "9999-12-31T23:59:00-11:00", "1899-12-31T23:00:00Z"]
)
def test_the_api_answers_a_date_at_the_calendars_ends_with_a_detail(client, alice, when):
    _token, secret = create_token(alice, "tests")
    response = client.post(
        "/api/v1/encounters",
        {"occurred_at": when, "kind": "solo"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 422
    assert "Please pick a date" in response.json()["detail"]


def test_the_service_refuses_a_date_outside_the_years_we_keep(alice):
    tokyo = dt.datetime(1, 1, 1, tzinfo=zoneinfo.ZoneInfo("Asia/Tokyo"))
    with pytest.raises(ValidationError) as raised:
        services.log_encounter(alice, occurred_at=tokyo, kind="solo")
    assert "occurred_at" in raised.value.message_dict


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    wall=st.datetimes(min_value=dt.datetime.min, max_value=dt.datetime.max),
    zone=st.sampled_from(ZONES),
)
def test_the_encounter_form_keeps_or_refuses_any_date_in_any_zone(alice, wall, zone):
    alice.time_zone = zone
    form = EncounterForm(
        {"occurred_at": wall.strftime("%Y-%m-%dT%H:%M"), "kind": "solo"}, person=alice
    )
    if form.is_valid():
        assert moments.in_utc(form.cleaned_data["occurred_at"]).year >= moments.EARLIEST_YEAR
    else:
        assert list(form.errors) == ["occurred_at"]


def test_follow_ups_near_the_limits_are_planned_without_overflow_in_every_zone():
    for zone in ZONES:
        person = Person(time_zone=zone, follow_up_hours=[3, 24, 48, 72])
        tz = zoneinfo.ZoneInfo(zone)
        earliest = moments.from_wall_clock(dt.datetime(moments.EARLIEST_YEAR, 1, 1), tz)
        latest = moments.from_wall_clock(dt.datetime(moments.LATEST_YEAR, 12, 31, 23, 59), tz)
        assert followups.plan(person, earliest, now=earliest), zone
        planned = followups.plan(person, latest, now=latest)
        assert [offset for offset, _due in planned] == [3, 24, 48, 72], zone

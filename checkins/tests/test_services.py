import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from care.models import CareItem
from care.services import update_profile
from checkins import services
from checkins.models import CheckIn
from consent.services import ConsentRequired, withdraw_consent
from softlanding.testing import DB, make_checkin, make_encounter, make_person

pytestmark = DB


def test_it_logs_an_encounter_after_the_fact(alice):
    yesterday = timezone.now() - dt.timedelta(days=1)
    water = CareItem.objects.get(key="water")
    encounter = make_encounter(alice, occurred_at=yesterday, care_acts=[water], note="slow morning")
    assert encounter.occurred_at == yesterday
    assert list(encounter.care_acts.all()) == [water]
    assert encounter.note == "slow morning"


def test_a_time_in_the_future_is_refused_with_a_clear_message(alice):
    with pytest.raises(ValidationError) as error:
        make_encounter(alice, occurred_at=timezone.now() + dt.timedelta(hours=2))
    assert "still ahead" in str(error.value)


def test_a_little_clock_skew_is_forgiven(alice):
    make_encounter(alice, occurred_at=timezone.now() + dt.timedelta(minutes=2))


def test_nothing_intimate_is_stored_without_consent(alice):
    withdraw_consent(alice)
    with pytest.raises(ConsentRequired):
        make_encounter(alice)


def test_a_normal_check_in_raises_no_alarm(alice):
    checkin = make_checkin(alice, pleasantness=5, feelings=["calm", "close", "tired"])
    assert checkin.drop_reasons == []


@pytest.mark.parametrize("value", [1, 2])
def test_very_low_pleasantness_signals_a_drop(alice, value):
    assert make_checkin(alice, pleasantness=value).drop_reasons == ["very_low"]


def test_three_is_not_very_low(alice):
    assert make_checkin(alice, pleasantness=3).drop_reasons == []


@pytest.mark.parametrize("word", ["tearful", "numb", "lonely", "ashamed", "anxious", "sad"])
def test_a_low_feeling_word_signals_a_drop(alice, word):
    assert make_checkin(alice, pleasantness=5, feelings=[word]).drop_reasons == ["low_feeling"]


def test_asking_for_care_signals_a_drop(alice):
    assert make_checkin(alice, pleasantness=6, wants_care=True).drop_reasons == ["asked_for_care"]


def test_two_below_the_persons_own_baseline_signals_a_drop(alice):
    for value in (6, 6, 7, 6):
        make_checkin(alice, pleasantness=value)
    assert services.baseline(alice) == 6
    assert make_checkin(alice, pleasantness=4).drop_reasons == ["below_usual"]


def test_one_below_the_baseline_is_just_a_day(alice):
    for value in (6, 6, 6):
        make_checkin(alice, pleasantness=value)
    assert make_checkin(alice, pleasantness=5).drop_reasons == []


def test_there_is_no_baseline_until_three_check_ins(alice):
    make_checkin(alice, pleasantness=7)
    make_checkin(alice, pleasantness=7)
    assert services.baseline(alice) is None
    assert make_checkin(alice, pleasantness=4).drop_reasons == []


def test_the_baseline_is_the_persons_own(alice, bob):
    for value in (7, 7, 7):
        make_checkin(bob, pleasantness=value)
    assert services.baseline(alice) is None
    assert make_checkin(alice, pleasantness=5).drop_reasons == []


def test_out_of_range_answers_are_refused(alice):
    encounter = make_encounter(alice)
    with pytest.raises(ValidationError):
        services.add_checkin(alice, encounter, pleasantness=8)
    with pytest.raises(ValidationError):
        services.add_checkin(alice, encounter, feelings=["furious-and-unknown"])
    assert not CheckIn.objects.exists()


def test_wind_down_ticks_become_care_acts(alice):
    encounter = make_encounter(alice, kind="on_camera")
    water, screens = CareItem.objects.filter(key__in=["water", "step_away"]).order_by("key")
    services.add_checkin(alice, encounter, pleasantness=4, care_acts=[water, screens])
    assert set(encounter.care_acts.all()) == {water, screens}


def test_the_drop_response_brings_the_persons_plan_and_their_country_lines(alice):
    alice.country = "GB"
    alice.save()
    update_profile(alice, drop_helps="Call Sam. Blanket. Tea.")
    checkin = make_checkin(alice, pleasantness=1, wants_care=True)
    response = services.drop_response(alice, checkin)
    assert response["prominent"] is True
    assert response["drop_helps"] == "Call Sam. Blanket. Tea."
    assert response["crisis"]["entry"]["emergency"] == "999"
    assert response["crisis"]["entry"]["source"].startswith("https://")
    assert response["crisis"]["entry"]["last_verified"]
    assert response["grounding"]


def test_a_low_mood_without_asking_shows_the_response_quietly(alice):
    checkin = make_checkin(alice, pleasantness=2)
    assert services.drop_response(alice, checkin)["prominent"] is False


def test_without_a_country_of_their_own_the_browsers_region_chooses_the_lines(db):
    mika = make_person("Mika", country="")
    assert services.drop_response(mika, region="GB")["crisis"]["entry"]["emergency"] == "999"
    # The country a person gave wins over wherever their browser says they are.
    nz = make_person("Aroha", country="NZ")
    assert services.drop_response(nz, region="GB")["crisis"]["country"] == "NZ"


def test_an_unknown_country_gets_the_international_directory(db):
    person = make_person("Mika", country="")
    response = services.drop_response(person)
    assert response["crisis"]["entry"] is None
    assert response["crisis"]["international"]["url"].startswith("https://")

"""The care a person gave, recorded on their own check-in beside the care they received."""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.services import create_token
from care.models import CareItem
from care.services import add_own_item
from checkins import services
from checkins.models import CheckIn, Encounter, FollowUp, FollowUpState
from partners import services as partners
from softlanding.testing import DB

pytestmark = DB


def log(person, **extra):
    fields = {"occurred_at": timezone.now() - dt.timedelta(hours=1), "kind": "partnered"}
    return services.log_encounter(person, **{**fields, **extra})


def item(key) -> CareItem:
    return CareItem.objects.get(key=key)


def connect(alice, bob):
    _invite, secret = partners.create_invite(alice)
    return partners.accept_invite(bob, secret)


@pytest.fixture
def api(alice):
    _token, secret = create_token(alice, "tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_a_check_in_keeps_the_care_given_apart_from_the_care_received(alice):
    encounter = log(alice)
    checkin = services.add_checkin(
        alice, encounter, care_acts=[item("water")], care_given=[item("warmth"), item("praise")]
    )
    assert {i.key for i in checkin.care_given.all()} == {"warmth", "praise"}
    assert [i.key for i in encounter.care_acts.all()] == ["water"]
    # Kept as rows, so "what helps" can ask which care came before a better follow-up.
    assert CheckIn.objects.filter(person=alice, care_given__key="warmth").get() == checkin
    assert not CheckIn.objects.filter(care_given__key="water").exists()


def test_a_partner_records_the_care_they_gave_on_their_own_check_in(alice, bob):
    encounter = log(alice, connections=[connect(alice, bob)])
    own = add_own_item(bob, category="words", label="read to her")
    theirs = services.add_checkin(bob, encounter, care_given=[item("warmth"), own])
    assert set(theirs.care_given.all()) == {item("warmth"), own}
    assert not encounter.care_acts.exists()  # the author's encounter is not bob's to change


def test_someone_elses_own_item_is_refused_as_care_given(alice, charlie):
    theirs = add_own_item(charlie, category="words", label="charlie's words")
    with pytest.raises(ValidationError):
        services.add_checkin(alice, log(alice), care_given=[theirs])
    assert not CheckIn.objects.exists()


def test_care_given_reaches_a_partner_only_when_shared(alice, bob):
    encounter = log(alice, connections=[connect(alice, bob)])
    services.add_checkin(
        bob, encounter, fun="the talk", care_given=[item("warmth")], shared=["fun"]
    )
    services.add_checkin(bob, encounter, care_given=[item("praise")], shared=["care_given"])
    as_shown = Encounter.objects.with_details().get(pk=encounter.pk)
    answers = [entry["answers"] for entry in services.shared_checkins(as_shown, alice)]
    # Warmth was given too, but only its "what was fun" was shared: it stays bob's.
    assert sorted(answers, key=lambda shown: shown[0]["key"]) == [
        [{"key": "care_given", "label": "The care I gave", "value": "Praise"}],
        [{"key": "fun", "label": "What was fun", "value": "the talk"}],
    ]


def test_the_check_in_form_asks_what_was_given_beside_what_was_received(client, alice, bob):
    encounter = log(alice, connections=[connect(alice, bob)])
    client.force_login(alice)
    page = client.get(reverse("checkins:checkin_new", args=[encounter.code])).content.decode()
    assert "What did you give?" in page and "What did you receive?" in page
    client.force_login(bob)
    page = client.get(reverse("checkins:checkin_new", args=[encounter.code])).content.decode()
    assert "What did you give?" in page
    assert "What did you receive?" not in page  # received care is on the author's encounter
    assert "The care I gave" in page  # and it can be shared like any answer
    client.force_login(alice)
    show = log(alice, kind="on_camera")
    page = client.get(reverse("checkins:checkin_new", args=[show.code])).content.decode()
    assert "What did you give?" not in page and "Wind down" in page


def test_given_and_received_care_both_show_on_the_check_in_page(client, alice):
    client.force_login(alice)
    encounter = log(alice)
    response = client.post(
        reverse("checkins:checkin_new", args=[encounter.code]),
        {
            "pleasantness": "5",
            "care_given": [str(item("warmth").code)],
            "care_received": [str(item("water").code)],
        },
    )
    assert response.status_code == 302
    checkin = CheckIn.objects.get()
    page = client.get(reverse("checkins:checkin_detail", args=[checkin.code])).content.decode()
    received, given = page.index("The care you received"), page.index("The care you gave")
    assert received < page.index("Water") < given < page.index("Blanket or warmth")
    page = client.get(reverse("checkins:encounter_detail", args=[encounter.code])).content.decode()
    assert "You gave" in page and "Blanket or warmth" in page


def test_an_unknown_care_code_rerenders_the_form_and_keeps_what_was_typed(client, alice):
    client.force_login(alice)
    encounter = log(alice)
    response = client.post(
        reverse("checkins:checkin_new", args=[encounter.code]),
        {"fun": "the slow part", "care_given": [str(uuid.uuid4())]},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "the slow part" in page and "Something needs another look" in page
    assert not CheckIn.objects.exists()


def test_a_follow_up_answer_can_record_the_care_given_later(client, alice):
    encounter = log(alice)
    FollowUp.objects.filter(person=alice).update(state=FollowUpState.SENT, sent_at=timezone.now())
    followup = FollowUp.objects.filter(person=alice).first()
    assert followup is not None
    client.force_login(alice)
    url = reverse("checkins:followup", args=[followup.code])
    assert "What did you give?" in client.get(url).content.decode()
    response = client.post(url, {"pleasantness": "5", "care_given": [str(item("call").code)]})
    assert response.status_code == 302
    followup.refresh_from_db()
    assert followup.checkin is not None
    assert [i.key for i in followup.checkin.care_given.all()] == ["call"]
    assert followup.checkin.encounter == encounter


def test_the_api_records_and_returns_the_care_given(client, alice, api):
    encounter = log(alice)
    own = add_own_item(alice, category="words", label="a note the next day")
    codes = [str(item("warmth").code), str(own.code)]
    response = client.post(
        f"/api/v1/encounters/{encounter.code}/checkins",
        {"care_given": codes, "care_acts": [str(item("water").code)], "shared": ["care_given"]},
        content_type="application/json",
        **api,
    )
    assert response.status_code == 201, response.content
    assert sorted(response.json()["care_given"]) == sorted(codes)
    listed = client.get("/api/v1/checkins", **api).json()["items"]
    assert sorted(listed[0]["care_given"]) == sorted(codes)
    assert [i.key for i in encounter.care_acts.all()] == ["water"]


@pytest.mark.parametrize(
    "given, status",
    [
        (["not-a-code"], 422),
        ([str(uuid.uuid4())], 404),
        ("warmth", 422),
        ("charlie's", 404),
    ],
)
def test_the_api_refuses_care_it_does_not_know_with_a_json_detail(
    client, alice, charlie, api, given, status
):
    if given == "charlie's":
        given = [str(add_own_item(charlie, category="words", label="theirs").code)]
    encounter = log(alice)
    response = client.post(
        f"/api/v1/encounters/{encounter.code}/checkins",
        {"care_given": given},
        content_type="application/json",
        **api,
    )
    assert response.status_code == status
    assert response.json()["detail"]
    assert not CheckIn.objects.exists()


def test_a_follow_up_answered_through_the_api_keeps_the_care_given(client, alice, api):
    log(alice)
    FollowUp.objects.filter(person=alice).update(state=FollowUpState.SENT, sent_at=timezone.now())
    followup = FollowUp.objects.filter(person=alice).first()
    assert followup is not None
    response = client.post(
        f"/api/v1/follow-ups/{followup.code}/answer",
        {"care_given": [str(item("call").code)]},
        content_type="application/json",
        **api,
    )
    assert response.status_code == 201, response.content
    assert response.json()["checkin"]["care_given"] == [str(item("call").code)]
    assert FollowUp.objects.get(pk=followup.pk).state == FollowUpState.ANSWERED

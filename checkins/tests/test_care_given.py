"""The care a person gave, recorded on their own check-in beside the care they received."""

import re
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.services import create_token
from care.catalogue import ITEMS
from care.models import CareItem
from care.services import add_own_item
from checkins import giving, services
from checkins.forms import CheckInForm
from checkins.models import CheckIn, Encounter
from followups.models import FollowUp, FollowUpState
from partners import services as partners
from partners.models import SHAREABLE_ANSWERS
from softlanding.testing import DB, EVERY_ANSWER, bearer, make_connection, make_encounter

pytestmark = DB
SHAREABLE_KEYS = {key for key, _label in SHAREABLE_ANSWERS}


def item(key) -> CareItem:
    return CareItem.objects.get(key=key)


@pytest.fixture
def api(alice):
    return bearer(alice)


def test_a_check_in_keeps_the_care_given_apart_from_the_care_received(alice):
    encounter = make_encounter(alice)
    checkin = services.add_checkin(
        alice, encounter, care_acts=[item("water")], care_given=[item("warmth"), item("praise")]
    )
    assert {i.key for i in checkin.care_given.all()} == {"warmth", "praise"}
    assert [i.key for i in encounter.care_acts.all()] == ["water"]
    # Kept as rows, so "what helps" can ask which care came before a better follow-up.
    assert CheckIn.objects.filter(person=alice, care_given__key="warmth").get() == checkin
    assert not CheckIn.objects.filter(care_given__key="water").exists()


def test_a_partner_records_the_care_they_gave_on_their_own_check_in(alice, bob):
    encounter = make_encounter(
        alice, connections=[make_connection(alice, bob, shared_answers=EVERY_ANSWER)]
    )
    own = add_own_item(bob, category="words", label="read to her")
    theirs = services.add_checkin(bob, encounter, care_given=[item("warmth"), own])
    assert set(theirs.care_given.all()) == {item("warmth"), own}
    assert not encounter.care_acts.exists()  # the author's encounter is not bob's to change


def test_someone_elses_own_item_is_refused_as_care_given(alice, charlie):
    theirs = add_own_item(charlie, category="words", label="charlie's words")
    with pytest.raises(ValidationError):
        services.add_checkin(alice, make_encounter(alice), care_given=[theirs])
    assert not CheckIn.objects.exists()


def test_care_given_reaches_a_partner_only_when_shared(alice, bob):
    encounter = make_encounter(
        alice, connections=[make_connection(alice, bob, shared_answers=EVERY_ANSWER)]
    )
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
    encounter = make_encounter(
        alice, connections=[make_connection(alice, bob, shared_answers=EVERY_ANSWER)]
    )
    client.force_login(alice)
    page = client.get(reverse("checkins:checkin_new", args=[encounter.code])).content.decode()
    assert "What did you give?" in page and "What did you receive?" in page
    client.force_login(bob)
    page = client.get(reverse("checkins:checkin_new", args=[encounter.code])).content.decode()
    assert "What did you give?" in page
    assert "What did you receive?" not in page  # received care is on the author's encounter
    assert "The care I gave" in page  # and it can be shared like any answer
    client.force_login(alice)
    show = make_encounter(alice, kind="on_camera")
    page = client.get(reverse("checkins:checkin_new", args=[show.code])).content.decode()
    assert "What did you give?" not in page and "Wind down" in page


def test_given_and_received_care_both_show_on_the_check_in_page(client, alice):
    client.force_login(alice)
    encounter = make_encounter(alice)
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
    encounter = make_encounter(alice)
    response = client.post(
        reverse("checkins:checkin_new", args=[encounter.code]),
        {"fun": "the slow part", "care_given": [str(uuid.uuid4())]},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "the slow part" in page and "Something needs another look" in page
    assert not CheckIn.objects.exists()


def test_a_follow_up_answer_can_record_the_care_given_later(client, alice):
    encounter = make_encounter(alice)
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
    encounter = make_encounter(alice)
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
    encounter = make_encounter(alice)
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
    make_encounter(alice)
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


def test_the_care_given_can_be_changed_later_and_a_partner_sees_the_change(alice, bob):
    encounter = make_encounter(
        alice, connections=[make_connection(alice, bob, shared_answers=EVERY_ANSWER)]
    )
    theirs = services.add_checkin(
        bob, encounter, care_given=[item("warmth")], shared=["care_given"]
    )
    giving.set_care_given(bob, theirs, [item("praise"), item("water"), item("praise")])
    assert {i.key for i in theirs.care_given.all()} == {"praise", "water"}
    as_shown = Encounter.objects.with_details().get(pk=encounter.pk)
    [shown] = services.shared_checkins(as_shown, alice)
    assert shown["answers"] == [
        {"key": "care_given", "label": "The care I gave", "value": "Water, Praise"}
    ]
    with pytest.raises(ValidationError):  # only its author changes a check-in
        giving.set_care_given(alice, theirs, [])
    with pytest.raises(ValidationError):  # and only with care they can see
        giving.set_care_given(bob, theirs, [add_own_item(alice, category="words", label="x")])
    assert {i.key for i in theirs.care_given.all()} == {"praise", "water"}


def test_the_care_given_page_changes_it_and_rerenders_on_bad_input(client, alice):
    encounter = make_encounter(alice)
    checkin = services.add_checkin(alice, encounter, care_given=[item("warmth")])
    client.force_login(alice)
    detail = reverse("checkins:checkin_detail", args=[checkin.code])
    url = reverse("checkins:checkin_care_given", args=[checkin.code])
    assert url in client.get(detail).content.decode()
    page = client.get(url).content.decode()
    ticked = re.findall(r'<input type="checkbox"[^>]*value="([^"]+)"[^>]*checked', page)
    assert ticked == [str(item("warmth").code)]
    response = client.post(url, {"care_given": [str(uuid.uuid4())]})
    assert response.status_code == 400
    assert "Something needs another look" in response.content.decode()
    assert [i.key for i in checkin.care_given.all()] == ["warmth"]
    response = client.post(url, {"care_given": [str(item("call").code)]})
    assert response.status_code == 302 and response["Location"] == detail
    assert [i.key for i in checkin.care_given.all()] == ["call"]
    assert client.post(url, {}).status_code == 302  # none is fine too
    assert not checkin.care_given.exists()


def test_the_care_given_is_not_asked_after_a_show(client, alice):
    show = make_encounter(alice, kind="on_camera")
    checkin = services.add_checkin(alice, show)
    client.force_login(alice)
    url = reverse("checkins:checkin_care_given", args=[checkin.code])
    assert client.get(url).status_code == 404
    detail = client.get(reverse("checkins:checkin_detail", args=[checkin.code]))
    assert url not in detail.content.decode()


def test_the_api_changes_the_care_given_and_keeps_it_when_left_out(client, alice, bob, api):
    checkin = services.add_checkin(alice, make_encounter(alice), care_given=[item("warmth")])
    url = f"/api/v1/checkins/{checkin.code}"
    response = client.patch(url, {}, content_type="application/json", **api)
    assert response.status_code == 200, response.content
    assert response.json()["care_given"] == [str(item("warmth").code)]
    codes = [str(item("praise").code), str(item("call").code)]
    response = client.patch(url, {"care_given": codes}, content_type="application/json", **api)
    assert response.status_code == 200, response.content
    assert sorted(response.json()["care_given"]) == sorted(codes)
    assert sorted(client.get(url, **api).json()["care_given"]) == sorted(codes)
    for body, status in [
        ({"care_given": [str(uuid.uuid4())]}, 404),
        ({"care_given": "praise"}, 422),
        ({"care_given": None}, 422),
        ({"care_given": [], "fun": "not here"}, 422),
    ]:
        response = client.patch(url, body, content_type="application/json", **api)
        assert response.status_code == status, (body, response.content)
        assert response.json()["detail"]
    assert {i.key for i in checkin.care_given.all()} == {"praise", "call"}
    _token, theirs = create_token(bob, "tests")
    bobs = {"HTTP_AUTHORIZATION": f"Bearer {theirs}"}
    response = client.patch(url, {"care_given": []}, content_type="application/json", **bobs)
    assert response.status_code == 404
    assert checkin.care_given.count() == 2


def test_a_partner_reads_the_shared_care_given_through_the_api(client, alice, bob):
    encounter = make_encounter(
        alice, connections=[make_connection(alice, bob, shared_answers=EVERY_ANSWER)]
    )
    services.add_checkin(bob, encounter, care_given=[item("warmth")], shared=["care_given"])
    services.add_checkin(bob, encounter, care_given=[item("praise")], shared=[])
    _token, secret = create_token(alice, "tests")
    response = client.get(
        f"/api/v1/shared-encounters/{encounter.code}", HTTP_AUTHORIZATION=f"Bearer {secret}"
    )
    assert response.status_code == 200, response.content
    answers = [a for c in response.json()["shared_checkins"] for a in c["answers"]]
    assert answers == [
        {"key": "care_given", "label": "The care I gave", "value": "Blanket or warmth"}
    ]
    assert "Praise" not in response.content.decode()


def test_the_openapi_document_describes_the_care_given(client):
    document = client.get("/api/v1/openapi.json").json()
    schemas = document["components"]["schemas"]
    for name in ("CheckInIn", "CheckInOut", "CheckInPatch"):
        given = schemas[name]["properties"]["care_given"]
        assert given["type"] == "array" and given["items"]["format"] == "uuid", name
    assert "care_given" in schemas["CheckInOut"]["required"]
    assert "care_given" not in schemas["CheckInPatch"].get("required", [])
    assert "patch" in document["paths"]["/api/v1/checkins/{code}"]
    answer_keys = str(document)
    assert "'care_given'" in answer_keys  # a shareable answer like the others


def test_the_partner_page_shows_the_care_given_only_as_shared(client, alice, bob):
    connection = make_connection(alice, bob, shared_answers=EVERY_ANSWER)
    encounter = make_encounter(alice, connections=[connection])
    services.add_checkin(bob, encounter, care_given=[item("warmth")], shared=["care_given"])
    services.add_checkin(bob, encounter, care_given=[item("praise")], fun="secret", shared=[])
    client.force_login(alice)
    url = reverse("checkins:encounter_detail", args=[encounter.code])
    page = client.get(url).content.decode()
    assert "The care I gave" in page and "Blanket or warmth" in page
    assert "Praise" not in page and "secret" not in page
    partners.pause(partners.side_of(connection, bob))  # a pause stops what is shared
    assert "Blanket or warmth" not in client.get(url).content.decode()
    partners.resume(partners.side_of(connection, bob))
    assert "Blanket or warmth" in client.get(url).content.decode()
    partners.update_side(partners.side_of(connection, bob), share_checkins=False)
    assert "Blanket or warmth" not in client.get(url).content.decode()


@pytest.mark.parametrize("kind", ["solo", "on_camera"])
def test_the_care_given_is_refused_after_a_show_or_solo_as_on_the_page(client, alice, api, kind):
    encounter = make_encounter(alice, kind=kind)
    with pytest.raises(ValidationError):
        services.add_checkin(alice, encounter, care_given=[item("praise")])
    response = client.post(
        f"/api/v1/encounters/{encounter.code}/checkins",
        {"pleasantness": 5, "care_given": [str(item("praise").code)]},
        content_type="application/json",
        **api,
    )
    assert response.status_code == 400, response.content
    assert "care you gave" in response.json()["detail"]
    assert not CheckIn.objects.exists()
    checkin = services.add_checkin(alice, encounter, pleasantness=5)
    response = client.patch(
        f"/api/v1/checkins/{checkin.code}",
        {"care_given": [str(item("praise").code)]},
        content_type="application/json",
        **api,
    )
    assert response.status_code == 400, response.content
    assert not checkin.care_given.exists()


def test_after_a_break_up_the_author_changing_the_kind_changes_nothing_for_the_partner(
    client, alice, bob
):
    connection = make_connection(alice, bob, shared_answers=EVERY_ANSWER)
    encounter = make_encounter(alice, connections=[connection])
    checkin = services.add_checkin(bob, encounter, care_given=[item("warmth")])
    partners.end(connection)
    services.update_encounter(encounter, kind="solo")
    client.force_login(bob)
    page = client.get(reverse("checkins:checkin_care_given", args=[checkin.code]))
    assert page.status_code == 200  # the kind Bob knew, not the one he can no longer see


def test_no_care_item_is_named_like_a_question_on_the_same_form():
    # A screen reader names each control by its label: a tick box called "What was fun?"
    # beside the text box of that name would be heard as the same question three times.
    questions = {str(field.label) for field in CheckInForm.base_fields.values()}
    assert not questions & {str(label) for _key, _category, label, _hint, _self in ITEMS}

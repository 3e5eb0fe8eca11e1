import datetime as dt

import pytest
from django.utils import timezone

from care.models import CareItem
from care.services import add_own_item, update_profile
from checkins.models import Encounter
from checkins.services import log_encounter
from consent.services import withdraw_consent
from softlanding.testing import DB, bearer, make_connection

pytestmark = DB


@pytest.fixture
def api(alice):
    return bearer(alice)


def post(client, url, body, api):
    return client.post(url, body, content_type="application/json", **api)


def an_hour_ago():
    return (timezone.now() - dt.timedelta(hours=1)).isoformat()


def test_the_catalogue_and_profile_round_trip(client, api):
    items = client.get("/api/v1/care/items", **api).json()
    assert len(items) >= 30
    water = next(i for i in items if i["key"] == "water")
    answer = client.put(
        f"/api/v1/profile/items/{water['code']}",
        {"receive": "yes"},
        content_type="application/json",
        **api,
    )
    assert answer.json() == {
        "item": water["code"],
        "key": "water",
        "receive": "yes",
        "give": "unsure",
    }
    response = client.patch(
        "/api/v1/profile",
        {"boundaries": "No surprises.", "completed": True},
        content_type="application/json",
        **api,
    )
    body = response.json()
    assert body["boundaries"] == "No surprises."
    assert body["completed"] is True
    assert next(i for i in body["items"] if i["key"] == "water")["receive"] == "yes"


def test_someone_elses_item_inside_a_payload_is_refused(client, api, charlie):
    theirs = add_own_item(charlie, category="body", label="theirs")
    response = client.patch(
        "/api/v1/profile",
        {"items": [{"item": str(theirs.code), "receive": "yes"}]},
        content_type="application/json",
        **api,
    )
    assert response.status_code == 404
    response = post(
        client,
        "/api/v1/encounters",
        {"occurred_at": an_hour_ago(), "kind": "solo", "care_acts": [str(theirs.code)]},
        api,
    )
    assert response.status_code == 404
    assert not Encounter.objects.exists()


def test_encounters_and_check_ins(client, api):
    water = CareItem.objects.get(key="water")
    created = post(
        client,
        "/api/v1/encounters",
        {
            "occurred_at": an_hour_ago(),
            "kind": "on_camera",
            "care_acts": [str(water.code)],
            "note": "long show",
        },
        api,
    )
    assert created.status_code == 201
    code = created.json()["code"]
    checkin = post(
        client,
        f"/api/v1/encounters/{code}/checkins",
        {"pleasantness": 2, "energy": 1, "feelings": ["numb"]},
        api,
    )
    assert checkin.status_code == 201
    assert checkin.json()["drop_signal"] is True
    assert checkin.json()["drop_reasons"] == ["very_low", "low_feeling"]
    drop = client.get(f"/api/v1/checkins/{checkin.json()['code']}/drop-response", **api).json()
    assert drop["crisis"]["international"]["url"]
    listed = client.get("/api/v1/encounters", **api).json()
    assert listed["count"] == 1
    assert listed["items"][0]["note"] == "long show"
    changed = client.patch(
        f"/api/v1/encounters/{code}", {"kind": "solo"}, content_type="application/json", **api
    )
    assert changed.json()["kind"] == "solo"
    assert client.delete(f"/api/v1/encounters/{code}", **api).status_code == 204
    assert client.get(f"/api/v1/encounters/{code}", **api).status_code == 404


def test_a_future_time_is_a_400_with_a_detail(client, api):
    later = (timezone.now() + dt.timedelta(days=1)).isoformat()
    response = post(client, "/api/v1/encounters", {"occurred_at": later, "kind": "solo"}, api)
    assert response.status_code == 400
    assert "still ahead" in response.json()["detail"]


def test_intimate_writes_need_consent(client, api, alice):
    withdraw_consent(alice)
    response = post(
        client, "/api/v1/encounters", {"occurred_at": an_hour_ago(), "kind": "solo"}, api
    )
    assert response.status_code == 403
    assert "consent" in response.json()["detail"]
    response = client.patch(
        "/api/v1/profile", {"boundaries": "x"}, content_type="application/json", **api
    )
    assert response.status_code == 403


def test_a_strangers_encounter_is_not_found(client, api, charlie):
    theirs = log_encounter(charlie, occurred_at=timezone.now(), kind="solo")
    assert client.get(f"/api/v1/encounters/{theirs.code}", **api).status_code == 404
    assert (
        post(
            client, f"/api/v1/encounters/{theirs.code}/checkins", {"pleasantness": 5}, api
        ).status_code
        == 404
    )


def test_the_api_drop_response_gives_what_the_page_shows_first(client, alice, api):
    alice.country = "GB"
    alice.save()
    update_profile(alice, drop_helps="Blanket, then text Sam.")
    created = post(
        client, "/api/v1/encounters", {"occurred_at": an_hour_ago(), "kind": "on_camera"}, api
    )
    checkin = post(
        client,
        f"/api/v1/encounters/{created.json()['code']}/checkins",
        {"pleasantness": 1, "wants_care": True},
        api,
    ).json()
    drop = client.get(f"/api/v1/checkins/{checkin['code']}/drop-response", **api).json()
    assert drop["prominent"] is True
    assert drop["drop_helps"] == "Blanket, then text Sam."
    assert drop["crisis"]["country"] == "GB"
    assert drop["crisis"]["entry"]["lines"][0] == {
        "name": "Samaritans",
        "phone": "116 123",
        "text": None,
        "hours": "24/7",
        "url": "https://www.samaritans.org",
    }
    assert drop["crisis"]["international"]["name"] == "Find A Helpline"
    assert len(drop["grounding"]) == 6
    anytime = client.get("/api/v1/drop-response", **api).json()
    assert anytime["crisis"] == drop["crisis"] and anytime["prominent"] is False


def test_the_api_drop_response_uses_the_clients_region_without_a_country(client, alice, api):
    assert not alice.country
    anywhere = client.get("/api/v1/drop-response", **api).json()
    assert anywhere["crisis"]["entry"] is None
    british = client.get("/api/v1/drop-response", HTTP_ACCEPT_LANGUAGE="en-GB", **api).json()
    assert british["crisis"]["country"] == "GB"


def test_the_api_drop_response_names_who_one_tap_would_tell(client, alice, bob, api):
    connection = make_connection(alice, bob)  # alice calls bob "B"
    connection.sides.filter(person=alice).update(share_drop_alerts=True)
    created = post(
        client,
        "/api/v1/encounters",
        {"occurred_at": an_hour_ago(), "kind": "partnered", "connections": [str(connection.code)]},
        api,
    )
    encounters = f"/api/v1/encounters/{created.json()['code']}/checkins"
    low = post(client, encounters, {"pleasantness": 1, "wants_care": True}, api).json()
    drop_url = f"/api/v1/checkins/{low['code']}/drop-response"
    assert client.get(drop_url, **api).json()["can_tell"] == ["B"]
    assert post(client, "/api/v1/alerts", {"checkin": low["code"]}, api).status_code == 201
    assert client.get(drop_url, **api).json()["can_tell"] == []
    fine = post(client, encounters, {"pleasantness": 6}, api).json()
    assert (
        client.get(f"/api/v1/checkins/{fine['code']}/drop-response", **api).json()["can_tell"] == []
    )
    assert client.get("/api/v1/drop-response", **api).json()["can_tell"] == []


def test_nobody_chosen_means_nobody_to_tell_in_the_api(client, alice, api):
    created = post(
        client, "/api/v1/encounters", {"occurred_at": an_hour_ago(), "kind": "partnered"}, api
    )
    low = post(
        client,
        f"/api/v1/encounters/{created.json()['code']}/checkins",
        {"pleasantness": 2, "feelings": ["lonely"]},
        api,
    ).json()
    drop = client.get(f"/api/v1/checkins/{low['code']}/drop-response", **api).json()
    assert drop["can_tell"] == [] and drop["prominent"] is False
    assert drop["crisis"]["international"]["url"].startswith("https://")

"""One submission, one thing: a double tap on a form, or an API call sent again with its
Idempotency-Key, creates one encounter, check-in or follow-up answer."""

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection, connections
from django.utils import timezone

from accounts import submissions
from accounts.models import SubmissionKey
from checkins import services
from checkins.models import CheckIn, Encounter
from followups.models import FollowUp
from softlanding.testing import DB, TRANSACTIONAL_DB, bearer, make_person

CANARY = "canary-zebra-lantern"


def an_hour_ago_on_the_wall_clock() -> str:
    return (timezone.now() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")


def key_on(page: str) -> str:
    start = page.index('name="submission" value="') + len('name="submission" value="')
    return page[start : page.index('"', start)]


def post_json(client, url, body, auth, key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(url, body, content_type="application/json", **auth, **headers)


@DB
def test_two_taps_on_the_encounter_form_log_one_encounter(client, alice):
    client.force_login(alice)
    key = key_on(client.get("/encounters/new/").content.decode())
    form = {"occurred_at": an_hour_ago_on_the_wall_clock(), "kind": "solo", "submission": key}
    first = client.post("/encounters/new/", form)
    second = client.post("/encounters/new/", form)
    encounter = Encounter.objects.get(person=alice)
    assert first["Location"] == second["Location"] == f"/encounters/{encounter.code}/checkin/"
    page = client.get(second["Location"]).content.decode()
    assert "That was already saved. Here it is." in page


@DB
def test_each_visit_of_the_form_has_its_own_key_and_a_new_one_logs_another(client, alice):
    client.force_login(alice)
    keys = [key_on(client.get("/encounters/new/").content.decode()) for _ in range(2)]
    assert keys[0] != keys[1]
    for key in keys:
        form = {"occurred_at": an_hour_ago_on_the_wall_clock(), "kind": "solo", "submission": key}
        assert client.post("/encounters/new/", form).status_code == 302
    assert Encounter.objects.filter(person=alice).count() == 2


@DB
def test_a_form_refused_with_a_message_keeps_its_key_and_saves_once_corrected(client, alice):
    client.force_login(alice)
    key = key_on(client.get("/encounters/new/").content.decode())
    refused = client.post("/encounters/new/", {"occurred_at": "", "submission": key})
    assert refused.status_code == 400
    assert key_on(refused.content.decode()) == key
    form = {"occurred_at": an_hour_ago_on_the_wall_clock(), "kind": "solo", "submission": key}
    assert client.post("/encounters/new/", form).status_code == 302
    assert Encounter.objects.filter(person=alice).count() == 1


@DB
def test_the_same_key_with_other_answers_asks_to_send_again_and_keeps_them(client, alice):
    client.force_login(alice)
    encounter = services.log_encounter(alice, occurred_at=timezone.now(), kind="solo")
    url = f"/encounters/{encounter.code}/checkin/"
    key = key_on(client.get(url).content.decode())
    client.post(url, {"pleasantness": "5", "submission": key})
    refused = client.post(url, {"pleasantness": "6", "fun": "the rain", "submission": key})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "already sent once with other answers" in page
    assert "the rain" in page
    new_key = key_on(page)
    assert new_key != key
    client.post(url, {"pleasantness": "6", "fun": "the rain", "submission": new_key})
    assert CheckIn.objects.filter(person=alice).count() == 2


@DB
def test_two_taps_on_the_checkin_form_make_one_checkin(client, alice):
    client.force_login(alice)
    encounter = services.log_encounter(alice, occurred_at=timezone.now(), kind="solo")
    url = f"/encounters/{encounter.code}/checkin/"
    form = {
        "pleasantness": "6",
        "fun": CANARY,
        "submission": key_on(client.get(url).content.decode()),
    }
    first, second = client.post(url, form), client.post(url, form)
    assert first["Location"] == second["Location"]
    assert CheckIn.objects.filter(person=alice).count() == 1


@DB
def test_a_second_tap_on_a_low_checkin_shows_the_same_drop_response(client, alice):
    client.force_login(alice)
    encounter = services.log_encounter(alice, occurred_at=timezone.now(), kind="solo")
    url = f"/encounters/{encounter.code}/checkin/"
    form = {"pleasantness": "1", "submission": key_on(client.get(url).content.decode())}
    first, second = client.post(url, form), client.post(url, form)
    checkin = CheckIn.objects.get(person=alice)
    assert first["Location"] == second["Location"] == f"/checkins/{checkin.code}/"


@DB
def test_a_double_tap_on_im_ok_answers_the_follow_up_once(client, alice):
    services.log_encounter(alice, occurred_at=timezone.now() - dt.timedelta(hours=4), kind="solo")
    first = FollowUp.objects.filter(person=alice).order_by("due_at").first()
    client.force_login(alice)
    url = f"/follow-ups/{first.code}/"
    key = key_on(client.get(url).content.decode())
    one, two = (
        client.post(url, {"ok": "1", "submission": key}),
        client.post(url, {"ok": "1", "submission": key}),
    )
    assert one["Location"] == two["Location"] == "/"
    assert CheckIn.objects.filter(person=alice).count() == 1
    assert "That was already saved" in client.get("/").content.decode()


@DB
def test_the_api_answers_a_repeat_with_the_first_result(client, alice):
    auth = bearer(alice)
    body = {"occurred_at": timezone.now().isoformat(), "kind": "solo", "note": CANARY}
    first = post_json(client, "/api/v1/encounters", body, auth, key="k-1")
    again = post_json(client, "/api/v1/encounters", body, auth, key="k-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Encounter.objects.filter(person=alice).count() == 1
    code = first.json()["code"]
    checkin = {"pleasantness": 6}
    url = f"/api/v1/encounters/{code}/checkins"
    one, two = (post_json(client, url, checkin, auth, key="c-1") for _ in range(2))
    assert (one.status_code, one.json()["code"]) == (two.status_code, two.json()["code"])
    assert CheckIn.objects.filter(person=alice).count() == 1


@DB
def test_the_api_refuses_the_same_key_with_another_body(client, alice):
    auth = bearer(alice)
    body = {"occurred_at": timezone.now().isoformat(), "kind": "solo"}
    assert post_json(client, "/api/v1/encounters", body, auth, key="k-1").status_code == 201
    other = post_json(client, "/api/v1/encounters", {**body, "kind": "casual"}, auth, key="k-1")
    assert other.status_code == 409
    assert "other answers" in other.json()["detail"]
    assert Encounter.objects.filter(person=alice).count() == 1


@DB
def test_the_same_key_for_another_encounter_is_refused_not_taken_for_a_repeat(client, alice):
    auth = bearer(alice)
    first, second = (
        services.log_encounter(alice, occurred_at=timezone.now() - dt.timedelta(hours=1), kind=k)
        for k in ("solo", "casual")
    )
    body = {"pleasantness": 6}
    one = post_json(client, f"/api/v1/encounters/{first.code}/checkins", body, auth, key="c-9")
    two = post_json(client, f"/api/v1/encounters/{second.code}/checkins", body, auth, key="c-9")
    assert one.status_code == 201
    assert two.status_code == 409, two.content
    assert not CheckIn.objects.filter(encounter=second).exists()


@DB
def test_without_a_key_each_call_creates_and_a_key_is_only_one_persons(client, alice, bob):
    body = {"occurred_at": timezone.now().isoformat(), "kind": "solo"}
    for _ in range(2):
        assert post_json(client, "/api/v1/encounters", body, bearer(alice)).status_code == 201
    assert post_json(client, "/api/v1/encounters", body, bearer(bob), key="k").status_code == 201
    assert post_json(client, "/api/v1/encounters", body, bearer(alice), key="k").status_code == 201
    assert Encounter.objects.filter(person=alice).count() == 3


@DB
def test_a_repeated_follow_up_answer_through_the_api_gets_the_same_checkin(client, alice):
    services.log_encounter(alice, occurred_at=timezone.now() - dt.timedelta(hours=4), kind="solo")
    first = FollowUp.objects.filter(person=alice).order_by("due_at").first()
    url = f"/api/v1/follow-ups/{first.code}/answer"
    auth = bearer(alice)
    one, two = (post_json(client, url, {}, auth, key="f-1") for _ in range(2))
    assert one.status_code == two.status_code == 201
    assert one.json()["checkin"]["code"] == two.json()["checkin"]["code"]
    unkeyed = post_json(client, url, {}, auth)
    assert unkeyed.status_code == 400  # without a key, a second answer is refused as before


@DB
def test_a_key_row_holds_no_words_and_goes_after_a_day(client, alice):
    body = {"occurred_at": timezone.now().isoformat(), "kind": "solo", "note": CANARY}
    post_json(client, "/api/v1/encounters", body, bearer(alice), key="k-1")
    row = SubmissionKey.objects.get(person=alice)
    stored = " ".join(str(v) for v in SubmissionKey.objects.values().get().values())
    assert CANARY not in stored and "k-1" not in stored
    with time_machine.travel(timezone.now() + dt.timedelta(hours=23), tick=False):
        assert submissions.purge_expired() == 0
    with time_machine.travel(timezone.now() + dt.timedelta(hours=25), tick=False):
        assert submissions.purge_expired() == 1
    assert not SubmissionKey.objects.filter(pk=row.pk).exists()


@DB
def test_a_key_older_than_a_day_creates_again(client, alice):
    body = {"occurred_at": timezone.now().isoformat(), "kind": "solo"}
    post_json(client, "/api/v1/encounters", body, bearer(alice), key="k-1")
    with time_machine.travel(timezone.now() + dt.timedelta(hours=25)):
        post_json(client, "/api/v1/encounters", body, bearer(alice), key="k-1")
    assert Encounter.objects.filter(person=alice).count() == 2


@TRANSACTIONAL_DB
def test_two_racing_submissions_with_one_key_make_one_encounter():
    if connection.vendor != "postgresql":
        pytest.skip("two writers at once need a database that lets them (PostgreSQL)")
    person = make_person("Racer", password=None)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def submit():
        try:
            barrier.wait(timeout=10)
            results.append(
                submissions.once(
                    person,
                    "encounter",
                    "same-key",
                    b"same body",
                    lambda: services.log_encounter(person, occurred_at=timezone.now(), kind="solo"),
                )
            )
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert Encounter.objects.filter(person=person).count() == 1
    made = [r.made.code for r in results if not r.repeated]
    assert made == [r.earlier for r in results if r.repeated] and len(made) == 1

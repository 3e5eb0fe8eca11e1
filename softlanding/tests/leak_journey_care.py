"""The canary journey, second half: encounters, check-ins, the drop watch, nudges, follow-ups,
a real server error, the data rights, and every queued task. State is shared on `j`."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from accounts.services import create_token
from checkins import services as checkins_services
from checkins.models import CheckIn, Encounter
from followups.dispatcher import Dispatcher
from followups.models import FollowUp
from notify.models import Notification
from partners import wishes
from privacy.models import Export
from softlanding.testing import make_person
from softlanding.tests.leak_tools import Api, local_wall, ok, run_tasks


def encounters(j, c) -> None:
    # Encounters, through the page and the API; bad ones too.
    an_hour_ago = local_wall(j.alice, j.now - dt.timedelta(hours=1))
    j.encounter_form = {
        "occurred_at": an_hour_ago,
        "kind": "partnered",
        "connections": [str(j.connection.code)],
    }
    ok(
        j.alice_web.post(
            "/encounters/new/",
            {
                **j.encounter_form,
                "occurred_at": local_wall(j.alice, j.now + dt.timedelta(days=2)),
                "note": c("encounter future page"),
            },
        ),
        400,
    )
    ok(
        j.alice_web.post(
            "/encounters/new/",
            {**j.encounter_form, "note": c("encounter too long page") + "x" * 4000},
        ),
        400,
    )
    ok(
        j.alice_web.post(
            "/encounters/new/",
            {**j.encounter_form, "note": c("encounter page", "checkins.Encounter.note")},
        ),
        302,
    )
    j.encounter = Encounter.objects.get(person=j.alice)
    ok(
        j.alice_web.post(
            f"/encounters/{j.encounter.code}/edit/",
            {**j.encounter_form, "note": c("encounter edit page")},
        ),
        302,
    )
    ok(
        j.alice_web.post(
            f"/encounters/{j.encounter.code}/edit/",
            {
                **j.encounter_form,
                "occurred_at": local_wall(j.alice, j.now + dt.timedelta(days=2)),
                "note": c("encounter edit future"),
            },
        ),
        400,
    )
    moment = (j.now - dt.timedelta(hours=2)).isoformat()
    bob_encounter = ok(
        j.bob_api(
            "POST",
            "/encounters",
            {"occurred_at": moment, "kind": "solo", "note": c("encounter api")},
        ),
        201,
    ).json()
    ok(
        j.bob_api(
            "PATCH", f"/encounters/{bob_encounter['code']}", {"note": c("encounter patch api")}
        ),
        200,
    )
    ok(
        j.bob_api(
            "POST",
            "/encounters",
            {
                "occurred_at": (j.now + dt.timedelta(days=3)).isoformat(),
                "kind": "solo",
                "note": c("encounter future api"),
            },
        ),
        400,
    )
    ok(
        j.bob_api(
            "POST",
            "/encounters",
            {
                "occurred_at": moment,
                "kind": "solo",
                "note": c("encounter too long api") + "x" * 4000,
            },
        ),
        422,
    )
    ok(
        j.bob_api("POST", "/encounters", {"occurred_at": c("encounter bad time"), "kind": "solo"}),
        422,
    )
    ok(
        j.bob_api("POST", "/encounters", {"occurred_at": moment, "kind": c("encounter bad kind")}),
        422,
    )
    ok(
        j.alice_web.post(
            "/encounters/new/", {**j.encounter_form, "kind": c("encounter bad kind page")}
        ),
        400,
    )
    ok(
        j.bob_api(
            "POST",
            "/encounters",
            {"occurred_at": moment, "kind": "solo", "mood": c("encounter unknown field")},
        ),
        422,
    )
    ok(
        j.bob_api(
            "POST", "/encounters", raw=b'{"note": "' + c("encounter broken json").encode() + b'"'
        ),
        400,
        422,
    )


def checkins(j, c) -> None:
    # Check-ins: a low one on the page (a drop signal), the partner's by the API.
    checkin_page = f"/encounters/{j.encounter.code}/checkin/"
    texts = {
        name: c(f"checkin page {name}", f"checkins.CheckIn.{name}")
        for name in ("fun", "next_time", "not_right", "need_now")
    }
    ok(
        j.alice_web.post(checkin_page, {"pleasantness": "9", "fun": c("checkin bad scale page")}),
        400,
    )
    ok(
        j.alice_web.post(
            checkin_page, {"pleasantness": "4", "need_now": c("checkin too long page") + "x" * 4000}
        ),
        400,
    )
    ok(
        j.alice_web.post(
            checkin_page,
            {
                "pleasantness": "1",
                "energy": "2",
                "feelings": ["tearful"],
                "shared": ["mood", "fun", "next_time"],
                **texts,
            },
        ),
        302,
    )
    j.low = CheckIn.objects.get(person=j.alice)
    assert j.low.raised_drop
    bob_checkin = {
        name: c(f"checkin api {name}") for name in ("fun", "next_time", "not_right", "need_now")
    }
    ok(
        j.bob_api(
            "POST",
            f"/encounters/{j.encounter.code}/checkins",
            {"pleasantness": 2, "wants_care": True, "shared": ["mood", "fun"], **bob_checkin},
        ),
        201,
    )
    ok(
        j.bob_api(
            "POST",
            f"/encounters/{j.encounter.code}/checkins",
            {"pleasantness": 12, "fun": c("checkin bad scale api")},
        ),
        422,
    )
    ok(
        j.bob_api(
            "POST",
            f"/encounters/{j.encounter.code}/checkins",
            {"feelings": [c("checkin bad feeling api")]},
        ),
        422,  # feelings are an enum in the schema
    )


def drop_watch(j, c) -> None:
    # The drop watch: one tap tells the partner and the confirmed contacts.
    ok(j.alice_web.post(f"/checkins/{j.low.code}/tell/"), 302)
    bob_low = CheckIn.objects.filter(person=j.bob).get(wants_care=True)
    ok(j.bob_api("POST", "/alerts", {"checkin": str(bob_low.code)}), 201)
    ok(j.bob_api("POST", "/alerts", {"checkin": c("alert bad code")}), 422)


def nudges(j, c) -> None:
    # Nudges, both ways.
    ok(
        j.bob_web.post(
            f"/encounters/{j.encounter.code}/nudge/", {"connection": str(j.connection.code)}
        ),
        302,
    )
    ok(
        j.bob_web.post(
            f"/encounters/{j.encounter.code}/nudge/", {"connection": c("nudge bad page")}
        ),
        302,
    )
    ok(
        j.alice_api(
            "POST",
            "/nudges",
            {"encounter": str(j.encounter.code), "connection": str(j.connection.code)},
        ),
        201,
    )
    ok(
        j.alice_api(
            "POST",
            "/nudges",
            {"encounter": str(j.encounter.code), "connection": c("nudge bad api")},
        ),
        422,
    )


def followups(j, c) -> None:
    # Follow-ups: made due, delivered by the dispatcher, answered on the page and by the API.
    FollowUp.objects.filter(state="scheduled").update(
        due_at=timezone.now() - dt.timedelta(minutes=1)
    )
    Dispatcher(worker="leak-test").run_once()
    page_followup, api_followup = FollowUp.objects.filter(person=j.alice, state="sent").order_by(
        "offset_hours"
    )[:2]
    followup_page = f"/follow-ups/{page_followup.code}/"
    ok(
        j.alice_web.post(followup_page, {"pleasantness": "0", "need_now": c("followup bad page")}),
        400,
    )
    ok(
        j.alice_web.post(
            followup_page,
            {
                "pleasantness": "3",
                **{
                    n: c(f"followup page {n}")
                    for n in ("fun", "next_time", "not_right", "need_now")
                },
            },
        ),
        302,
    )
    ok(j.alice_web.post(f"{followup_page}snooze/", {"hours": c("followup snooze page")}), 302)
    ok(
        j.alice_api(
            "POST", f"/follow-ups/{api_followup.code}/snooze", {"hours": c("followup snooze api")}
        ),
        422,
    )
    answer = f"/follow-ups/{api_followup.code}/answer"
    ok(j.alice_api("POST", answer, {"not_right": c("followup api too long") + "x" * 4000}), 422)
    ok(
        j.alice_api(
            "POST",
            answer,
            {
                "pleasantness": 5,
                **{
                    n: c(f"followup api {n}") for n in ("fun", "next_time", "not_right", "need_now")
                },
            },
        ),
        201,
    )


def server_error(j, c) -> None:
    # A real server error while a canary is in the request: logged and mailed to the admins.
    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    j.monkeypatch.setattr(checkins_services, "log_encounter", broken)
    j.monkeypatch.setattr(wishes, "add_wish", broken)
    ok(
        j.alice_web.post("/encounters/new/", {**j.encounter_form, "note": c("encounter page 500")}),
        500,
    )
    ok(
        j.bob_api("POST", f"/connections/{j.connection.code}/wishes", {"text": c("wish api 500")}),
        500,
    )
    j.monkeypatch.undo()


def your_data(j, c) -> None:
    # Your data: an export, imported into a fresh account elsewhere; bad imports; deletion.
    ok(j.alice_web.post("/settings/data/export/"), 302)
    run_tasks()
    done = Export.objects.get(person=j.alice)
    assert done.status == "ready", done.status
    c.carried_by.add("privacy.Export.document")  # every canary of Alice's, sealed
    document = ok(j.alice_web.get(f"/settings/data/exports/{done.code}/json/"), 200).content
    carol = make_person("Carol", password=None)
    carol_web = Client(raise_request_exception=False)
    carol_web.force_login(carol)
    carol_api = Api(create_token(carol, "mover")[1])
    bad = b'{"format": "softlanding-export", "note": "' + c("import garbage page").encode() + b'"}'
    ok(carol_web.post("/settings/data/import/", {"file": SimpleUploadedFile("x.json", bad)}), 400)
    ok(
        carol_api(
            "POST",
            "/imports",
            raw=b'{"encounters": [{"note": "' + c("import garbage api").encode() + b'"}]}',
        ),
        400,
    )
    ok(
        carol_web.post("/settings/data/import/", {"file": SimpleUploadedFile("a.json", document)}),
        302,
    )
    ok(carol_api("POST", "/me/delete", {"confirm": c("delete confirm api")}), 422)
    ok(j.alice_web.post("/settings/data/delete/", {"confirm": c("delete confirm page")}), 400)
    ok(carol_api("POST", "/me/delete", {"confirm": "DELETE"}), 204)


def queued_tasks(j, c) -> None:
    # Everything queued runs; then every page and list is read once more.
    run_tasks()
    for path in [
        "/",
        "/settings/",
        "/profile/",
        "/profile/card/",
        "/encounters/",
        f"/encounters/{j.encounter.code}/",
        f"/checkins/{j.low.code}/",
        "/partners/",
        f"/partners/{j.connection.code}/",
        f"/partners/{j.connection.code}/card/",
        "/partners/guests/",
        "/support/",
        "/settings/channels/",
        "/inbox/",
        "/alerts/",
        "/follow-ups/",
        "/settings/data/",
    ]:
        ok(j.alice_web.get(path), 200)
        ok(j.bob_web.get(path), 200, 302, 404)
    for path in [
        "/me",
        "/me/tokens",
        "/profile",
        "/care/items",
        "/encounters",
        "/checkins",
        "/connections",
        f"/connections/{j.connection.code}/plan",
        f"/connections/{j.connection.code}/next-time",
        "/shared-encounters",
        "/invites",
        "/guest-links",
        "/guest-answers",
        "/support-contacts",
        "/follow-ups",
        "/alerts",
        "/nudges",
        "/inbox",
        "/channels",
        "/drop-response",
    ]:
        ok(j.alice_api("GET", path), 200)
        ok(j.bob_api("GET", path), 200)
    for notification in Notification.objects.filter(person=j.alice):
        ok(j.alice_web.get(f"/inbox/{notification.code}/"), 200, 302)

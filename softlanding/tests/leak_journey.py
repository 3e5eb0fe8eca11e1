"""The canary journey: every flow through the pages and the API, bad input and a real server
error included, a canary in every free-text input. Each step is a table of requests,
`(who, "[METHOD ]/path", body, *statuses)`: A, B and G post to the pages as Alice, Bob and a
guest (GET when the path says so), a and b call the API as Alice and Bob, C and c are Carol.
People and tokens nobody types anything into come from the builders."""

import datetime as dt
import re

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from accounts.models import AccessToken, Person
from accounts.services import create_token
from care.models import CareItem
from checkins import services as checkins_services
from checkins.models import CheckIn, Encounter
from followups.dispatcher import Dispatcher
from followups.models import FollowUp
from notify.models import Channel, Notification
from partners import wishes
from partners.models import Connection, SupportContact
from privacy.models import Export
from softlanding.testing import PASSWORD, make_person
from softlanding.tests.leak_tools import DEAD_HOOK, Api, local_wall, ok, run_tasks, settings_data

ANSWERS = ("fun", "next_time", "not_right", "need_now")
LONG = "x" * 4000


def send(j, *steps):
    """Each request of the table, its status checked; the responses, in order."""
    responses = []
    for who, target, body, *statuses in steps:
        client = j.clients[who]
        method, _, path = target.rpartition(" ")
        if isinstance(client, Api):
            raw = body if isinstance(body, bytes) else None
            response = client(method, path, None if raw else body, raw=raw)
        else:
            response = getattr(client, (method or "POST").lower())(path, body or {})
        responses.append(ok(response, *statuses))
    return responses


def sign_up(j, c) -> None:
    account = {"email": "alice@example.org", "password1": PASSWORD, "password2": PASSWORD}
    send(
        j,
        ("A", "/accounts/signup/", account, 302),
        ("A", "/consent/", {"adult": "on", "agree": "on"}, 302),
        ("A", "/accounts/reauthenticate/", {"password": PASSWORD}, 302),
    )
    j.alice = Person.objects.get(email="alice@example.org")
    names = {
        "display_name": c("settings display name", "accounts.Person.display_name"),
        "pronouns": c("settings pronouns", "accounts.Person.pronouns"),
    }
    too_long = {"display_name": c("settings too long") + "x" * 60}
    *_, page = send(
        j,
        ("A", "/settings/", settings_data(j.alice, **too_long), 400),
        ("A", "/settings/", settings_data(j.alice, **names), 302),
        ("A", "/settings/tokens/", {"name": c("token too long") + "x" * 60}, 400),
        ("A", "/settings/tokens/", {"name": c("token name", "accounts.AccessToken.name")}, 200),
    )
    j.clients["a"] = Api(page.context["new_secret"])
    send(
        j, ("A", "/settings/tokens/", {"name": c("token name 2", "accounts.AccessToken.name")}, 200)
    )
    second = AccessToken.objects.filter(person=j.alice).order_by("-created_at", "-id").first()
    send(
        j,
        ("A", f"/settings/tokens/{second.code}/revoke/", None, 302),
        ("a", "POST /consent", {"adult_confirmed": c("consent bad api")}, 422),
    )
    j.bob = make_person("Bob", password=None)
    j.clients["B"].force_login(j.bob)
    j.clients["b"] = Api(create_token(j.bob, "script")[1])
    names = {
        "display_name": c("api display name", "accounts.Person.display_name"),
        "pronouns": c("api pronouns", "accounts.Person.pronouns"),
    }
    send(
        j,
        ("b", "PATCH /me", names, 200),
        ("b", "PATCH /me", {"pronouns": c("api pronouns too long") + "x" * 40}, 422),
        ("b", "PATCH /me", {"time_zone": c("api bad time zone")}, 422),
        ("b", "PATCH /me", {"nonsense": c("api unknown setting")}, 422),
    )


def profile(j, c) -> None:
    water = CareItem.objects.get(key="water").code
    words = {
        name: c(f"profile page {name}", f"care.AftercareProfile.{name}")
        for name in ("time_needed", "drop_signs", "drop_helps", "self_care", "boundaries")
    }
    api_words = {
        "drop_helps": c("profile api drop helps"),
        "boundaries": c("profile api boundaries"),
        "items": [{"item": str(water), "receive": "yes"}],
    }
    too_long = {"label": c("own item too long") + "x" * 80, "category": "body"}
    own = {"label": c("own item page", "care.CareItem.own_label"), "category": "body"}
    send(
        j,
        ("A", "/profile/", {**words, f"receive-{water}": "yes", "done": "1"}, 302),
        ("A", "/profile/words/", {"time_needed": c("profile words htmx")}, 200),
        ("A", "/profile/", {"boundaries": c("profile too long") + LONG}, 400),
        ("A", "/profile/items/", own, 302),
        ("A", "/profile/items/", too_long, 400),
        ("A", f"/profile/items/{water}/", {f"give-{water}": "maybe"}, 200),
        ("A", f"/profile/items/{water}/", {f"give-{water}": c("care answer bad value")}, 400, 500),
        ("b", f"PUT /profile/items/{water}", {"give": c("care answer bad api")}, 422),
        ("b", "PATCH /profile", api_words, 200),
        ("b", "PATCH /profile", {"self_care": c("profile api too long") + LONG}, 422),
        ("b", "POST /care/items", {"category": "words", "label": c("own item api")}, 201),
        ("b", "POST /care/items", {"category": c("own item bad category"), "label": "x"}, 422),
    )


def connections(j, c) -> None:
    nickname = {"nickname": c("invite page", "partners.Invite.nickname")}
    (page,) = send(j, ("A", "/partners/invite/", nickname, 200))
    join = f"/join/{page.context['secret']}/"
    send(
        j,
        ("B", join, {"nickname": c("accept page too long") + "x" * 80}, 400),
        ("B", join, {"nickname": c("accept page", "partners.ConnectionSide.nickname")}, 302),
    )
    j.connection = Connection.objects.get()
    code = j.connection.code
    sharing = {
        "share_profile": "on",
        "share_checkins": "on",
        "shared_answers": ["mood", "feelings", "fun", "next_time"],
        "share_drop_alerts": "on",
    }
    api_sharing = {
        "share_profile": True,
        "share_checkins": True,
        "share_drop_alerts": True,
        "shared_answers": ["mood", "fun", "next_time", "need_now"],
    }
    wish = {"text": c("wish page", "partners.Wish.text"), "shared": "on"}
    long_wish = {"text": c("wish api too long") + "x" * 1000}
    *_, invite = send(
        j,
        ("B", f"/partners/{code}/", {**sharing, "nickname": c("side page")}, 302),
        ("B", f"/partners/{code}/", {**sharing, "nickname": c("side too long") + "x" * 80}, 400),
        ("a", f"PATCH /connections/{code}", {**api_sharing, "nickname": c("side api")}, 200),
        ("a", f"PATCH /connections/{code}", {"nickname": c("side api too long") + "x" * 80}, 422),
        ("a", "POST /invites", {"nickname": c("invite api")}, 201),
    )
    send(
        j,
        ("a", f"DELETE /invites/{invite.json()['code']}", None, 204),
        ("b", "POST /invites/accept", {"secret": "NOPE1234", "nickname": c("accept api")}, 400),
        ("A", f"/partners/{code}/wishes/", wish, 302),
        ("A", f"/partners/{code}/wishes/", {"text": c("wish page too long") + "x" * 1000}, 302),
        ("b", f"POST /connections/{code}/wishes", {"text": c("wish api"), "shared": True}, 201),
        ("b", f"POST /connections/{code}/wishes", long_wish, 422),
        ("A", f"/partners/{code}/ideas/", {"ideas": ["massage", c("idea bad page")]}, 302),
        ("b", f"PUT /connections/{code}/ideas", {"ideas": [c("idea bad api")]}, 422),
    )


def guests(j, c) -> None:
    nickname = {"nickname": c("guest link page", "partners.GuestLink.nickname")}
    (page,) = send(j, ("A", "/partners/guests/new/", nickname, 200))
    guest = re.sub(r"^https?://[^/]+", "", page.context["url"])
    answer = {
        "feeling": "1",
        "feelings": ["lonely"],
        "wants_care": "on",
        "message": c("guest answer page", "partners.GuestAnswer.message"),
        "wants_to_hear_back": "on",
    }
    _, _, _, link, _ = send(
        j,
        ("G", guest, {"feeling": "4", "message": c("guest answer too long") + "x" * 2000}, 400),
        ("G", guest, answer, 200),
        ("G", "GET /g/care/", {"country": c("guest care country")}, 200),
        ("b", "POST /guest-links", {"nickname": c("guest link api")}, 201),
        ("b", "POST /guest-links", {"nickname": c("guest link api too long") + "x" * 80}, 422),
    )
    second = re.sub(r"^https?://[^/]+", "", link.json()["url"])
    send(j, ("G", second, {"message": c("guest answer 2")}, 200))
    # Each answer told its link's maker: the scan renders these with everything else.
    assert Notification.objects.filter(kind=Notification.Kind.GUEST_ANSWER).count() == 2


def support_contacts(j, c) -> None:
    # By e-mail (confirmed through the link) and by a notification URL.
    by_mail = {
        "name": c("support name page", "partners.SupportContact.name"),
        "email": c("support email page", "partners.SupportContact.email") + "@example.org",
        "may_tell": "ask_me",
    }
    both = {
        "name": c("support both page"),
        "email": c("support both email") + "@example.org",
        "notify_url": DEAD_HOOK + c("support both url"),
        "may_tell": "ask_me",
    }
    by_url = {
        "name": c("support name api"),
        "notify_url": DEAD_HOOK + c("support url api", "partners.SupportContact.notify_url"),
        "may_tell": "automatic",
    }
    bad_email = {"name": c("support bad email"), "email": c("support bad email local")}
    bad_url = {"name": c("support bad url"), "notify_url": "zz://" + c("support bad url path")}
    send(
        j,
        ("A", "/support/add/", by_mail, 302),
        ("A", "/support/add/", both, 400),
        ("a", "POST /support-contacts", by_url, 201),
        ("a", "POST /support-contacts", bad_email, 422),
        ("a", "POST /support-contacts", bad_url, 400),
    )
    run_tasks()  # the confirmations: one e-mail, one notification that fails
    confirmation = next(m for m in mail.outbox if "/support/confirm/" in m.body)
    link = re.search(r"/support/confirm/\S+/", confirmation.body).group(0)
    send(j, ("G", link, None, 200))
    SupportContact.objects.filter(verified_at__isnull=True).update(verified_at=timezone.now())


def channels(j, c) -> None:
    # Pages (a fresh sign-in from the sign-up) and the API.
    page = {
        "kind": "apprise",
        "target": DEAD_HOOK + c("channel url page", "notify.Channel.target"),
        "label": c("channel label page", "notify.Channel.label"),
    }
    not_an_address = {"target": c("channel not an address"), "label": c("channel label bad")}
    bad_scheme = {"target": "zz://" + c("channel bad scheme")}
    email = {"target": c("channel email api") + "@example.org", "label": c("channel label api")}
    dead = {"target": DEAD_HOOK + c("channel url api"), "label": c("channel label api 2")}
    live = {"target": j.live + c("channel url live"), "label": c("channel label live")}
    push = {"target": c("channel push not json"), "label": c("channel push label")}
    forget = {"endpoint": "https://push.example/" + c("push forget endpoint")}
    send(
        j,
        ("A", "/settings/channels/", page, 302),
        ("A", "/settings/channels/", {"kind": "email", **not_an_address}, 400),
        ("A", "/settings/channels/", {"kind": "apprise", **bad_scheme, "label": ""}, 400),
        ("b", "POST /channels", {"kind": "email", **email}, 201),
        ("b", "POST /channels", {"kind": "apprise", **dead}, 201),
        ("b", "POST /channels", {"kind": "apprise", **live}, 201),
        ("b", "POST /channels", {"kind": "push", **push}, 400),
        ("b", "POST /channels", {"kind": c("channel bad kind"), "target": "x"}, 422),
    )
    mine, bobs = Channel.objects.filter(person=j.alice), Channel.objects.filter(person=j.bob)
    tests = [("A", f"/settings/channels/{ch.code}/test/", None, 302) for ch in mine]
    tests += [("b", f"POST /channels/{ch.code}/test", None, 202) for ch in bobs]
    send(j, *tests, ("b", "POST /channels/push/forget", forget, 204))


def encounters(j, c) -> None:
    future = local_wall(j.alice, j.now + dt.timedelta(days=2))
    j.encounter_form = {
        "occurred_at": local_wall(j.alice, j.now - dt.timedelta(hours=1)),
        "kind": "partnered",
        "connections": [str(j.connection.code)],
    }
    form, new = j.encounter_form, "/encounters/new/"
    send(
        j,
        ("A", new, {**form, "occurred_at": future, "note": c("encounter future page")}, 400),
        ("A", new, {**form, "note": c("encounter too long page") + LONG}, 400),
        ("A", new, {**form, "note": c("encounter page", "checkins.Encounter.note")}, 302),
    )
    j.encounter = Encounter.objects.get(person=j.alice)
    edit = f"/encounters/{j.encounter.code}/edit/"
    moment = (j.now - dt.timedelta(hours=2)).isoformat()
    later = {"occurred_at": (j.now + dt.timedelta(days=3)).isoformat(), "kind": "solo"}
    solo = {"occurred_at": moment, "kind": "solo"}
    broken = b'{"note": "' + c("encounter broken json").encode() + b'"'
    *_, made = send(
        j,
        ("A", edit, {**form, "note": c("encounter edit page")}, 302),
        ("A", edit, {**form, "occurred_at": future, "note": c("encounter edit future")}, 400),
        ("b", "POST /encounters", {**solo, "note": c("encounter api")}, 201),
    )
    send(
        j,
        ("b", f"PATCH /encounters/{made.json()['code']}", {"note": c("encounter patch api")}, 200),
        ("b", "POST /encounters", {**later, "note": c("encounter future api")}, 400),
        ("b", "POST /encounters", {**solo, "note": c("encounter too long api") + LONG}, 422),
        ("b", "POST /encounters", {"occurred_at": c("encounter bad time"), "kind": "solo"}, 422),
        ("b", "POST /encounters", {"occurred_at": moment, "kind": c("encounter bad kind")}, 422),
        ("A", "/encounters/new/", {**form, "kind": c("encounter bad kind page")}, 400),
        ("b", "POST /encounters", {**solo, "mood": c("encounter unknown field")}, 422),
        ("b", "POST /encounters", broken, 400, 422),
    )


def checkins(j, c) -> None:
    # A low one on the page (a drop signal), the partner's by the API.
    page = f"/encounters/{j.encounter.code}/checkin/"
    api = f"POST /encounters/{j.encounter.code}/checkins"
    texts = {name: c(f"checkin page {name}", f"checkins.CheckIn.{name}") for name in ANSWERS}
    low = {"pleasantness": "1", "energy": "2", "feelings": ["tearful"], **texts}
    bobs = {name: c(f"checkin api {name}") for name in ANSWERS}
    send(
        j,
        ("A", page, {"pleasantness": "9", "fun": c("checkin bad scale page")}, 400),
        ("A", page, {"pleasantness": "4", "need_now": c("checkin too long page") + LONG}, 400),
        ("A", page, {**low, "shared": ["mood", "fun", "next_time"]}, 302),
        ("b", api, {"pleasantness": 2, "wants_care": True, "shared": ["mood", "fun"], **bobs}, 201),
        ("b", api, {"pleasantness": 12, "fun": c("checkin bad scale api")}, 422),
        ("b", api, {"feelings": [c("checkin bad feeling api")]}, 422),  # an enum in the schema
    )
    j.low = CheckIn.objects.get(person=j.alice)
    assert j.low.raised_drop


def drop_watch_and_nudges(j, c) -> None:
    # One tap tells the partner and the confirmed contacts; nudges, both ways.
    bob_low = CheckIn.objects.filter(person=j.bob).get(wants_care=True)
    nudge = f"/encounters/{j.encounter.code}/nudge/"
    encounter, connection = str(j.encounter.code), str(j.connection.code)
    send(
        j,
        ("A", f"/checkins/{j.low.code}/tell/", None, 302),
        ("b", "POST /alerts", {"checkin": str(bob_low.code)}, 201),
        ("b", "POST /alerts", {"checkin": c("alert bad code")}, 422),
        ("B", nudge, {"connection": connection}, 302),
        ("B", nudge, {"connection": c("nudge bad page")}, 302),
        ("a", "POST /nudges", {"encounter": encounter, "connection": connection}, 201),
        ("a", "POST /nudges", {"encounter": encounter, "connection": c("nudge bad api")}, 422),
    )


def followups(j, c) -> None:
    # Made due, delivered by the dispatcher, answered on the page and by the API.
    FollowUp.objects.filter(state="scheduled").update(
        due_at=timezone.now() - dt.timedelta(minutes=1)
    )
    Dispatcher(worker="leak-test").run_once()
    on_page, by_api = FollowUp.objects.filter(person=j.alice, state="sent").order_by(
        "offset_hours"
    )[:2]
    page, answer = f"/follow-ups/{on_page.code}/", f"POST /follow-ups/{by_api.code}/answer"
    send(
        j,
        ("A", page, {"pleasantness": "0", "need_now": c("followup bad page")}, 400),
        ("A", page, {"pleasantness": "3", **{n: c(f"followup page {n}") for n in ANSWERS}}, 302),
        ("A", f"{page}snooze/", {"hours": c("followup snooze page")}, 302),
        ("a", f"POST /follow-ups/{by_api.code}/snooze", {"hours": c("followup snooze api")}, 422),
        ("a", answer, {"not_right": c("followup api too long") + LONG}, 422),
        ("a", answer, {"pleasantness": 5, **{n: c(f"followup api {n}") for n in ANSWERS}}, 201),
    )


def server_error(j, c) -> None:
    # A real server error while a canary is in the request: logged and mailed to the admins.
    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    j.monkeypatch.setattr(checkins_services, "log_encounter", broken)
    j.monkeypatch.setattr(wishes, "add_wish", broken)
    send(
        j,
        ("A", "/encounters/new/", {**j.encounter_form, "note": c("encounter page 500")}, 500),
        ("b", f"POST /connections/{j.connection.code}/wishes", {"text": c("wish api 500")}, 500),
    )
    j.monkeypatch.undo()


def your_data(j, c) -> None:
    # An export, imported into a fresh account elsewhere; bad imports; deletion.
    send(j, ("A", "/settings/data/export/", None, 302))
    run_tasks()
    done = Export.objects.get(person=j.alice)
    assert done.status == "ready", done.status
    c.carried_by.add("privacy.Export.document")  # every canary of Alice's, sealed
    (download,) = send(j, ("A", f"GET /settings/data/exports/{done.code}/json/", None, 200))
    carol = make_person("Carol", password=None)
    j.clients["C"] = Client(raise_request_exception=False)
    j.clients["C"].force_login(carol)
    j.clients["c"] = Api(create_token(carol, "mover")[1])
    document = download.content
    bad = b'{"format": "softlanding-export", "note": "' + c("import garbage page").encode() + b'"}'
    garbage = b'{"encounters": [{"note": "' + c("import garbage api").encode() + b'"}]}'
    send(
        j,
        ("C", "/settings/data/import/", {"file": SimpleUploadedFile("x.json", bad)}, 400),
        ("c", "POST /imports", garbage, 400),
        ("C", "/settings/data/import/", {"file": SimpleUploadedFile("a.json", document)}, 302),
        ("c", "POST /me/delete", {"confirm": c("delete confirm api")}, 422),
        ("A", "/settings/data/delete/", {"confirm": c("delete confirm page")}, 400),
        ("c", "POST /me/delete", {"confirm": "DELETE"}, 204),
    )


PAGES = [
    "/", "/settings/", "/profile/", "/profile/card/", "/encounters/", "/encounters/{encounter}/",
    "/checkins/{low}/", "/partners/", "/partners/{connection}/", "/partners/{connection}/card/",
    "/partners/guests/", "/support/", "/settings/channels/", "/inbox/", "/alerts/",
    "/follow-ups/", "/settings/data/",
]  # fmt: skip
LISTS = [
    "/me", "/me/tokens", "/profile", "/care/items", "/encounters", "/checkins", "/connections",
    "/connections/{connection}/plan", "/connections/{connection}/next-time",
    "/shared-encounters", "/invites", "/guest-links", "/guest-answers", "/support-contacts",
    "/follow-ups", "/alerts", "/nudges", "/inbox", "/channels", "/drop-response",
]  # fmt: skip


def queued_tasks(j, c) -> None:
    # Everything queued runs; then every page and list is read once more.
    run_tasks()
    codes = {"encounter": j.encounter.code, "low": j.low.code, "connection": j.connection.code}
    reads = []
    for path in (p.format(**codes) for p in PAGES):
        reads += [("A", f"GET {path}", None, 200), ("B", f"GET {path}", None, 200, 302, 404)]
    for path in (p.format(**codes) for p in LISTS):
        reads += [("a", f"GET {path}", None, 200), ("b", f"GET {path}", None, 200)]
    send(j, *reads)
    inbox = Notification.objects.filter(person=j.alice)
    send(j, *[("A", f"GET /inbox/{n.code}/", None, 200, 302) for n in inbox])


STEPS = (
    sign_up,
    profile,
    connections,
    guests,
    support_contacts,
    channels,
    encounters,
    checkins,
    drop_watch_and_nudges,
    followups,
    server_error,
    your_data,
    queued_tasks,
)

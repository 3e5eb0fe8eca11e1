"""Nothing intimate in logs: every flow runs through the real pages and the API with a unique
canary string in every free-text input, failures and a real server error included. Then the
captured log records (DEBUG and up, with tracebacks), the error e-mails to the admins and the
task rows must hold no canary, and the raw database files none in clear."""

import datetime as dt
import json
import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, HTTPServer

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.utils import timezone

from accounts.forms import SettingsForm
from accounts.models import AccessToken, Person
from accounts.services import create_token
from care.models import CareItem
from checkins.models import CheckIn, Encounter, FollowUp
from notify.models import Channel, Delivery, Notification
from partners.models import Connection, SupportContact
from softlanding.canary import raw_database_bytes
from softlanding.testing import PASSWORD, TRANSACTIONAL_DB, make_person
from softlanding.tests.test_canary import encrypted_fields

pytestmark = TRANSACTIONAL_DB

ADMIN = "ops@example.org"
# Free text that is stored in clear by design (a name to greet you by, and what a token is
# for): these may sit in the database, but never in a log, an error report or a task row.
STORED_IN_CLEAR = {
    "accounts.Person.display_name",
    "accounts.Person.pronouns",
    "accounts.AccessToken.name",
}
# An unreachable address: every notification sent to it fails, as a real outage would.
DEAD_HOOK = "json://127.0.0.1:9/"


class Canaries:
    """Unique, greppable strings, each remembered with the field it was typed into."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}  # label -> canary
        self.fields: dict[str, str] = {}  # label -> "app.Model.field" it is stored in, if any
        self.carried_by: set[str] = set()  # fields that hold canaries written elsewhere

    def __call__(self, label: str, field: str | None = None) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[-24:]
        value = f"zqx{len(self.values):03d}-{slug}-kw"
        assert label not in self.values, label
        self.values[label] = value
        if field:
            self.fields[label] = field
        return value

    def found_in(self, text: str) -> list[str]:
        text = text.lower()
        return [label for label, value in self.values.items() if value in text]


# -- Capturing every log record -----------------------------------------------------------

_PLAIN_RECORD = set(vars(logging.LogRecord("x", 0, "", 0, "", (), None))) | {"message", "asctime"}


class Capture(logging.Handler):
    """Every record, formatted with its arguments, its traceback and any extra attributes."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            # The message with its arguments, then Formatter.formatException's traceback
            # (every chained exception and its message) and any stack_info.
            text = self.format(record)
        except Exception:  # a record that cannot be formatted is kept raw
            text = f"{record.msg!r} {record.args!r} {record.exc_info!r}"
        extras = {k: v for k, v in vars(record).items() if k not in _PLAIN_RECORD}
        self.lines.append(f"{text} {extras!r}")

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@contextmanager
def capture_logs() -> Iterator[Capture]:
    """DEBUG and up from every logger, the ones that do not propagate (django.request) too.
    Levels set on the root and on django's loggers are lowered for the run, then restored."""
    handler = Capture()
    root = logging.getLogger()
    loggers = [root] + [
        logger
        for name, logger in sorted(logging.root.manager.loggerDict.items())
        if isinstance(logger, logging.Logger) and (name == "django" or name.startswith("django."))
    ]
    levels = {logger: logger.level for logger in loggers}
    attached = [root] + [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger) and not logger.propagate
    ]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    for logger in attached:
        logger.addHandler(handler)
    try:
        yield handler
    finally:
        for logger in attached:
            logger.removeHandler(handler)
        for logger, level in levels.items():
            logger.setLevel(level)


# -- Helpers ------------------------------------------------------------------------------


class Sink(BaseHTTPRequestHandler):
    """A notification service that accepts everything: the path of a successful send."""

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@contextmanager
def live_hook() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), Sink)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"json://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


class Api:
    """The JSON API with a Bearer token, from a client without a session."""

    def __init__(self, secret: str) -> None:
        self.client = Client(raise_request_exception=False)
        self.headers = {"Authorization": f"Bearer {secret}"}

    def __call__(self, method: str, path: str, body=None, *, raw: bytes | None = None):
        data = raw if raw is not None else (b"" if body is None else json.dumps(body).encode())
        return self.client.generic(
            method, f"/api/v1{path}", data, content_type="application/json", headers=self.headers
        )


def ok(response, *statuses: int):
    assert response.status_code in statuses, (response.status_code, response.content[:800])
    return response


def settings_data(person: Person, **changes) -> dict:
    """The settings form as the browser sends it, with some fields changed."""
    form = SettingsForm(instance=person)
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            value = ""
        elif isinstance(value, dt.time):
            value = value.strftime("%H:%M")
        data[name] = value
    data.update(changes)
    return {k: ("on" if v is True else v) for k, v in data.items() if v is not False}


def local_wall(person: Person, when: dt.datetime) -> str:
    """A moment as the browser's datetime-local field sends it: the person's wall clock."""
    return timezone.localtime(when, person.tz).strftime("%Y-%m-%dT%H:%M")


def run_tasks(rounds: int = 4) -> None:
    """Run every queued task the way `db_worker` does, retries included (their wait skipped):
    failures are recorded on the task row and logged, as in production."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="leak-test",
        excluded_queue_names=[],
    )
    for _round in range(rounds):
        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
        worker.run()
        if not DBTaskResult.objects.filter(status="READY").exists():
            return


# -- The flows ----------------------------------------------------------------------------


def drive_every_flow(c: Canaries, monkeypatch, live: str) -> None:
    now = timezone.now()
    alice_web = Client(raise_request_exception=False)
    bob_web = Client(raise_request_exception=False)
    guest_web = Client(raise_request_exception=False)

    # Sign-up, consent and settings, through the pages.
    ok(
        alice_web.post(
            "/accounts/signup/",
            {"email": "alice@example.org", "password1": PASSWORD, "password2": PASSWORD},
        ),
        302,
    )
    ok(alice_web.post("/consent/", {"adult": "on", "agree": "on"}), 302)
    ok(alice_web.post("/accounts/reauthenticate/", {"password": PASSWORD}), 302)
    alice = Person.objects.get(email="alice@example.org")
    ok(
        alice_web.post(
            "/settings/", settings_data(alice, display_name=c("settings too long") + "x" * 60)
        ),
        400,
    )
    ok(
        alice_web.post(
            "/settings/",
            settings_data(
                alice,
                display_name=c("settings display name", "accounts.Person.display_name"),
                pronouns=c("settings pronouns", "accounts.Person.pronouns"),
            ),
        ),
        302,
    )
    ok(alice_web.post("/settings/tokens/", {"name": c("token too long") + "x" * 60}), 400)
    page = ok(
        alice_web.post("/settings/tokens/", {"name": c("token name", "accounts.AccessToken.name")}),
        200,
    )
    alice_api = Api(page.context["new_secret"])
    ok(
        alice_web.post(
            "/settings/tokens/", {"name": c("token name 2", "accounts.AccessToken.name")}
        ),
        200,
    )
    second = AccessToken.objects.filter(person=alice).order_by("-created_at", "-id").first()
    ok(alice_web.post(f"/settings/tokens/{second.code}/revoke/"), 302)
    ok(alice_api("POST", "/consent", {"adult_confirmed": c("consent bad api")}), 422)

    bob = make_person("Bob", password=None)
    bob_web.force_login(bob)
    bob_api = Api(create_token(bob, "script")[1])
    ok(
        bob_api(
            "PATCH",
            "/me",
            {
                "display_name": c("api display name", "accounts.Person.display_name"),
                "pronouns": c("api pronouns", "accounts.Person.pronouns"),
            },
        ),
        200,
    )
    ok(bob_api("PATCH", "/me", {"pronouns": c("api pronouns too long") + "x" * 40}), 422)
    ok(bob_api("PATCH", "/me", {"time_zone": c("api bad time zone")}), 422)
    ok(bob_api("PATCH", "/me", {"nonsense": c("api unknown setting")}), 422)

    # The aftercare profile: its words, one's own items, answers.
    water = CareItem.objects.get(key="water")
    words = {
        name: c(f"profile page {name}", f"care.AftercareProfile.{name}")
        for name in ("time_needed", "drop_signs", "drop_helps", "self_care", "boundaries")
    }
    ok(alice_web.post("/profile/", {**words, f"receive-{water.code}": "yes", "done": "1"}), 302)
    ok(alice_web.post("/profile/words/", {"time_needed": c("profile words htmx")}), 200)
    ok(alice_web.post("/profile/", {"boundaries": c("profile too long") + "x" * 4000}), 400)
    ok(
        alice_web.post(
            "/profile/items/",
            {"label": c("own item page", "care.CareItem.own_label"), "category": "body"},
        ),
        302,
    )
    ok(
        alice_web.post(
            "/profile/items/", {"label": c("own item too long") + "x" * 80, "category": "body"}
        ),
        400,
    )
    ok(alice_web.post(f"/profile/items/{water.code}/", {f"give-{water.code}": "maybe"}), 200)
    ok(
        alice_web.post(
            f"/profile/items/{water.code}/", {f"give-{water.code}": c("care answer bad value")}
        ),
        400,
        500,
    )
    ok(bob_api("PUT", f"/profile/items/{water.code}", {"give": c("care answer bad api")}), 422)
    ok(
        bob_api(
            "PATCH",
            "/profile",
            {
                "drop_helps": c("profile api drop helps"),
                "boundaries": c("profile api boundaries"),
                "items": [{"item": str(water.code), "receive": "yes"}],
            },
        ),
        200,
    )
    ok(bob_api("PATCH", "/profile", {"self_care": c("profile api too long") + "x" * 4000}), 422)
    ok(bob_api("POST", "/care/items", {"category": "words", "label": c("own item api")}), 201)
    ok(bob_api("POST", "/care/items", {"category": c("own item bad category"), "label": "x"}), 422)

    # Connections: invite, accept, what each side calls the other; wishes.
    page = ok(
        alice_web.post(
            "/partners/invite/", {"nickname": c("invite page", "partners.Invite.nickname")}
        ),
        200,
    )
    secret = page.context["secret"]
    ok(bob_web.post(f"/join/{secret}/", {"nickname": c("accept page too long") + "x" * 80}), 400)
    ok(
        bob_web.post(
            f"/join/{secret}/",
            {"nickname": c("accept page", "partners.ConnectionSide.nickname")},
        ),
        302,
    )
    connection = Connection.objects.get()
    sharing = {
        "share_profile": "on",
        "share_checkins": "on",
        "shared_answers": ["mood", "feelings", "fun", "next_time"],
        "share_drop_alerts": "on",
    }
    ok(bob_web.post(f"/partners/{connection.code}/", {**sharing, "nickname": c("side page")}), 302)
    ok(
        bob_web.post(
            f"/partners/{connection.code}/", {**sharing, "nickname": c("side too long") + "x" * 80}
        ),
        400,
    )
    ok(
        alice_api(
            "PATCH",
            f"/connections/{connection.code}",
            {
                "nickname": c("side api"),
                "share_profile": True,
                "share_checkins": True,
                "share_drop_alerts": True,
                "shared_answers": ["mood", "fun", "next_time", "need_now"],
            },
        ),
        200,
    )
    ok(
        alice_api(
            "PATCH",
            f"/connections/{connection.code}",
            {"nickname": c("side api too long") + "x" * 80},
        ),
        422,
    )
    invite = ok(alice_api("POST", "/invites", {"nickname": c("invite api")}), 201).json()
    ok(alice_api("DELETE", f"/invites/{invite['code']}"), 204)
    ok(bob_api("POST", "/invites/accept", {"secret": "NOPE1234", "nickname": c("accept api")}), 400)
    ok(
        alice_web.post(
            f"/partners/{connection.code}/wishes/",
            {"text": c("wish page", "partners.Wish.text"), "shared": "on"},
        ),
        302,
    )
    ok(
        alice_web.post(
            f"/partners/{connection.code}/wishes/", {"text": c("wish page too long") + "x" * 1000}
        ),
        302,
    )
    ok(
        bob_api(
            "POST",
            f"/connections/{connection.code}/wishes",
            {"text": c("wish api"), "shared": True},
        ),
        201,
    )
    ok(
        bob_api(
            "POST",
            f"/connections/{connection.code}/wishes",
            {"text": c("wish api too long") + "x" * 1000},
        ),
        422,
    )
    ok(
        alice_web.post(
            f"/partners/{connection.code}/ideas/", {"ideas": ["massage", c("idea bad page")]}
        ),
        302,
    )
    ok(bob_api("PUT", f"/connections/{connection.code}/ideas", {"ideas": [c("idea bad api")]}), 422)

    # Guest links and a guest's answer.
    page = ok(
        alice_web.post(
            "/partners/guests/new/",
            {"nickname": c("guest link page", "partners.GuestLink.nickname")},
        ),
        200,
    )
    guest_path = re.sub(r"^https?://[^/]+", "", page.context["url"])
    ok(
        guest_web.post(
            guest_path, {"feeling": "4", "message": c("guest answer too long") + "x" * 2000}
        ),
        400,
    )
    ok(
        guest_web.post(
            guest_path,
            {
                "feeling": "5",
                "message": c("guest answer page", "partners.GuestAnswer.message"),
                "wants_to_hear_back": "on",
            },
        ),
        200,
    )
    link = ok(bob_api("POST", "/guest-links", {"nickname": c("guest link api")}), 201).json()
    ok(bob_api("POST", "/guest-links", {"nickname": c("guest link api too long") + "x" * 80}), 422)
    ok(
        guest_web.post(
            re.sub(r"^https?://[^/]+", "", link["url"]), {"message": c("guest answer 2")}
        ),
        200,
    )

    # Support contacts: by e-mail (confirmed through the link) and by a notification URL.
    ok(
        alice_web.post(
            "/support/add/",
            {
                "name": c("support name page", "partners.SupportContact.name"),
                "email": c("support email page", "partners.SupportContact.email") + "@example.org",
                "may_tell": "ask_me",
            },
        ),
        302,
    )
    ok(
        alice_web.post(
            "/support/add/",
            {
                "name": c("support both page"),
                "email": c("support both email") + "@example.org",
                "notify_url": DEAD_HOOK + c("support both url"),
                "may_tell": "ask_me",
            },
        ),
        400,
    )
    ok(
        alice_api(
            "POST",
            "/support-contacts",
            {
                "name": c("support name api"),
                "notify_url": DEAD_HOOK
                + c("support url api", "partners.SupportContact.notify_url"),
                "may_tell": "automatic",
            },
        ),
        201,
    )
    ok(
        alice_api(
            "POST",
            "/support-contacts",
            {"name": c("support bad email"), "email": c("support bad email local")},
        ),
        422,
    )
    ok(
        alice_api(
            "POST",
            "/support-contacts",
            {"name": c("support bad url"), "notify_url": "zz://" + c("support bad url path")},
        ),
        400,
    )
    run_tasks()  # the confirmations: one e-mail, one notification that fails
    confirmation = next(m for m in mail.outbox if "/support/confirm/" in m.body)
    ok(guest_web.post(re.search(r"/support/confirm/\S+/", confirmation.body).group(0)), 200)
    SupportContact.objects.filter(verified_at__isnull=True).update(verified_at=timezone.now())

    # Channels: pages (fresh sign-in from the sign-up) and the API.
    ok(
        alice_web.post(
            "/settings/channels/",
            {
                "kind": "apprise",
                "target": DEAD_HOOK + c("channel url page", "notify.Channel.target"),
                "label": c("channel label page", "notify.Channel.label"),
            },
        ),
        302,
    )
    ok(
        alice_web.post(
            "/settings/channels/",
            {
                "kind": "email",
                "target": c("channel not an address"),
                "label": c("channel label bad"),
            },
        ),
        400,
    )
    ok(
        alice_web.post(
            "/settings/channels/",
            {"kind": "apprise", "target": "zz://" + c("channel bad scheme"), "label": ""},
        ),
        400,
    )
    ok(
        bob_api(
            "POST",
            "/channels",
            {
                "kind": "email",
                "target": c("channel email api") + "@example.org",
                "label": c("channel label api"),
            },
        ),
        201,
    )
    ok(
        bob_api(
            "POST",
            "/channels",
            {
                "kind": "apprise",
                "target": DEAD_HOOK + c("channel url api"),
                "label": c("channel label api 2"),
            },
        ),
        201,
    )
    ok(
        bob_api(
            "POST",
            "/channels",
            {
                "kind": "apprise",
                "target": live + c("channel url live"),
                "label": c("channel label live"),
            },
        ),
        201,
    )
    ok(
        bob_api(
            "POST",
            "/channels",
            {
                "kind": "push",
                "target": c("channel push not json"),
                "label": c("channel push label"),
            },
        ),
        400,
    )
    ok(bob_api("POST", "/channels", {"kind": c("channel bad kind"), "target": "x"}), 422)
    for channel in Channel.objects.filter(person=alice):
        ok(alice_web.post(f"/settings/channels/{channel.code}/test/"), 302)
    for channel in Channel.objects.filter(person=bob):
        ok(bob_api("POST", f"/channels/{channel.code}/test"), 202)
    ok(
        bob_api(
            "POST",
            "/channels/push/forget",
            {"endpoint": "https://push.example/" + c("push forget endpoint")},
        ),
        204,
    )

    # Encounters, through the page and the API; bad ones too.
    an_hour_ago = local_wall(alice, now - dt.timedelta(hours=1))
    encounter_form = {
        "occurred_at": an_hour_ago,
        "kind": "partnered",
        "connections": [str(connection.code)],
    }
    ok(
        alice_web.post(
            "/encounters/new/",
            {
                **encounter_form,
                "occurred_at": local_wall(alice, now + dt.timedelta(days=2)),
                "note": c("encounter future page"),
            },
        ),
        400,
    )
    ok(
        alice_web.post(
            "/encounters/new/",
            {**encounter_form, "note": c("encounter too long page") + "x" * 4000},
        ),
        400,
    )
    ok(
        alice_web.post(
            "/encounters/new/",
            {**encounter_form, "note": c("encounter page", "checkins.Encounter.note")},
        ),
        302,
    )
    encounter = Encounter.objects.get(person=alice)
    ok(
        alice_web.post(
            f"/encounters/{encounter.code}/edit/",
            {**encounter_form, "note": c("encounter edit page")},
        ),
        302,
    )
    ok(
        alice_web.post(
            f"/encounters/{encounter.code}/edit/",
            {
                **encounter_form,
                "occurred_at": local_wall(alice, now + dt.timedelta(days=2)),
                "note": c("encounter edit future"),
            },
        ),
        400,
    )
    moment = (now - dt.timedelta(hours=2)).isoformat()
    bob_encounter = ok(
        bob_api(
            "POST",
            "/encounters",
            {"occurred_at": moment, "kind": "solo", "note": c("encounter api")},
        ),
        201,
    ).json()
    ok(
        bob_api(
            "PATCH", f"/encounters/{bob_encounter['code']}", {"note": c("encounter patch api")}
        ),
        200,
    )
    ok(
        bob_api(
            "POST",
            "/encounters",
            {
                "occurred_at": (now + dt.timedelta(days=3)).isoformat(),
                "kind": "solo",
                "note": c("encounter future api"),
            },
        ),
        400,
    )
    ok(
        bob_api(
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
        bob_api("POST", "/encounters", {"occurred_at": c("encounter bad time"), "kind": "solo"}),
        422,
    )
    ok(
        bob_api("POST", "/encounters", {"occurred_at": moment, "kind": c("encounter bad kind")}),
        422,
    )
    ok(
        alice_web.post(
            "/encounters/new/", {**encounter_form, "kind": c("encounter bad kind page")}
        ),
        400,
    )
    ok(
        bob_api(
            "POST",
            "/encounters",
            {"occurred_at": moment, "kind": "solo", "mood": c("encounter unknown field")},
        ),
        422,
    )
    ok(
        bob_api(
            "POST", "/encounters", raw=b'{"note": "' + c("encounter broken json").encode() + b'"'
        ),
        400,
        422,
    )

    # Check-ins: a low one on the page (a drop signal), the partner's by the API.
    checkin_page = f"/encounters/{encounter.code}/checkin/"
    texts = {
        name: c(f"checkin page {name}", f"checkins.CheckIn.{name}")
        for name in ("fun", "next_time", "not_right", "need_now")
    }
    ok(alice_web.post(checkin_page, {"pleasantness": "9", "fun": c("checkin bad scale page")}), 400)
    ok(
        alice_web.post(
            checkin_page, {"pleasantness": "4", "need_now": c("checkin too long page") + "x" * 4000}
        ),
        400,
    )
    ok(
        alice_web.post(
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
    low = CheckIn.objects.get(person=alice)
    assert low.raised_drop
    bob_checkin = {
        name: c(f"checkin api {name}") for name in ("fun", "next_time", "not_right", "need_now")
    }
    ok(
        bob_api(
            "POST",
            f"/encounters/{encounter.code}/checkins",
            {"pleasantness": 2, "wants_care": True, "shared": ["mood", "fun"], **bob_checkin},
        ),
        201,
    )
    ok(
        bob_api(
            "POST",
            f"/encounters/{encounter.code}/checkins",
            {"pleasantness": 12, "fun": c("checkin bad scale api")},
        ),
        422,
    )
    ok(
        bob_api(
            "POST",
            f"/encounters/{encounter.code}/checkins",
            {"feelings": [c("checkin bad feeling api")]},
        ),
        400,
    )

    # The drop watch: one tap tells the partner and the confirmed contacts.
    ok(alice_web.post(f"/checkins/{low.code}/tell/"), 302)
    bob_low = CheckIn.objects.filter(person=bob).get(wants_care=True)
    ok(bob_api("POST", "/alerts", {"checkin": str(bob_low.code)}), 201)
    ok(bob_api("POST", "/alerts", {"checkin": c("alert bad code")}), 422)

    # Nudges, both ways.
    ok(
        bob_web.post(f"/encounters/{encounter.code}/nudge/", {"connection": str(connection.code)}),
        302,
    )
    ok(
        bob_web.post(f"/encounters/{encounter.code}/nudge/", {"connection": c("nudge bad page")}),
        302,
    )
    ok(
        alice_api(
            "POST",
            "/nudges",
            {"encounter": str(encounter.code), "connection": str(connection.code)},
        ),
        201,
    )
    ok(
        alice_api(
            "POST", "/nudges", {"encounter": str(encounter.code), "connection": c("nudge bad api")}
        ),
        422,
    )

    # Follow-ups: made due, delivered by the dispatcher, answered on the page and by the API.
    from notify.dispatcher import Dispatcher

    FollowUp.objects.filter(state="scheduled").update(
        due_at=timezone.now() - dt.timedelta(minutes=1)
    )
    Dispatcher(worker="leak-test").run_once()
    page_followup, api_followup = FollowUp.objects.filter(person=alice, state="sent").order_by(
        "offset_hours"
    )[:2]
    followup_page = f"/follow-ups/{page_followup.code}/"
    ok(
        alice_web.post(followup_page, {"pleasantness": "0", "need_now": c("followup bad page")}),
        400,
    )
    ok(
        alice_web.post(
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
    ok(alice_web.post(f"{followup_page}snooze/", {"hours": c("followup snooze page")}), 302)
    ok(
        alice_api(
            "POST", f"/follow-ups/{api_followup.code}/snooze", {"hours": c("followup snooze api")}
        ),
        422,
    )
    answer = f"/follow-ups/{api_followup.code}/answer"
    ok(alice_api("POST", answer, {"not_right": c("followup api too long") + "x" * 4000}), 422)
    ok(
        alice_api(
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

    # A real server error while a canary is in the request: logged and mailed to the admins.
    from checkins import services as checkins_services
    from partners import wishes

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(checkins_services, "log_encounter", broken)
    monkeypatch.setattr(wishes, "add_wish", broken)
    ok(alice_web.post("/encounters/new/", {**encounter_form, "note": c("encounter page 500")}), 500)
    ok(bob_api("POST", f"/connections/{connection.code}/wishes", {"text": c("wish api 500")}), 500)
    monkeypatch.undo()

    # Your data: an export, imported into a fresh account elsewhere; bad imports; deletion.
    ok(alice_web.post("/settings/data/export/"), 302)
    run_tasks()
    from privacy.models import Export

    done = Export.objects.get(person=alice)
    assert done.status == "ready", done.status
    c.carried_by.add("privacy.Export.document")  # every canary of Alice's, sealed
    document = ok(alice_web.get(f"/settings/data/exports/{done.code}/json/"), 200).content
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
    ok(alice_web.post("/settings/data/delete/", {"confirm": c("delete confirm page")}), 400)
    ok(carol_api("POST", "/me/delete", {"confirm": "DELETE"}), 204)

    # Everything queued runs; then every page and list is read once more.
    run_tasks()
    for path in [
        "/",
        "/settings/",
        "/profile/",
        "/profile/card/",
        "/encounters/",
        f"/encounters/{encounter.code}/",
        f"/checkins/{low.code}/",
        "/partners/",
        f"/partners/{connection.code}/",
        f"/partners/{connection.code}/card/",
        "/partners/guests/",
        "/support/",
        "/settings/channels/",
        "/inbox/",
        "/alerts/",
        "/follow-ups/",
        "/settings/data/",
    ]:
        ok(alice_web.get(path), 200)
        ok(bob_web.get(path), 200, 302, 404)
    for path in [
        "/me",
        "/me/tokens",
        "/profile",
        "/care/items",
        "/encounters",
        "/checkins",
        "/connections",
        f"/connections/{connection.code}/plan",
        f"/connections/{connection.code}/next-time",
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
        ok(alice_api("GET", path), 200)
        ok(bob_api("GET", path), 200)
    for notification in Notification.objects.filter(person=alice):
        ok(alice_web.get(f"/inbox/{notification.code}/"), 200, 302)


# -- The test -----------------------------------------------------------------------------


def scan(c: Canaries, logs: Capture) -> dict[str, list[str]]:
    from django_tasks_db.models import DBTaskResult

    from notify import messages

    found: dict[str, list[str]] = {}

    def check(where: str, text: str) -> None:
        if hits := c.found_in(text):
            found.setdefault(where, []).extend(hits)

    check("logs", logs.text)
    for message in mail.outbox:
        if ADMIN in message.to:
            parts = [message.subject, message.body]
            parts += [str(content) for content, _type in getattr(message, "alternatives", [])]
            parts += [repr(attachment) for attachment in message.attachments]
            check(f"admin e-mail {message.subject!r}", "\n".join(parts))
    for row in DBTaskResult.objects.all():
        check(
            f"task row {row.task_path}",
            json.dumps(
                {
                    f.attname: str(getattr(row, f.attname))
                    for f in DBTaskResult._meta.concrete_fields
                }
            ),
        )
    for delivery in Delivery.objects.all():
        check("delivery error", delivery.error)
    for channel in Channel.objects.all():
        check("channel disabled reason", channel.disabled_reason)
    for notification in Notification.objects.select_related("person"):
        rendered = messages.render(notification)
        check("notification message", f"{rendered.title}\n{rendered.body}\n{rendered.url}")
    for alias in ("default", "keys"):
        raw = raw_database_bytes(alias)
        if alias == "default":
            # What is stored in clear by design is found: the scan reads the real bytes.
            clear = [v for label, v in c.values.items() if c.fields.get(label) in STORED_IN_CLEAR]
            assert clear and all(v.encode() in raw for v in clear), clear
        for label, value in c.values.items():
            if c.fields.get(label) in STORED_IN_CLEAR:
                continue
            if value.encode() in raw or value.encode("utf-16-le") in raw:
                found.setdefault(f"database {alias} in clear", []).append(label)
    return found


def test_no_canary_in_logs_error_mails_task_rows_or_the_database_in_clear(monkeypatch):
    from django_tasks_db.models import DBTaskResult

    c = Canaries()
    mailers = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    with (
        override_settings(
            ADMINS=[ADMIN], DEBUG=False, MAILERS=mailers, NOTIFY_ALLOW_PRIVATE_HOSTS=True
        ),
        live_hook() as live,
        capture_logs() as logs,
    ):
        mail.outbox = []
        drive_every_flow(c, monkeypatch, live)
        found = scan(c, logs)
        admin_mails = [m for m in mail.outbox if ADMIN in m.to]

    # The run did what it should, or a clean scan would prove nothing.
    assert len(admin_mails) >= 2, [m.subject for m in mail.outbox]
    reports = {
        path: next(
            m.body for m in admin_mails if m.subject.endswith(f"Internal Server Error: {path}")
        )
        for path in (
            "/encounters/new/",
            f"/api/v1/connections/{Connection.objects.get().code}/wishes",
        )
    }
    assert DBTaskResult.objects.filter(status="FAILED").exists()
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").exists()
    assert Delivery.objects.filter(status="failed").exists()
    assert Delivery.objects.filter(status="sent").exists()
    assert Notification.objects.filter(kind="followup").exists()
    assert Notification.objects.filter(kind="drop_alert").exists()
    assert Notification.objects.filter(kind="nudge").exists()
    assert "Task id=" in logs.text and "Internal Server Error" in logs.text
    # Each encrypted field got a canary through a page or the API.
    missing = encrypted_fields() - set(c.fields.values()) - c.carried_by
    assert not missing, missing
    assert not found, found
    # The reports are about the requests, without their bodies or the person's name.
    assert "note = '[removed]'" in reports["/encounters/new/"]
    assert all("USER: person " in body for body in reports.values())


def test_the_scanner_sees_a_canary_that_was_logged():
    c = Canaries()
    canary = c("negative control")
    with capture_logs() as logs:
        logging.getLogger("x").warning("%s", canary)
        try:
            raise ValueError(c("in a traceback"))
        except ValueError:
            logging.getLogger("django.request").debug("failed", exc_info=True)
    assert c.found_in(logs.text) == ["negative control", "in a traceback"]

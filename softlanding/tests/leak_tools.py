"""What the canary test over every flow uses: the canaries, a capture of every log record,
an API client, and the scanner."""

import datetime as dt
import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager

from django.core import mail
from django.test import Client
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from accounts.forms import SettingsForm
from accounts.models import Person
from notify import messages
from notify.models import Channel, Delivery, Notification
from softlanding.canary import raw_database_bytes

ADMIN = "ops@example.org"
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


# The one canary a note to the people someone trusts carries: their own name.
NAME_IN_A_NOTE = "display name"


def scan(c: Canaries, logs: Capture) -> dict[str, list[str]]:
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
        else:
            # What people receive: our words and links, never what someone wrote — but for the
            # name a person goes by, which the people they trust need to know who asks (never
            # in a subject). The address it goes to is the recipient's own, and is not scanned.
            check(f"e-mail subject {message.subject!r}", message.subject + message.from_email)
            parts = [message.body]
            parts += [str(content) for content, _type in getattr(message, "alternatives", [])]
            if hits := [h for h in c.found_in("\n".join(parts)) if not h.endswith(NAME_IN_A_NOTE)]:
                found.setdefault(f"e-mail {message.subject!r}", []).extend(hits)
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
            # The e-mail address is stored in clear by design: the scan reads the real bytes.
            assert b"alice@example.org" in raw
        for label, value in c.values.items():
            if value.encode() in raw or value.encode("utf-16-le") in raw:
                found.setdefault(f"database {alias} in clear", []).append(label)
    return found

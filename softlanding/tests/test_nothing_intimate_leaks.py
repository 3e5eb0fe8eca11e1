"""Nothing intimate in logs: every flow runs through the real pages and the API with a unique
canary string in every free-text input, failures and a real server error included. Then the
captured log records (DEBUG and up, with tracebacks), the error e-mails to the admins and the
task rows must hold no canary, and the raw database files none in clear."""

import logging
from types import SimpleNamespace

from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from notify.models import Delivery, Notification
from partners.models import Connection
from softlanding.canary import NOT_TYPED, encrypted_fields, plain_text_fields
from softlanding.far_ends import running_sink
from softlanding.testing import TRANSACTIONAL_DB
from softlanding.tests.leak_journey import STEPS
from softlanding.tests.leak_tools import ADMIN, Canaries, capture_logs, scan

pytestmark = TRANSACTIONAL_DB


def drive_every_flow(c: Canaries, monkeypatch, live: str) -> None:
    """The whole journey, step by step; what one step makes, the next finds on `j`."""
    web = {who: Client(raise_request_exception=False) for who in "ABG"}
    j = SimpleNamespace(monkeypatch=monkeypatch, live=live, now=timezone.now(), clients=web)
    for step in STEPS:
        step(j, c)


def test_no_canary_in_logs_error_mails_task_rows_or_the_database_in_clear(monkeypatch):
    c = Canaries()
    mailers = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    with (
        override_settings(
            ADMINS=[ADMIN], DEBUG=False, MAILERS=mailers, NOTIFY_ALLOW_PRIVATE_HOSTS=True
        ),
        running_sink("/") as live,
        capture_logs() as logs,
    ):
        mail.outbox = []
        drive_every_flow(c, monkeypatch, live)
        found = scan(c, logs)
        admin_mails = [m for m in mail.outbox if ADMIN in m.to]
        people_mails = [m.subject for m in mail.outbox if ADMIN not in m.to]

    # The run did what it should, or a clean scan would prove nothing.
    assert len(admin_mails) >= 2, [m.subject for m in mail.outbox]
    assert "[Soft Landing] A message from someone who trusts you" in people_mails, people_mails
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
    # Each encrypted field got a canary through a page or the API, and every other text
    # column is one nobody types into.
    assert plain_text_fields() == set(NOT_TYPED)
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

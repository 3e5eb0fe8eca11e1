"""Taking everything along and leaving: alice downloads her data and opens it, then deletes
her account; she can no longer sign in, and bob sees only that their connection ended."""

import datetime as dt
import json
from pathlib import Path

import pytest
from django.utils import timezone

from checkins import services as checkins
from privacy import export
from privacy.models import Export
from softlanding.testing import PASSWORD, TRANSACTIONAL_DB, make_connection, make_person

pytestmark = [pytest.mark.browser, TRANSACTIONAL_DB]


def test_download_everything_then_leave(visitors):
    alice, bob = make_person("Alice"), make_person("Bob")
    make_connection(alice, bob)  # she calls him "B", he calls her "A"
    checkins.log_encounter(
        alice,
        occurred_at=timezone.now() - dt.timedelta(hours=2),
        kind="solo",
        note="a quiet evening to myself",
    )
    a_visitor, b_visitor = visitors(), visitors()
    a = a_visitor.sign_in(alice)
    a = a_visitor.go("/settings/")
    a.get_by_role("link", name="Your data").click()
    a.get_by_role("heading", name="Your data").wait_for()
    a_visitor.check_accessibility()

    a.get_by_role("button", name="Prepare my download").click()
    # Downloading everything needs a fresh sign-in.
    a.get_by_label("Password").fill(PASSWORD)
    a.get_by_role("button", name="Confirm").click()
    a.get_by_text("Being prepared…").wait_for()
    # The task worker builds it; the page sees it ready on its own (htmx asks every 2 s).
    export.build_export.call(Export.objects.get(person=alice).pk)
    a.get_by_role("link", name="JSON").wait_for(timeout=15_000)
    a_visitor.check_accessibility()
    a_visitor.screenshot("data-export-ready")
    with a.expect_download() as downloaded:
        a.get_by_role("link", name="JSON").click()
    document = json.loads(Path(downloaded.value.path()).read_text(encoding="utf-8"))
    assert document["format"] == "softlanding-export"
    assert document["encounters"][0]["note"] == "a quiet evening to myself"
    assert document["connections"][0]["nickname"] == "B"

    a.get_by_label("To confirm, type DELETE").fill("DELETE")
    a_visitor.screenshot("data-delete")
    a.get_by_role("button", name="Delete my account and everything in it").click()
    a.get_by_text("Your account and everything in it are deleted").wait_for()
    a_visitor.check_accessibility()

    a = a_visitor.go("/accounts/login/")
    a.get_by_label("Email").fill(alice.email)
    a.get_by_label("Password").fill(PASSWORD)
    a.get_by_role("button", name="Sign In").click()
    a.get_by_text("not correct").wait_for()
    assert all("status of 400" in p for p in a_visitor.console_problems)
    a_visitor.console_problems.clear()

    b = b_visitor.sign_in(bob)
    b = b_visitor.go("/partners/")
    b_visitor.check_accessibility()
    b_visitor.screenshot("data-partner-after")
    text = b.locator("main").inner_text()
    assert "ended" in text.lower()
    assert "quiet evening" not in text

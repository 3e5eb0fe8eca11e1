"""A new person signs up, verifies their e-mail, consents, edits settings, makes a token."""

import re

import pytest
from django.core import mail

from accounts.models import AccessToken, Person
from consent.services import has_consent
from softlanding.testing import PASSWORD, TRANSACTIONAL_DB

pytestmark = [pytest.mark.browser, TRANSACTIONAL_DB]


def test_a_newcomer_gets_from_sign_up_to_a_token(visitor):
    page = visitor.go("/")
    visitor.check_accessibility()
    page.get_by_role("link", name="Create an account").click()

    page.get_by_label("Email").fill("sky@example.org")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    visitor.check_accessibility()
    visitor.screenshot("signup")
    page.get_by_role("button", name="Sign Up").click()

    page.wait_for_url("**/consent/")
    link = re.search(r"http://[^\s]+/accounts/confirm-email/[^\s]+/", mail.outbox[-1].body)
    page.goto(link.group(0))
    visitor.check_accessibility()
    page.get_by_role("button", name="Confirm").click()
    assert Person.objects.get(email="sky@example.org").emailaddress_set.get().verified

    visitor.go("/consent/")
    assert page.get_by_text("18 or over").is_visible()
    visitor.check_accessibility()
    page.get_by_role("button", name="I agree").click()
    assert page.get_by_text("please confirm you are 18 or over").is_visible()
    page.get_by_label("I am 18 or over.").check()
    page.get_by_label("I agree that Soft Landing").check()
    visitor.screenshot("consent")
    page.get_by_role("button", name="I agree").click()
    page.wait_for_url("**/reach/")  # how should we reach you? (tests/browser/test_reach_you.py)
    page.get_by_role("button", name="Only here, thanks").click()
    page.wait_for_url(visitor.base_url + "/")
    assert has_consent(Person.objects.get(email="sky@example.org"))
    visitor.check_accessibility()

    page.get_by_role("link", name="Settings").first.click()
    page.get_by_label("What should we call you?").fill("Sky")
    page.get_by_label("Pronouns").fill("they/them")
    page.get_by_label("Time zone").select_option("Europe/Lisbon")
    page.get_by_label("Country").select_option("PT")
    page.get_by_label("Quiet from").fill("23:00")
    visitor.check_accessibility()
    page.get_by_role("button", name="Save settings").click()
    assert page.get_by_text("Saved.").is_visible()
    sky = Person.objects.get(email="sky@example.org")
    assert (sky.display_name, sky.time_zone, sky.country) == ("Sky", "Europe/Lisbon", "PT")

    # Signing up counts as a fresh sign-in for a few minutes; signed in again later, a
    # sensitive step asks for the password once more.
    page.context.clear_cookies()
    visitor.sign_in(sky)
    visitor.go("/settings/")
    page.get_by_label("What is this token for?").fill("my phone")
    page.get_by_role("button", name="Create a token").click()
    # Sensitive: the password is asked for again, then the request goes through.
    page.get_by_label("Password").fill(PASSWORD)
    visitor.check_accessibility()
    visitor.screenshot("reauthenticate")
    page.get_by_role("button", name="Confirm").click()
    secret = page.locator("#new-token").inner_text()
    assert secret.startswith("sl_")
    visitor.check_accessibility()
    visitor.screenshot("token")
    assert AccessToken.objects.get(person=sky).revoked_at is None

    page.get_by_role("button", name="Revoke my phone").click()
    assert page.get_by_text("no longer works").is_visible()
    assert AccessToken.objects.get(person=sky).revoked_at is not None
    assert len(visitor.checked) >= 6

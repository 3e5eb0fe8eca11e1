"""How should we reach you? On a phone: a newcomer signs up, confirms their address, consents,
chooses e-mail and gets a real test message; someone else picks Signal from the dashboard's
card with a few plain fields; an iPhone that has not added the app is told how to."""

import json
import re
from urllib.parse import urlsplit

import pytest

from notify import services
from notify.models import Delivery
from softlanding.far_ends import Sink, text_of, wait_for
from softlanding.testing import PASSWORD, TRANSACTIONAL_DB, make_person

pytestmark = [pytest.mark.browser, TRANSACTIONAL_DB]

IPHONE_SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def deliver_the_test(person) -> Delivery:
    """What the task worker would do with the test the page queued."""
    delivery = Delivery.objects.get(notification__person=person, status="pending")
    services.send_delivery.call(delivery.pk)
    delivery.refresh_from_db()
    return delivery


def test_a_newcomer_chooses_e_mail_right_after_consent_and_a_test_arrives(visitor, smtp_inbox):
    page = visitor.go("/accounts/signup/")
    page.get_by_label("Email").fill("sky@example.org")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url(re.compile(r"confirm-email|verification"))
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", text_of(wait_for(smtp_inbox)))
    page.goto(link.group(0))
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/consent/**")
    page.get_by_label("I am 18 or over.").check()
    page.get_by_label("I agree that Soft Landing").check()
    page.get_by_role("button", name="I agree").click()

    page.wait_for_url("**/reach/")
    assert page.get_by_role("heading", name="How should we reach you?").is_visible()
    # Signed up a moment ago: no password asked again before choosing.
    assert page.get_by_text("First, a quick check").count() == 0
    visitor.screenshot("reach-step", full_page=False)
    visitor.screenshot("reach-step-whole")
    visitor.check_accessibility()

    page.get_by_role("button", name="Use my e-mail").click()
    page.wait_for_url("**/reach/")
    assert page.get_by_text("E-mail is on").is_visible()
    page.get_by_role("button", name="Send a test").click()
    page.wait_for_url("**/reach/")
    sky = services.Channel.objects.get().person
    assert deliver_the_test(sky).status == "sent"
    raw = wait_for(smtp_inbox, 2)
    assert "sky@example.org" in raw and "Subject: [Soft Landing] A test message" in raw
    page.reload()
    assert page.get_by_text("last test or message: delivered").is_visible()
    visitor.screenshot("reach-email-on", full_page=False)

    page.get_by_role("button", name="That's it").click()
    page.wait_for_url(visitor.base_url + "/")
    assert page.get_by_role("heading", name="How should we reach you?").count() == 0


def test_signal_from_the_dashboard_card_with_plain_fields(visitor, settings, sink):
    settings.NOTIFY_ALLOW_PRIVATE_HOSTS = True  # the local stand-in for a signal-cli server
    robin = make_person("Robin")
    page = visitor.sign_in(robin)
    card = page.locator(".reach-card")
    assert card.get_by_role("heading", name="How should we reach you?").is_visible()
    visitor.screenshot("reach-dashboard-card", full_page=False)
    card.get_by_role("link", name="Choose how").click()
    page.wait_for_url("**/reach/")

    # Signed in some time ago (as far as the step knows): it asks first, then comes back.
    page.get_by_role("link", name="Confirm it's you").click()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/reach/**")

    page.locator("summary", has_text="Signal").click()
    page.get_by_label("Your signal-cli REST server").fill(f"http://127.0.0.1:{urlsplit(sink).port}")
    page.get_by_label("Send from").fill("+44 7700 900123")
    page.get_by_label("Send to").fill("07700 900456")
    page.get_by_role("button", name="Use Signal").click()
    assert page.get_by_text("with its country code, like +44").is_visible()
    assert page.get_by_label("Send from").input_value() == "+44 7700 900123"  # nothing lost
    page.get_by_label("Send to").scroll_into_view_if_needed()
    visitor.screenshot("reach-signal-error", full_page=False)
    visitor.check_accessibility()

    # The form came back with a 400, as a form with messages does; nothing else went wrong.
    assert all("status of 400" in p for p in visitor.console_problems)
    visitor.console_problems.clear()

    page.get_by_label("Send to").fill("+44 7700 900456")
    page.get_by_role("button", name="Use Signal").click()
    assert page.get_by_text("Signal is on").is_visible()
    page.get_by_role("button", name="Send a test").click()
    page.wait_for_url("**/reach/**")
    assert deliver_the_test(robin).status == "sent"
    posted = json.loads(Sink.received[0])
    assert posted["recipients"] == ["+447700900456"] and "test message" in posted["message"]
    visitor.screenshot("reach-signal-on", full_page=False)

    visitor.go("/")
    assert page.locator(".reach-card").count() == 0


def test_an_iphone_that_has_not_added_the_app_is_told_how(visitors):
    visitor = visitors(user_agent=IPHONE_SAFARI)
    robin = make_person("Robin")
    page = visitor.sign_in(robin)
    visitor.go("/reach/")
    push = page.locator("#push")
    assert push.get_by_text("Add to Home Screen").is_visible()
    assert push.get_by_role("button").count() == 0  # no push button that could not work
    assert not push.get_by_text("can't show notices").is_visible()
    push.scroll_into_view_if_needed()
    visitor.screenshot("reach-iphone", full_page=False)

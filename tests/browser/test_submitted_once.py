"""A double tap on a phone: the encounter form and the check-in form tapped twice (and sent
again by the page itself, as a flaky network's resend would) make one encounter and one
check-in, and the person lands where the first tap led."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from checkins.models import CheckIn, Encounter
from softlanding.testing import TRANSACTIONAL_DB, make_person

pytestmark = [pytest.mark.browser, TRANSACTIONAL_DB]

SEND_AGAIN = """async (selector) => {
  const form = document.querySelector(selector);
  const body = new FormData(form);
  const options = {method: "POST", body, redirect: "manual"};
  const sent = await fetch(form.action || location.href, options);
  return sent.type === "opaqueredirect" ? 302 : sent.status;
}"""


def double_tap(page, button):
    """Two taps on the same spot, as fast as a thumb: the second one does not wait for the
    page the first one asked for."""
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.touchscreen.tap(x, y)
    page.touchscreen.tap(x, y)


def test_a_double_tap_on_a_phone_saves_once(visitor):
    alice = make_person("Alice", time_zone="Europe/London")
    page = visitor.sign_in(alice)
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)

    page = visitor.go("/encounters/new/")
    when = (timezone.now() - dt.timedelta(hours=1)).astimezone(alice.tz)
    page.get_by_label("When was it?").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_text("Solo").click()
    # A resend of the very same form (same one-time key) reaches the server first…
    assert page.evaluate(SEND_AGAIN, "form.card") == 302
    # …then two quick taps on the button.
    double_tap(page, page.get_by_role("button", name="Save and check in"))
    # Polled, not awaited as one navigation: the second tap may abort the first one's load.
    expect(page).to_have_url(re.compile(r"/checkin/$"), timeout=15_000)
    page.wait_for_load_state()
    assert len([u for u in posts if u.endswith("/encounters/new/")]) >= 2
    encounter = Encounter.objects.get(person=alice)
    assert page.url.endswith(f"/encounters/{encounter.code}/checkin/")
    visitor.screenshot("double-tap-encounter")

    page.locator("label[for=id_pleasantness_5]").click()
    assert page.evaluate(SEND_AGAIN, "form.card") == 302
    double_tap(page, page.get_by_role("button", name="Save my check-in"))
    expect(page).to_have_url(re.compile(rf"/encounters/{encounter.code}/$"), timeout=15_000)
    page.wait_for_load_state()
    assert CheckIn.objects.filter(person=alice).count() == 1
    assert Encounter.objects.filter(person=alice).count() == 1
    visitor.screenshot("double-tap-checkin")
    visitor.check_accessibility()

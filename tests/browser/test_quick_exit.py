"""Robin shares a phone: discreet mode says nothing revealing, and quick exit leaves nothing
the Back button can reopen."""

import datetime as dt
import re
import time

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from checkins import services as checkins
from softlanding.testing import (
    TRANSACTIONAL_DB,
    discreet_pages,
    make_discreet_world,
    make_person,
    revealing_words,
)

pytestmark = [pytest.mark.browser, TRANSACTIONAL_DB]
ROBINS_NOTE = "a quiet evening, robin's own words"
WEATHER = "https://weather.example/"

# Everything a glance can catch: the tab's title, the text, and the words in attributes.
SEEN = """() => [document.title, document.body.innerText].concat(
  Array.from(document.querySelectorAll(
    "[aria-label],[alt],[title],[placeholder],input[type=submit],input[type=button]"))
    .map((el) => ["aria-label", "alt", "title", "placeholder", "value"]
      .map((name) => el.getAttribute(name) || "").join(" "))
).join(" ")"""


def neutral_site(context):
    """The weather site a quick exit goes to, answered inside the browser (no network)."""
    page = "<!DOCTYPE html><html lang='en'><title>Weather</title><h1>Sunny, 21°</h1></html>"
    context.route(
        WEATHER + "**",
        lambda route: route.fulfill(status=200, content_type="text/html", body=page),
    )


def session_key(page) -> str:
    cookies = page.context.cookies()
    return next(c["value"] for c in cookies if c["name"] == django_settings.SESSION_COOKIE_NAME)


def signed_in_with(key: str) -> bool:
    """Does the server still honour this session cookie? Asked from outside the browser."""
    client = Client()
    client.cookies[django_settings.SESSION_COOKIE_NAME] = key
    return client.get("/settings/").status_code == 200


def wait_until_signed_out(key: str) -> None:
    # A beacon is sent as the page leaves; give it a moment to arrive.
    for _ in range(50):
        if not signed_in_with(key):
            return
        time.sleep(0.1)
    raise AssertionError("the session still works after quick exit")


@pytest.fixture
def robin(live_server, settings):
    settings.QUICK_EXIT_URL = WEATHER
    person = make_person("Robin")
    checkins.log_encounter(
        person,
        occurred_at=timezone.now() - dt.timedelta(hours=2),
        kind="solo",
        note=ROBINS_NOTE,
    )
    return person


# The way back goes through the service worker, and go_back() may return before it has
# arrived: tests poll the URL rather than wait for a navigation event that may have passed.
LOGIN = re.compile(r"/accounts/login/")


def quick_exit(visitor):
    page = visitor.page
    with page.expect_request("**/exit/") as beacon:
        page.get_by_role("button", name="Quick exit").click()
    assert beacon.value.method == "POST"
    page.wait_for_url(WEATHER)
    assert page.title() == "Weather"
    return page


def test_quick_exit_signs_out_and_back_shows_the_sign_in_page(visitor, robin):
    neutral_site(visitor.page.context)
    page = visitor.sign_in(robin)
    page.get_by_role("link", name="Encounters", exact=True).click()
    page.get_by_role("link", name="Solo").first.click()
    assert page.get_by_text(ROBINS_NOTE).is_visible()
    key = session_key(page)
    assert signed_in_with(key)

    quick_exit(visitor)
    wait_until_signed_out(key)
    page.go_back()
    expect(page).to_have_url(LOGIN)
    assert page.get_by_role("button", name="Sign In").is_visible()
    seen = page.evaluate(SEEN)
    assert ROBINS_NOTE not in page.content() and "Robin" not in seen
    visitor.check_accessibility()
    visitor.screenshot("quick-exit-back-shows-sign-in")
    # Back once more: still nothing personal, only the sign-in page again.
    page.go_back()
    page.wait_for_load_state()
    assert ROBINS_NOTE not in page.content()
    assert visitor.go("/settings/").url.startswith(visitor.base_url + "/accounts/login/")


def test_shift_escape_is_a_quick_exit_too(visitor, robin):
    neutral_site(visitor.page.context)
    page = visitor.sign_in(robin)
    key = session_key(page)
    with page.expect_request("**/exit/"):
        page.keyboard.press("Shift+Escape")
    page.wait_for_url(WEATHER)
    wait_until_signed_out(key)
    page.go_back()
    expect(page).to_have_url(LOGIN)


def test_quick_exit_signs_out_without_javascript(visitors, live_server, settings, robin):
    # Without JavaScript the form posts and the server's answer moves on by itself. The live
    # server under another name stands in for the weather site: another origin, as the CSP's
    # form-action would refuse a redirect to one.
    neutral = live_server.url.replace("localhost", "127.0.0.1") + "/ping"
    assert neutral != live_server.url + "/ping"
    settings.QUICK_EXIT_URL = neutral
    # The stand-in for the weather site has no favicon: that 404 in the console is not ours.
    visitor = visitors(java_script_enabled=False, has_touch=False, console_checked=False)
    page = visitor.sign_in(robin)
    page.get_by_role("link", name="Encounters", exact=True).click()
    page.get_by_role("link", name="Solo").first.click()
    key = session_key(page)
    visitor.screenshot("quick-exit-without-javascript-before")
    page.get_by_role("button", name="Quick exit").click()
    page.wait_for_url(neutral)
    assert not signed_in_with(key)
    page.go_back()
    expect(page).to_have_url(LOGIN)
    assert ROBINS_NOTE not in page.content()
    visitor.screenshot("quick-exit-without-javascript-back")


def test_with_sign_out_turned_off_quick_exit_only_leaves(visitor, robin):
    neutral_site(visitor.page.context)
    page = visitor.sign_in(robin)
    page.get_by_role("link", name="Settings").first.click()
    page.get_by_label("Quick exit signs me out").uncheck()
    page.get_by_role("button", name="Save settings").click()
    assert page.get_by_text("Saved.").is_visible()
    robin.refresh_from_db()
    assert robin.quick_exit_signs_out is False

    page.get_by_role("link", name="Encounters", exact=True).click()
    page.evaluate("window.cameFromMemory = true")
    page.get_by_role("link", name="Solo").first.click()
    key = session_key(page)
    quick_exit(visitor)
    # Quick exit replaced the page it left; Back reaches the list before it, still signed in.
    page.go_back()
    page.wait_for_url(visitor.base_url + "/encounters/")
    assert page.get_by_role("button", name="Sign out").is_visible()
    # Fetched again rather than restored from the back-forward cache (no-store pages).
    assert page.evaluate("window.cameFromMemory") is None
    assert signed_in_with(key)
    assert visitor.go("/settings/").url == visitor.base_url + "/settings/"


@pytest.fixture
def discreet_world(live_server, settings, alice, bob):
    # alice in discreet mode, with a connection, a low check-in, an alert and lines in her
    # inbox: every page the scan visits has something to show.
    settings.QUICK_EXIT_URL = WEATHER
    return make_discreet_world(alice, bob)


def test_in_discreet_mode_no_page_shows_a_revealing_word(visitor, alice, discreet_world):
    neutral_site(visitor.page.context)
    page = visitor.sign_in(alice)
    assert page.title() == "Home · Notes"
    assert page.get_by_role("link", name="Entries", exact=True).is_visible()
    assert page.get_by_role("link", name="People").is_visible()
    visitor.screenshot("discreet-dashboard")
    leaks = {}
    for path in discreet_pages(discreet_world):
        visitor.go(path)
        found = revealing_words(page.evaluate(SEEN))
        if found:
            leaks[path] = found
    assert leaks == {}
    visitor.go(discreet_pages(discreet_world)[3])
    visitor.screenshot("discreet-entry")
    visitor.check_accessibility()

    quick_exit(visitor)
    page.go_back()
    expect(page).to_have_url(LOGIN)
    # Nor does its address name the page Back went to (no ?next=/encounters/…).
    assert page.url == visitor.base_url + "/accounts/login/"
    # The device remembers discreet mode: even the sign-in page wears the neutral name.
    assert page.title().endswith("· Notes")
    assert revealing_words(page.evaluate(SEEN)) == []
    visitor.screenshot("discreet-after-quick-exit-back")
    # The home address, where signing out lands, is the same neutral sign-in page.
    visitor.go("/")
    assert page.url == visitor.base_url + "/accounts/login/"
    assert revealing_words(page.evaluate(SEEN)) == []

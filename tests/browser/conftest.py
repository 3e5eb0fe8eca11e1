"""Real Chromium (Debian's, never a downloaded one) driven by Playwright against a live server."""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core.cache import cache
from playwright.sync_api import sync_playwright

from softlanding.testing import PASSWORD

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "test-results"
PHONE = {"width": 390, "height": 844}
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(tmp_path_factory):
    """The live server's SQLite databases are files, as in production: an in-memory database
    with a shared cache makes a second writer fail at once with "table is locked" instead of
    waiting its turn behind the busy timeout, so a double tap would fail only in tests."""
    folder = tmp_path_factory.mktemp("databases")
    for alias, database in settings.DATABASES.items():
        if database["ENGINE"].endswith("sqlite3"):
            database.setdefault("TEST", {})["NAME"] = str(folder / f"{alias}.sqlite3")


@pytest.fixture(scope="session")
def chromium():
    # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make
    # are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=ARGS,
        )
        yield browser
        browser.close()


class Visitor:
    """A page plus what the tests need around it: CSP reports, axe, screenshots."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.console_problems: list[str] = []
        self.axe = Axe()
        self.checked: set[str] = set()
        page.on("console", self._console)

    def _console(self, message):
        text = message.text
        if message.type == "error" or "Content Security Policy" in text:
            self.console_problems.append(text)

    def go(self, path):
        self.page.goto(self.base_url + path)
        return self.page

    def fill_sign_up(self, email, start="/accounts/signup/"):
        """The sign-up form filled in as a person would, not sent yet."""
        page = self.go(start)
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password:", exact=True).fill(PASSWORD)
        page.get_by_label("Password (again)").fill(PASSWORD)
        return page

    def sign_up(self, email):
        """Sign-up, consent and "Not now" on the reach-you step: the page lands on the
        dashboard."""
        page = self.fill_sign_up(email)
        page.get_by_role("button", name="Sign Up").click()
        page.wait_for_url("**/consent/")
        page.get_by_label("I am 18 or over.").check()
        page.get_by_label("I agree that").check()
        page.get_by_role("button", name="I agree").click()
        page.wait_for_url("**/reach/")
        page.get_by_role("button", name="Not now").click()
        page.wait_for_url(self.base_url + "/")
        return page

    def sign_in(self, person):
        """Through the sign-in form, as a person would; the page lands on the dashboard."""
        page = self.go("/accounts/login/")
        page.get_by_label("Email").fill(person.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign In").click()
        page.wait_for_url(self.base_url + "/")
        return page

    def check_accessibility(self):
        """axe-core on the page as it is now; each distinct path once."""
        path = self.page.url.split("?")[0]
        results = self.axe.run(self.page)
        assert results.violations_count == 0, f"{path}:\n{results.generate_report()}"
        self.checked.add(path)

    def screenshot(self, name, *, full_page=True):
        SHOTS.mkdir(exist_ok=True)
        self.page.screenshot(path=SHOTS / f"{name}.png", full_page=full_page)


@pytest.fixture(autouse=True)
def fresh_rate_limits(transactional_db):
    """Every test's visitors come from 127.0.0.1: without this, the sign-ups of earlier tests
    would count against a later one's (allauth keeps its counts in the cache, which a
    transactional test's flush leaves alone)."""
    cache.clear()


@pytest.fixture
def visitors(chromium, live_server, settings):
    """Make as many separate people (browser contexts, no shared cookies) as a test needs."""
    # Links in e-mails and notifications lead to this server, as `make run` sets them to its own.
    settings.SITE_URL = live_server.url
    made = []

    def make(*, console_checked=True, **options):
        """A phone-sized visitor; ``options`` go to the browser context (no JavaScript…).
        Its console must stay free of errors unless ``console_checked`` is off."""
        options = {"has_touch": True} | options
        context = chromium.new_context(
            viewport=PHONE, device_scale_factor=2, is_mobile=True, **options
        )
        page = context.new_page()
        page.set_default_timeout(10_000)
        made.append((context, Visitor(page, live_server.url), console_checked))
        return made[-1][1]

    yield make
    for context, visitor, console_checked in made:
        context.close()
        if console_checked:
            assert visitor.console_problems == [], visitor.console_problems


@pytest.fixture
def visitor(visitors):
    return visitors()


@pytest.fixture
def installing_visitors(chromium, live_server, settings, tmp_path):
    """Phones whose browser keeps a profile on disk. Every other visitor's context is like a
    private window, and Chromium installs no app from one (its check says "in-incognito").
    ``options`` go to the browser context (a time zone, permissions…)."""
    settings.SITE_URL = live_server.url
    made = []

    def make(**options):
        context = chromium.browser_type.launch_persistent_context(
            tmp_path / f"profile-{len(made)}",
            executable_path=CHROMIUM,
            args=ARGS,
            viewport=PHONE,
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
            **options,
        )
        page = context.pages[0] if context.pages else context.new_page()
        page.set_default_timeout(10_000)
        made.append((context, Visitor(page, live_server.url)))
        return made[-1][1]

    yield make
    for context, visitor in made:
        context.close()
        assert visitor.console_problems == [], visitor.console_problems


@pytest.fixture
def installing_visitor(installing_visitors):
    return installing_visitors()

"""In German, Spanish and French on a phone: a browser asking for the language signs up in it,
and the main pages (dashboard, check-in, drop response, partners, settings) show no English
sentence of the catalogue, pass axe, and carry the language on <html lang>. The person's
language is saved at sign-up and their choice in settings wins over the browser's."""

import re

import pytest

from accounts.models import Person
from softlanding import catalogue_files as po
from softlanding.testing import PASSWORD, TRANSACTIONAL_DB

pytestmark = [pytest.mark.browser, TRANSACTIONAL_DB]

BROWSER_LOCALE = {"de": "de-DE", "es": "es-ES", "fr": "fr-FR"}
# A fragment of a source sentence must be this long to count as "an English sentence":
# short labels ("OK", "Notes", "Instagram") are the same in several languages.
SENTENCE = re.compile(r"\w+(?:\W+\w+){2,}")


def english_sentences(language: str) -> list[str]:
    """The catalogue's source sentences whose translation differs from them, cut at their
    placeholders and tags into the pieces that would show on a page."""
    found = set()
    for message in po.read(po.catalogue_path(language))[1:]:
        if message.context or message.translations[0] == message.msgid:
            continue
        for piece in re.split(rf"{po.PLACEHOLDER.pattern}|<[^>]+>|\n", message.msgid):
            piece = piece.strip(" .,:;!?…—-()\"'")
            if len(piece) >= 16 and SENTENCE.fullmatch(piece):
                found.add(piece)
    return sorted(found, key=len, reverse=True)


class Walk:
    def __init__(self, visitor, language):
        self.visitor, self.page, self.language = visitor, visitor.page, language
        self.english = english_sentences(language)

    def check(self, name):
        page = self.page
        assert page.locator("html").get_attribute("lang") == self.language
        text = " ".join(page.locator("body").inner_text().split())
        left = [sentence for sentence in self.english if sentence in text]
        assert left == [], f"{name}: English left on the page: {left}"
        self.visitor.check_accessibility()
        self.visitor.screenshot(f"{self.language}-{name}")

    def submit(self, form="form.card:visible"):
        self.page.locator(f"{form} button[type=submit]").first.click()


@pytest.mark.parametrize("language", sorted(BROWSER_LOCALE))
def test_signing_up_and_walking_the_main_pages_in_the_browser_language(visitors, language):
    visitor = visitors(locale=BROWSER_LOCALE[language])
    walk = Walk(visitor, language)
    page = visitor.go("/accounts/signup/")
    walk.check("sign-up")
    page.locator("#id_email").fill(f"{language}@example.org")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("form[action$='/accounts/signup/'] button[type=submit]").click()
    page.wait_for_url("**/consent/")
    walk.check("consent")
    page.locator("#id_adult").check()
    page.locator("#id_agree").check()
    page.locator("form:has(#id_agree) button[type=submit]").click()
    page.wait_for_url("**/reach/")
    walk.check("reach")
    page.locator("form.reach-later button[type=submit]").click()
    page.wait_for_url(visitor.base_url + "/")
    assert Person.objects.get(email=f"{language}@example.org").language == language
    walk.check("dashboard")

    visitor.go("/encounters/new/")
    page.locator("label[for=id_kind_0]").click()
    walk.check("encounter")
    walk.submit()
    page.wait_for_url("**/checkin/")
    walk.check("checkin")
    page.locator("label[for=id_pleasantness_0]").click()
    page.locator("#id_wants_care").check()
    walk.submit()
    page.locator(".crisis").first.wait_for()
    walk.check("drop-response")

    visitor.go("/partners/")
    walk.check("partners")
    visitor.go("/settings/")
    walk.check("settings")

    # The person's choice wins over the browser's from then on, on every page.
    chosen = "fr" if language != "fr" else "de"
    page.locator("#id_language").select_option(chosen)
    walk.submit()
    page.wait_for_load_state()
    visitor.go("/")
    assert page.locator("html").get_attribute("lang") == chosen
    assert Person.objects.get(email=f"{language}@example.org").language == chosen

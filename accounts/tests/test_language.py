"""The language: the browser's before sign-in, the one a person signed up in after, and their
own choice (settings page or API) from then on; dates, numbers and plurals in its forms."""

import datetime as dt
import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext

from accounts.models import Person
from lib.dates import when
from softlanding.testing import DB, PASSWORD, bearer

pytestmark = DB


def lang_of(response) -> str:
    found = re.search(r'<html lang="([^"]+)"', response.content.decode())
    assert found, response.content[:200]
    return found.group(1)


def in_language(language: str, text: str) -> str:
    with translation.override(language):
        return gettext(text)


@pytest.mark.parametrize("language", ["de", "es", "fr"])
def test_before_sign_in_the_page_speaks_the_browser_language(client, language):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=f"{language}-XX,en;q=0.5")
    assert lang_of(response) == language
    words = in_language(language, "Quick exit")
    assert words != "Quick exit" and words in response.content.decode()


def test_a_language_we_do_not_have_falls_back_to_english(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="ja-JP")
    assert lang_of(response) == "en"


def test_signing_up_keeps_the_language_the_page_spoke(client):
    client.post(
        "/accounts/signup/",
        {"email": "river@example.org", "password1": PASSWORD, "password2": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9",
    )
    assert Person.objects.get(email="river@example.org").language == "es"


def test_after_sign_in_the_persons_choice_wins_over_the_browser(client, alice):
    alice.language = "fr"
    alice.save()
    client.force_login(alice)
    assert lang_of(client.get("/", HTTP_ACCEPT_LANGUAGE="de")) == "fr"


def test_the_choice_on_the_settings_page(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("accounts:settings"),
        {
            "display_name": "Alice",
            "time_zone": "Europe/Berlin",
            "language": "de",
            "quiet_hours_start": "22:00",
            "quiet_hours_end": "08:00",
        },
    )
    assert response.status_code == 302
    assert lang_of(client.get("/")) == "de"
    page = client.get(reverse("accounts:settings")).content.decode()
    assert '<option value="de" selected>Deutsch</option>' in page


def test_the_choice_through_the_api(client, alice):
    api = bearer(alice)
    body = client.patch(
        "/api/v1/me", {"language": "es"}, content_type="application/json", **api
    ).json()
    assert body["language"] == "es"
    client.force_login(alice)
    assert lang_of(client.get("/")) == "es"
    refused = client.patch("/api/v1/me", {"language": "xx"}, content_type="application/json", **api)
    assert refused.status_code == 422 and isinstance(refused.json()["detail"], str)


def test_dates_numbers_and_plurals_take_the_languages_forms():
    moment = dt.datetime(2026, 12, 4, 17, 30)
    expected = {
        "en": "Fri 4 Dec, 17:30",
        "de": "Fr., 4. Dez., 17:30",
        "es": "vie 4 dic, 17:30",
        "fr": "ven 4 déc, 17:30",
    }
    for language, written in expected.items():
        with translation.override(language):
            assert when(moment, "day_time") == written
    with translation.override("es"):
        assert when(moment, "long_day_time") == "viernes 4 de diciembre, 17:30"
    number = Template("{{ value }}")
    with translation.override("de"):
        assert number.render(Context({"value": 4.5})) == "4,5"
        one = ngettext("Ask me in %(hours)s hour", "Ask me in %(hours)s hours", 1)
        three = ngettext("Ask me in %(hours)s hour", "Ask me in %(hours)s hours", 3)
        assert one != three and "Stunde" in one and "Stunden" in three
    with translation.override("fr"):
        # French counts 0 with the singular; German and English with the plural.
        assert ngettext("%(n)s month", "%(n)s months", 0) == ngettext(
            "%(n)s month", "%(n)s months", 1
        )


@pytest.mark.parametrize(
    ("language", "words"), [("fr", "3 heures après"), ("de", "24 Stunden später")]
)
def test_the_settings_page_words_the_follow_up_hours_in_the_persons_language(
    client, alice, language, words
):
    alice.language = language
    alice.save()
    client.force_login(alice)
    page = client.get(reverse("accounts:settings")).content.decode()
    assert words in page and "hours later" not in page

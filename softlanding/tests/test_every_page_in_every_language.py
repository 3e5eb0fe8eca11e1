"""Every main page, with something on it, read in German, Spanish and French (in discreet mode
too, where no revealing word of that language may show either): no English is left on it.
The catalogue test proves each message is translated; this one catches words that never
reached the catalogue (a literal in a template or a view) and labels computed once at import,
in whatever language was active then."""

import re

import pytest
from django.urls import reverse

from partners import guests
from softlanding.catalogue_files import translated_languages
from softlanding.testing import (
    DB,
    discreet_pages,
    make_discreet_world,
    revealing_words,
    visible_text,
)

pytestmark = DB

# Words every English sentence has and none of the three languages uses.
ENGLISH = re.compile(
    r"\b(the|your|you|and|with|what|this|that|when|here|there|again|please|of|to|for|is|are)\b"
)
# Names that are the same in every language: the people, the app, the directory of helplines,
# and the time zones' own identifiers ("Europe/Isle_of_Man"), which the settings page lists.
NAMES = re.compile(r"Soft Landing|Find A Helpline|Alice|Bob")
ZONE_LIST = re.compile(r'<select name="time_zone".*?</select>', re.DOTALL)


@pytest.mark.parametrize("language", translated_languages())
@pytest.mark.parametrize("discreet", [False, True])
def test_no_english_left_on_any_main_page(client, alice, bob, language, discreet):
    world = make_discreet_world(alice, bob)
    alice.language, alice.discreet_mode = language, discreet
    alice.save()
    client.force_login(alice)
    pages = [*discreet_pages(world), reverse("insights:insights"), reverse("care:card")]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        page = ZONE_LIST.sub("", response.content.decode())
        text = NAMES.sub("", visible_text(page))
        found = sorted({match.group(0) for match in ENGLISH.finditer(text)})
        assert found == [], f"{path}: {found} in {text[:3000]}"
        if discreet:  # and nothing revealing in this language either
            revealing = revealing_words(text)
            assert revealing == [], f"{path}: {revealing} in {text[:3000]}"


@pytest.mark.parametrize("language", translated_languages())
def test_a_guest_reads_the_link_and_the_care_for_a_low_answer_in_their_browser_language(
    client, alice, language
):
    alice.country = "GB"
    alice.save()
    _link, secret = guests.create_link(alice)
    path = reverse("partners:guest", args=[secret])
    browser = {"HTTP_ACCEPT_LANGUAGE": f"{language},en;q=0.3"}
    for response in (
        client.get(path, **browser),
        client.post(path, {"feeling": "2", "wants_care": "on"}, **browser),
    ):
        assert response.status_code == 200
        text = NAMES.sub("", visible_text(response.content.decode()))
        assert sorted({m.group(0) for m in ENGLISH.finditer(text)}) == [], text[:3000]
        assert not response.cookies  # a guest keeps nothing of ours, not even a language
    assert "tel:116123" in response.content.decode()  # the care a low guest gets

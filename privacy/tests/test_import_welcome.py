"""The words after an import count what came, in the person's language, one or many."""

import io
import json

import pytest
from django.test import Client
from django.urls import reverse

from privacy import export
from softlanding.testing import DB, make_checkin, make_encounter, make_person, sign_in

pytestmark = DB


def _import(person, document) -> str:
    client = Client()
    sign_in(client, person)
    upload = io.BytesIO(json.dumps(document).encode())
    upload.name = "export.json"
    page = client.post(reverse("privacy:import"), {"file": upload}, follow=True)
    return page.content.decode()


@pytest.mark.parametrize(
    ("language", "discreet", "one", "many"),
    [
        ("en", False, "1 encounter and 2 check-ins", "2 encounters and 1 check-in"),
        ("en", True, "1 entry and 2 check-ins", "2 entries and 1 check-in"),
        ("de", False, "1 Begegnung und 2 Check-ins", "2 Begegnungen und 1 Check-in"),
        ("fr", True, "1 entrée et 2 check-ins", "2 entrées et 1 check-in"),
    ],
)
def test_one_and_many_in_the_persons_words(language, discreet, one, many):
    source = make_person("Source")
    met = make_encounter(source)
    make_checkin(source, met, pleasantness=5)
    make_checkin(source, met, pleasantness=4)
    first = export.build_document(source)
    make_checkin(source, pleasantness=3)  # a second encounter with one check-in
    second = export.build_document(source)
    second["checkins"] = second["checkins"][:1]
    for name, document, expected in (("One", first, one), ("Many", second, many)):
        person = make_person(name, language=language, discreet_mode=discreet)
        assert expected in _import(person, document)

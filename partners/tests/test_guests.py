import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from partners import guests
from partners.models import GuestAnswer, GuestLink
from softlanding.testing import DB

pytestmark = DB


def test_a_guest_answers_once_without_an_account_and_without_cookies(client, alice):
    _link, secret = guests.create_link(alice, nickname="from the party")
    url = reverse("partners:guest", args=[secret])
    page = client.get(url)
    assert page.status_code == 200
    assert "deleted after 30 days" in page.content.decode()
    response = client.post(
        url,
        {"feeling": "6", "message": "Had a lovely time, a bit tired.", "wants_to_hear_back": "on"},
    )
    assert response.status_code == 200
    assert "on its way" in response.content.decode()
    assert not response.cookies and not page.cookies
    answer = GuestAnswer.objects.get()
    assert (answer.person, answer.feeling, answer.wants_to_hear_back) == (alice, 6, True)
    assert answer.message == "Had a lovely time, a bit tired."
    assert client.post(url, {"feeling": "2"}).status_code == 404
    assert GuestAnswer.objects.count() == 1


def test_the_answer_reaches_only_the_person_who_made_the_link(client, alice, bob):
    _link, secret = guests.create_link(alice)
    guests.answer(secret, feeling=5, message="thank you", wants_to_hear_back=False)
    client.force_login(bob)
    assert "thank you" not in client.get(reverse("partners:guest_links")).content.decode()
    client.force_login(alice)
    assert "thank you" in client.get(reverse("partners:guest_links")).content.decode()


def test_a_link_expires_after_72_hours(alice):
    _link, secret = guests.create_link(alice)
    later = timezone.now() + dt.timedelta(hours=72, minutes=1)
    with time_machine.travel(later), pytest.raises(ValidationError):
        guests.answer(secret, feeling=None, message="", wants_to_hear_back=False)


def test_answers_are_deleted_after_30_days(alice):
    _link, secret = guests.create_link(alice)
    guests.answer(secret, feeling=4, message="x", wants_to_hear_back=False)
    assert guests.purge(timezone.now() + dt.timedelta(days=29)) == 0
    guests.purge(timezone.now() + dt.timedelta(days=31))
    assert not GuestLink.objects.exists()
    assert not GuestAnswer.objects.exists()

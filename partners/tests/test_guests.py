import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from notify.models import Notification
from partners import guests
from partners.models import GuestAnswer, GuestLink
from softlanding.testing import DB, visible_text

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


def test_a_second_tab_or_a_late_answer_loses_nothing_and_still_gets_care(client, alice):
    """Sam answered in one tab, then wrote more in another; or the link expired while they
    typed. Nothing more is kept, but their words come back to them, and a low answer gets
    the care a low answer gets."""
    _link, secret = guests.create_link(alice)
    url = reverse("partners:guest", args=[secret])
    client.post(url, {"feeling": "5"})
    words = "Actually I've been crying since I got home & I don't know why <3"
    late = client.post(
        url,
        {"feeling": "1", "message": words, "wants_to_hear_back": "on"},
        HTTP_ACCEPT_LANGUAGE="en-GB",
    )
    page = late.content.decode()
    assert late.status_code == 404
    assert "This link doesn't work" in page
    shown = "Actually I&#x27;ve been crying since I got home &amp; I don&#x27;t know why &lt;3"
    assert shown in page
    assert "tel:116123" in page  # the care a low answer gets, for the browser's region
    assert not late.cookies
    assert GuestAnswer.objects.count() == 1
    # A mistyped link, a plain visit: the same page, no care needed, nothing shown back.
    mistyped = client.get(reverse("partners:guest", args=["x" * 32]))
    assert mistyped.status_code == 404
    assert "went missing when it was copied" in mistyped.content.decode()
    assert "were not sent" not in mistyped.content.decode()


def test_a_late_answer_gets_the_lines_of_the_makers_country(client, alice):
    alice.country = "NZ"
    alice.save()
    _link, secret = guests.create_link(alice)
    url = reverse("partners:guest", args=[secret])
    client.post(url, {"feeling": "5"})
    page = client.post(url, {"feeling": "1"}, HTTP_ACCEPT_LANGUAGE="en-GB").content.decode()
    assert "tel:1737" in page and "tel:116123" not in page


def test_the_maker_reads_a_low_answer_in_words_not_only_in_dots(client, alice):
    for feeling in ("1", "4", "7"):
        answer_as_guest(client, alice, {"feeling": feeling})
    client.force_login(alice)
    page = visible_text(client.get(reverse("partners:guest_links")).content.decode())
    # visible_text reads the dots' label too ("felt 1 of 7").
    assert "felt 7 of 7 Really good" in page and "felt 1 of 7 Really not good" in page
    assert "felt 4 of 7 They" in page  # the middle needs no words
    assert page.count("How they feel:") == 3


def answer_as_guest(client, person, data):
    _link, secret = guests.create_link(person)
    return client.post(reverse("partners:guest", args=[secret]), data)


@pytest.mark.parametrize(
    "low",
    [{"feeling": "2"}, {"feeling": "5", "feelings": ["lonely"]}, {"wants_care": "on"}],
    ids=["very low", "a low feeling word", "asking for care"],
)
def test_a_guest_who_answers_low_gets_grounding_and_the_makers_country_lines(client, alice, low):
    alice.country = "GB"
    alice.save()
    response = answer_as_guest(client, alice, low)
    page = response.content.decode()
    assert response.status_code == 200
    assert "on its way" in page
    assert "A minute to ground yourself" in page
    assert "Samaritans" in page and 'href="tel:116123"' in page
    assert 'href="https://findahelpline.com"' in page
    assert '<option value="GB" selected>' in page
    assert "Set-Cookie" not in response.serialize_headers().decode()
    assert not response.cookies


def test_without_the_makers_country_the_guests_browser_region_chooses_the_lines(client, alice):
    """The person who sent the link never said where they live: the guest's browser does
    ("en-GB"), so a line of their own country is on the first screen, not a picker below."""
    assert not alice.country
    _link, secret = guests.create_link(alice)
    response = client.post(
        reverse("partners:guest", args=[secret]),
        {"feeling": "1"},
        HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8",
    )
    page = response.content.decode()
    assert "Samaritans" in page and '<option value="GB" selected>' in page
    assert not response.cookies
    # A language without a region says nothing of a country: the directory, as before.
    _link, secret = guests.create_link(alice)
    plain = client.post(
        reverse("partners:guest", args=[secret]), {"feeling": "1"}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Samaritans" not in plain and 'href="https://findahelpline.com"' in plain


def test_a_guest_who_answers_well_just_gets_thanks(client, alice):
    page = answer_as_guest(client, alice, {"feeling": "6", "feelings": ["calm"]}).content
    assert b"on its way" in page
    assert b"ground yourself" not in page
    assert b"Samaritans" not in page


def test_feeling_words_and_asking_for_care_are_not_kept(client, alice):
    answer_as_guest(client, alice, {"feelings": ["tearful"], "wants_care": "on", "message": ""})
    answer = GuestAnswer.objects.get()
    assert (answer.feeling, answer.message, answer.wants_to_hear_back) == (None, "", False)


def test_a_guest_can_pick_another_countrys_lines_by_get_without_a_cookie(client):
    response = client.get(reverse("partners:guest_care"), {"country": "DE"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "TelefonSeelsorge" in page
    assert '<option value="DE" selected>' in page
    assert "Find A Helpline" in page
    assert "Set-Cookie" not in response.serialize_headers().decode()


def test_another_country_gets_the_international_directory(client):
    page = client.get(reverse("partners:guest_care"), {"country": ""}).content.decode()
    assert "Find a helpline where you are" in page
    assert "findahelpline.com" in page


def test_a_country_not_on_the_list_gets_the_directory_and_nothing_logged(client, caplog):
    response = client.get(reverse("partners:guest_care"), {"country": "<b>XX"})
    assert response.status_code == 200
    assert b"findahelpline.com" in response.content
    assert b'<option value="" selected>' in response.content
    assert b"<b>XX" not in response.content and b"XX" not in response.content
    assert "XX" not in caplog.text


def test_the_maker_finds_a_discreet_inbox_line_that_leads_to_the_answer(client, alice, bob):
    link, secret = guests.create_link(alice, nickname="from the party")
    guests.answer(secret, feeling=1, message="rough night", wants_to_hear_back=True)
    notification = Notification.objects.get(kind=Notification.Kind.GUEST_ANSWER)
    assert notification.person == alice
    client.force_login(alice)
    inbox = client.get(reverse("notify:inbox")).content.decode()
    assert "Someone answered your check-in link and would like to hear back." in inbox
    assert "rough night" not in inbox
    opened = client.get(reverse("notify:open", args=[notification.code]))
    assert opened["Location"] == reverse("partners:guest_links") + f"#answer-{link.code}"
    assert f'id="answer-{link.code}"' in client.get(opened["Location"]).content.decode()
    client.force_login(bob)
    assert client.get(reverse("notify:open", args=[notification.code])).status_code == 404


def test_no_inbox_line_when_the_answer_is_refused(alice):
    _link, secret = guests.create_link(alice)
    with pytest.raises(ValidationError):
        guests.answer(secret, feeling=9, message="", wants_to_hear_back=False)
    assert not Notification.objects.exists()


def test_the_inbox_api_says_only_that_someone_answered(client, alice):
    _link, secret = guests.create_link(alice, nickname="from the party")
    guests.answer(secret, feeling=1, message="rough night", wants_to_hear_back=False)
    client.force_login(alice)
    listed = client.get("/api/v1/inbox").json()
    assert listed["unread"] == 1
    [line] = listed["items"]
    assert (line["kind"], line["text"]) == ("guest_answer", "Someone answered your check-in link.")
    assert "rough night" not in str(listed) and "party" not in str(listed)

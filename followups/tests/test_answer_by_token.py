"""Answering a follow-up from its notification: the single-use token, the API the service
worker posts to, and the page an e-mail's buttons open — each counted as an answer in the app.
"""

import datetime as dt
import email
import hashlib
import json
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alerts.models import Alert
from consent.services import withdraw_consent
from followups import by_token, dispatcher
from followups import services as followups
from followups.models import AnswerToken, FollowUp, FollowUpEvent, FollowUpState
from notify import services as channels
from notify import webpush
from notify.models import Delivery, Notification
from softlanding import far_ends
from softlanding.far_ends import Browser, text_of, wait_for
from softlanding.testing import (
    DB,
    NO_QUIET,
    bearer,
    make_connection,
    make_encounter,
    make_person,
    revealing_words,
)

pytestmark = DB
ANSWER_API = "/api/v1/follow-ups/answer-with-token"
NOTE = "canary-note-7f3a the night at the lake"


@pytest.fixture
def alice(db):
    return make_person("Alice", password=None, **NO_QUIET)


def due_followups(person, *, hours_ago: float = 4) -> list[FollowUp]:
    """An encounter whose first follow-up is asked at once; the rest of its series ahead."""
    make_encounter(person, hours_ago=hours_ago, note=NOTE)
    return list(FollowUp.objects.filter(person=person).order_by("due_at"))


def send_due(now: dt.datetime | None = None) -> None:
    """What the dispatcher and the task worker do: deliver what is due to every channel."""
    with time_machine.travel(now or timezone.now(), tick=False):
        worker = dispatcher.worker_name()
        dispatcher.deliver(worker, dispatcher.claim(worker))
    for pk in Delivery.objects.filter(status="pending").values_list("pk", flat=True):
        channels.send_delivery.call(pk)


def issue_for(followup: FollowUp) -> str:
    token = by_token.issue(followup)
    assert token is not None
    return token


def post(client: Client, token: str, answer: str = "ok"):
    return client.post(
        ANSWER_API, {"token": token, "answer": answer}, content_type="application/json"
    )


# -- The token --------------------------------------------------------------------------


def test_only_a_hash_of_the_token_is_kept(alice):
    followup = due_followups(alice)[0]
    token = issue_for(followup)
    [kept] = AnswerToken.objects.filter(followup=followup)
    assert kept.digest == hashlib.sha256(token.encode()).hexdigest()
    stored = AnswerToken.objects.filter(pk=kept.pk).values_list(flat=False).get()
    assert not any(token in str(value) for value in stored)


def test_ok_answers_its_follow_up_once_as_the_app_would(alice):
    first = due_followups(alice)[0]
    token = issue_for(first)

    done = by_token.answer_with_token(token, by_token.OK)

    first.refresh_from_db()
    assert first.state == FollowUpState.ANSWERED and first.answered_ok is True
    assert done.checkin.person == alice and not done.checkin.raised_drop
    assert first.checkin == done.checkin
    assert first.events.filter(reason=FollowUpEvent.Reason.ANSWERED).count() == 1
    with pytest.raises(by_token.Refused) as refused:
        by_token.answer_with_token(token, by_token.OK)
    assert refused.value.reason == by_token.ANSWERED
    assert FollowUp.objects.get(pk=first.pk).checkin == done.checkin


def test_a_token_answers_only_its_own_follow_up(alice):
    mine = due_followups(alice)
    bobs = make_person("Bobby", password=None, **NO_QUIET)
    theirs = due_followups(bobs)[0]
    token = issue_for(mine[0])

    by_token.answer_with_token(token, by_token.OK)

    assert [f.state for f in FollowUp.objects.filter(pk__in=[m.pk for m in mine[1:]])] == [
        FollowUpState.SCHEDULED
    ] * (len(mine) - 1)
    theirs.refresh_from_db()
    assert theirs.state == FollowUpState.SCHEDULED and theirs.checkin is None


@pytest.mark.parametrize(
    ("close", "reason"),
    [
        (lambda f: followups.answer(f), by_token.ANSWERED),
        (lambda f: followups.skip(f), by_token.PASSED),
        (lambda f: withdraw_consent(f.person), by_token.PASSED),
    ],
    ids=["answered-in-the-app", "skipped", "consent-withdrawn"],
)
def test_a_token_expires_when_its_follow_up_closes(alice, close, reason):
    followup = due_followups(alice)[0]
    token = issue_for(followup)
    close(followup)
    with pytest.raises(by_token.Refused) as refused:
        by_token.answer_with_token(token, by_token.OK)
    assert refused.value.reason == reason
    with pytest.raises(by_token.Refused):
        by_token.check(token)


def test_a_token_expires_when_its_follow_up_passes_unanswered(alice):
    followup = due_followups(alice)[0]
    send_due()
    token = issue_for(FollowUp.objects.get(pk=followup.pk))
    followups.mark_missed(timezone.now() + followups.MISSED_AFTER + dt.timedelta(minutes=1))
    with pytest.raises(by_token.Refused) as refused:
        by_token.answer_with_token(token, by_token.NOT_GOOD)
    assert refused.value.reason == by_token.PASSED
    assert FollowUp.objects.get(pk=followup.pk).checkin is None


def test_no_token_is_made_for_a_follow_up_that_no_longer_waits(alice):
    followup = due_followups(alice)[0]
    followups.skip(followup)
    followup.refresh_from_db()
    assert by_token.issue(followup) is None


def test_an_unknown_a_malformed_or_a_deactivated_persons_token_answers_nothing(alice):
    followup = due_followups(alice)[0]
    token = issue_for(followup)
    for wrong in ("", "x" * 500, token[:-1], token.upper()):
        with pytest.raises(by_token.Refused) as refused:
            by_token.answer_with_token(wrong, by_token.OK)
        assert refused.value.reason == by_token.GONE
    alice.is_active = False
    alice.save()
    with pytest.raises(by_token.Refused):
        by_token.answer_with_token(token, by_token.OK)
    assert FollowUp.objects.get(pk=followup.pk).state == FollowUpState.SCHEDULED


def test_two_ok_from_notifications_end_the_series_early(alice):
    first, second, *rest = due_followups(alice)  # at once, +24 h, +48 h
    assert rest, "the series goes on after the two"
    by_token.answer_with_token(issue_for(first), by_token.OK)
    by_token.answer_with_token(issue_for(second), by_token.OK)
    for row in FollowUp.objects.filter(pk__in=[r.pk for r in rest]):
        assert row.state == FollowUpState.CANCELLED
        assert row.events.last().reason == FollowUpEvent.Reason.TWO_OK


def test_not_so_good_raises_the_drop_signal_and_tells_automatically(alice):
    bob = make_person("Bob", password=None)
    connection = make_connection(alice, bob)
    connection.sides.filter(person=alice).update(share_drop_alerts=True)
    alice.tell_automatically = True
    alice.save()
    followup = due_followups(alice)[0]

    done = by_token.answer_with_token(issue_for(followup), by_token.NOT_GOOD)

    assert done.checkin.raised_drop
    followup.refresh_from_db()
    assert followup.answered_ok is False
    alert = Alert.objects.get(checkin=done.checkin)
    assert alert.automatic
    assert Notification.objects.filter(person=bob, kind="drop_alert").exists()


def test_old_tokens_are_forgotten(alice):
    followup = due_followups(alice)[0]
    issue_for(followup)
    assert by_token.forget_old_tokens(timezone.now() + dt.timedelta(days=6)) == 0
    assert by_token.forget_old_tokens(timezone.now() + by_token.KEEP_FOR + dt.timedelta(1)) == 1


# -- The API the service worker posts to ---------------------------------------------------


def test_the_api_answers_without_a_cookie_or_a_csrf_token(alice):
    followup = due_followups(alice)[0]
    token = issue_for(followup)
    client = Client(enforce_csrf_checks=True)

    response = post(client, token, "ok")

    assert response.status_code == 201, response.content
    assert response.json() == {
        "answered_ok": True,
        "open": None,
        "title": "Soft Landing",
        "body": "Good to hear. Thank you for letting us know.",
        # What is still waiting, for the installed app's badge: this one no longer.
        "waiting": FollowUp.objects.for_person(alice).waiting().count(),
    }
    assert not FollowUp.objects.for_person(alice).waiting().filter(pk=followup.pk).exists()
    assert not response.cookies  # no session, nothing left on the device
    again = post(client, token, "ok")
    assert again.status_code == 410
    assert "already answered" in again.json()["detail"]


def test_the_api_says_where_the_drop_response_is_after_not_so_good(alice):
    followup = due_followups(alice)[0]
    response = post(Client(), issue_for(followup), "not_good")
    assert response.status_code == 201
    followup.refresh_from_db()
    assert response.json()["answered_ok"] is False
    assert response.json()["open"] == reverse(
        "checkins:checkin_detail", args=[followup.checkin.code]
    )


def test_the_confirmation_of_a_discreet_person_wears_the_neutral_name(alice):
    alice.discreet_mode = True
    alice.save()
    response = post(Client(), issue_for(due_followups(alice)[0]), "ok")
    assert response.json()["title"] == "Notes"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"token": "not-a-token", "answer": "ok"}, 404),
        ({"token": "x" * 101, "answer": "ok"}, 422),
        ({"token": "abc", "answer": "maybe"}, 422),
        ({"token": "abc"}, 422),
        ({"token": 12, "answer": "ok"}, 422),
        ({"token": "abc", "answer": "ok", "followup": "x"}, 422),
        ("not json", 400),
    ],
)
def test_bad_input_gets_a_json_detail_never_a_server_error(alice, body, status):
    data = body if isinstance(body, str) else json.dumps(body)
    response = Client().post(ANSWER_API, data, content_type="application/json")
    assert response.status_code == status, response.content
    assert response.json()["detail"]


def test_the_token_opens_nothing_else(alice):
    followup = due_followups(alice)[0]
    token = issue_for(followup)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert Client().get("/api/v1/me", **headers).status_code == 401
    assert Client().get(f"/api/v1/follow-ups/{followup.code}", **headers).status_code == 401
    # A signed-in stranger's session gives the token nothing more either.
    assert Client().get(reverse("checkins:followup", args=[followup.code])).status_code == 302
    assert Client().get("/api/v1/me", **bearer(alice)).status_code == 200


# -- The e-mail's buttons --------------------------------------------------------------------


def buttons_in(raw: str) -> dict[str, str]:
    """The answer links of an e-mail, by their label, as the text part lists them."""
    text = text_of(raw).replace("\r\n", "\n")
    return {
        label: link
        for label, link in re.findall(r"^(I'm OK|Not so good):\n(http\S+)$", text, re.MULTILINE)
    }


def html_of(raw: str) -> str:
    parsed = email.message_from_string(raw)
    [html] = [p for p in parsed.walk() if p.get_content_type() == "text/html"]
    payload = html.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


@pytest.fixture
def mailed(alice, smtp_inbox, settings):
    """alice's follow-up e-mail (she wears discreet mode), as the local SMTP server got it."""
    settings.SITE_URL = "http://testserver"
    alice.discreet_mode = True
    alice.save()
    channels.add_channel(alice, kind="email", target="alice.phone@example.org")
    followup = due_followups(alice)[0]
    send_due()
    return followup, wait_for(smtp_inbox)


def test_the_follow_up_e_mail_has_two_buttons_and_reveals_nothing(mailed):
    followup, raw = mailed
    links = buttons_in(raw)
    assert set(links) == {"I'm OK", "Not so good"}
    html = html_of(raw)
    for label, link in links.items():
        assert link.startswith("http://testserver/follow-ups/answer/")
        assert f'href="{link}"' in html
        assert label in html.replace("&#x27;", "'")
    subject = email.message_from_string(raw)["Subject"]
    assert subject.startswith("[Notes] ")  # she wears discreet mode
    assert NOTE not in raw and "canary" not in raw
    assert revealing_words(f"{subject} {text_of(raw)} {html}") == []
    assert AnswerToken.objects.filter(followup=followup).count() == 1


def test_the_buttons_confirm_page_records_once_then_says_it_is_already_answered(mailed):
    followup, raw = mailed
    link = buttons_in(raw)["I'm OK"].removeprefix("http://testserver")
    client = Client(enforce_csrf_checks=True)

    page = client.get(link)  # what a mail scanner does, too
    assert page.status_code == 200
    assert "Yes, I'm OK" in page.content.decode()
    assert FollowUp.objects.get(pk=followup.pk).state == FollowUpState.SENT

    done = client.post(link)
    assert done.status_code == 200
    assert b"Good to hear" in done.content
    followup.refresh_from_db()
    assert followup.state == FollowUpState.ANSWERED and followup.answered_ok is True

    for second in (client.post(link), client.get(link)):
        assert second.status_code == 200
        assert b"You already answered this check-in" in second.content
    assert FollowUp.objects.get(pk=followup.pk).checkin == followup.checkin


def test_not_so_good_from_the_e_mail_leads_to_the_drop_response_after_sign_in(mailed):
    followup, raw = mailed
    link = buttons_in(raw)["Not so good"].removeprefix("http://testserver")
    response = Client().post(link)
    followup.refresh_from_db()
    assert followup.answered_ok is False
    drop = reverse("checkins:checkin_detail", args=[followup.checkin.code])
    assert response.status_code == 302 and response["Location"] == drop


def test_a_link_that_no_longer_works_says_so_kindly(alice):
    url = reverse("checkins:followup_by_link", args=["no-such-token", "ok"])
    response = Client().post(url)
    assert response.status_code == 404
    assert b"This link no longer works" in response.content
    other = reverse("checkins:followup_by_link", args=[issue_for(due_followups(alice)[0]), "x"])
    assert Client().get(other).status_code == 404


# -- The push message ------------------------------------------------------------------------


def test_the_push_message_offers_both_answers_and_reveals_nothing(alice, push_service, settings):
    settings.NOTIFY_ALLOW_PRIVATE_HOSTS = True
    alice.discreet_mode = True  # the instance's own name would be a revealing word
    alice.save()
    browser = Browser()
    channels.add_channel(alice, kind="push", target=browser.subscription(push_service.endpoint))
    followup = due_followups(alice)[0]

    send_due()

    [request] = push_service.requests
    audience = f"http://127.0.0.1:{push_service.port}"
    far_ends.verify_vapid(request["headers"]["authorization"], webpush.public_key(), audience)
    payload = browser.decrypt(request["body"])
    assert payload["actions"] == [
        {"action": "ok", "title": "I'm OK"},
        {"action": "not_good", "title": "Not so good"},
    ]
    assert payload["answer"]["url"] == ANSWER_API
    # The number for the app's badge, and nothing else about what is waiting.
    waiting = FollowUp.objects.for_person(alice).waiting()
    assert payload["answer"]["waiting"] == waiting.count() >= 1
    text = json.dumps(payload)
    assert NOTE not in text and "canary" not in text
    assert revealing_words(f"{payload['title']} {payload['body']}") == []
    # The token in the payload answers, once.
    assert post(Client(), payload["answer"]["token"]).status_code == 201
    assert FollowUp.objects.get(pk=followup.pk).state == FollowUpState.ANSWERED

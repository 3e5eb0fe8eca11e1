"""How should we reach you? The step after consent and its card on the dashboard: push,
e-mail, a messenger from guided fields, or only here — each tried against a real far end."""

import json
from urllib.parse import quote, urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Person
from notify import messengers, services
from notify.models import Channel, Delivery
from softlanding.far_ends import Browser, Sink, text_of, wait_for
from softlanding.testing import DB, PASSWORD, make_person, sign_in

pytestmark = DB

STEP = "/reach/"
TOKEN = "123456789:ABCdefGhIJKlmNoPQRsTUVwxyZ0123456"


def verified(person: Person) -> Person:
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    return person


def send_the_test(client, channel: Channel) -> Delivery:
    """ "Send a test" from the step, delivered now (a worker would pick it up)."""
    response = client.post(
        reverse("notify:channel_test", args=[channel.code]), {"from": "reach", "next": "/x/"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{STEP}?next=%2Fx%2F"
    delivery = channel.deliveries.get(status="pending")
    services.send_delivery.call(delivery.pk)
    delivery.refresh_from_db()
    return delivery


def sink_server(sink: str) -> str:
    return f"http://127.0.0.1:{urlsplit(sink).port}"


def answered(person: Person) -> bool:
    person.refresh_from_db()
    return person.reach_answered_at is not None


# The way in


def test_a_new_person_lands_on_the_step_and_may_add_a_channel_without_signing_in_again(
    client, settings, sink
):
    settings.NOTIFY_ALLOW_PRIVATE_HOSTS = True
    signed_up = client.post(
        "/accounts/signup/",
        {"email": "river@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert signed_up["Location"] == "/consent/"
    consented = client.post("/consent/", {"adult": "on", "agree": "on"})
    assert consented["Location"] == STEP
    page = client.get(STEP).content.decode()
    assert "How should we reach you?" in page
    assert "Confirm it's you" not in page  # they typed their password a moment ago
    added = client.post(
        "/reach/messenger/ntfy/", {"ntfy-server": sink_server(sink), "ntfy-topic": "soft-1"}
    )
    assert added.status_code == 302, added.content.decode()[:2000]
    river = Person.objects.get(email="river@example.org")
    assert river.channels.get().label == "ntfy" and answered(river)


def test_consent_goes_through_the_step_on_to_where_the_person_was_going(client):
    river = make_person("River", consent=False)
    sign_in(client, river)
    consented = client.post("/consent/?next=/checkins/new/", {"adult": "on", "agree": "on"})
    assert consented["Location"] == f"{STEP}?next=%2Fcheckins%2Fnew%2F"
    onwards = client.post("/reach/done/", {"next": "/checkins/new/"})
    assert onwards["Location"] == "/checkins/new/"
    assert client.post("/reach/done/", {"next": "https://elsewhere.example/"})["Location"] == "/"


def test_once_answered_consent_leads_straight_on(client, alice):
    services.answer_reach(alice)
    client.post("/consent/withdraw/")
    sign_in(client, alice)
    client.post("/consent/withdraw/")
    assert client.post("/consent/", {"adult": "on", "agree": "on"})["Location"] == "/"


def test_the_step_asks_for_consent_first(client):
    river = make_person("River", consent=False)
    sign_in(client, river)
    response = client.get(STEP)
    assert response["Location"].startswith("/consent/?next=")


# Each choice


def test_push_on_this_device_really_arrives(client, alice, settings, push_service):
    settings.NOTIFY_ALLOW_PRIVATE_HOSTS = True
    sign_in(client, alice)
    browser = Browser()
    response = client.post(
        "/api/v1/channels",
        {"kind": "push", "target": browser.subscription(push_service.endpoint)},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert answered(alice)
    channel = alice.channels.get()
    assert channel.label in client.get(STEP).content.decode()

    delivery = send_the_test(client, channel)

    assert delivery.status == "sent", delivery.error
    message = browser.decrypt(push_service.requests[0]["body"])
    assert message["title"].startswith("A test message from")


def test_email_to_the_verified_address_in_one_tap(client, alice, smtp_inbox):
    verified(alice)
    sign_in(client, alice)
    assert "Use my e-mail" in client.get(STEP).content.decode()
    assert client.post("/reach/email/")["Location"] == STEP
    assert client.post("/reach/email/")["Location"] == STEP  # a second tap adds nothing
    channel = alice.channels.get()
    assert (channel.kind, channel.target) == ("email", alice.email) and answered(alice)

    delivery = send_the_test(client, channel)

    assert delivery.status == "sent", delivery.error
    raw = wait_for(smtp_inbox)
    assert "Subject: [Soft Landing] A test message" in raw and alice.email in raw
    assert "/settings/channels/" in text_of(raw)


def test_an_address_not_yet_confirmed_is_not_offered_and_the_step_says_how(client, alice):
    sign_in(client, alice)
    page = client.get(STEP).content.decode()
    assert "Use my e-mail" not in page
    assert "once you've confirmed it's yours" in page and "/accounts/email/" in page
    refused = client.post("/reach/email/")
    assert refused.status_code == 400
    assert "isn&#x27;t confirmed yet" in refused.content.decode()
    api = client.post("/api/v1/channels/email")
    assert api.status_code == 400 and "isn't confirmed yet" in api.json()["detail"]
    assert not alice.channels.exists() and not answered(alice)


@pytest.mark.parametrize(
    ("service", "fields", "url"),
    [
        ("ntfy", {"server": "ntfy.sh", "topic": "soft-7f3a9c"}, "ntfys://ntfy.sh/soft-7f3a9c"),
        (
            "ntfy",
            {"server": "http://192.168.1.20:8080/", "topic": "a_b"},
            "ntfy://192.168.1.20:8080/a_b",
        ),
        (
            "signal",
            {
                "server": "https://signal.example.org",
                "from_number": "+44 7700 900-123",
                "to_number": "+447700900456",
            },
            "signals://signal.example.org/%2B447700900123/%2B447700900456",
        ),
        (
            "matrix",
            {
                "homeserver": "matrix.org",
                "user": "@reminders:matrix.org",
                "password_or_token": "p@ss:w/rd",
                "room": "#room:matrix.org",
            },
            "matrixs://%40reminders%3Amatrix.org:p%40ss%3Aw%2Frd@matrix.org/%23room%3Amatrix.org",
        ),
        (
            "matrix",
            {"homeserver": "https://m.example.org", "password_or_token": "syt_x", "room": "!a:b"},
            "matrixs://syt_x@m.example.org/%21a%3Ab",
        ),
        ("telegram", {"bot_token": TOKEN, "chat_id": "-100123"}, f"tgram://{TOKEN}/-100123"),
        ("telegram", {"bot_token": TOKEN, "chat_id": "@news_x"}, f"tgram://{TOKEN}/%40news_x"),
    ],
)
def test_guided_fields_make_the_apprise_url(service, fields, url):
    assert messengers.apprise_url(service, fields) == url


SIGNAL_SHORT_FROM = {"server": "s.example", "from_number": "0151", "to_number": "+4915112345678"}
MATRIX_NO_SECRET = {"homeserver": "m.org", "password_or_token": "", "room": "#a:b"}


@pytest.mark.parametrize(
    ("service", "fields", "field"),
    [
        ("ntfy", {"server": "ntfy.sh/path", "topic": "a"}, "server"),
        ("ntfy", {"server": "me@ntfy.sh", "topic": "a"}, "server"),
        ("ntfy", {"server": "ntfy.sh", "topic": "two words"}, "topic"),
        ("ntfy", {"server": "", "topic": "a"}, "server"),
        ("signal", SIGNAL_SHORT_FROM, "from_number"),
        ("matrix", MATRIX_NO_SECRET, "password_or_token"),
        ("matrix", {"homeserver": "m.org", "password_or_token": "t", "room": "a:b"}, "room"),
        ("telegram", {"bot_token": "12345", "chat_id": "1"}, "bot_token"),
        ("telegram", {"bot_token": TOKEN, "chat_id": "me"}, "chat_id"),
        ("fax", {}, "service"),
    ],
)  # fmt: skip
def test_guided_fields_name_the_field_that_needs_another_look(service, fields, field):
    with pytest.raises(ValidationError) as refused:
        messengers.apprise_url(service, fields)
    assert list(refused.value.message_dict) == [field]


def test_ntfy_from_guided_fields_sends_a_real_test(client, alice, settings, sink):
    settings.NOTIFY_ALLOW_PRIVATE_HOSTS = True  # admits the local sink, as for any URL
    sign_in(client, alice)
    client.post("/reach/messenger/ntfy/", {"ntfy-server": sink_server(sink), "ntfy-topic": "t1"})
    channel = alice.channels.get()
    assert channel.target == f"ntfy://127.0.0.1:{urlsplit(sink).port}/t1"

    delivery = send_the_test(client, channel)

    assert delivery.status == "sent", delivery.error
    posted = json.loads(Sink.received[0])
    assert posted["topic"] == "t1" and posted["title"].startswith("A test message from")


def test_signal_from_guided_fields_sends_a_real_test(client, alice, settings, sink):
    settings.NOTIFY_ALLOW_PRIVATE_HOSTS = True
    sign_in(client, alice)
    response = client.post(
        "/api/v1/channels/messenger",
        {
            "service": "signal",
            "server": sink_server(sink),
            "from_number": "+447700900123",
            "to_number": "+447700900456",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert "target" not in response.json() and response.json()["label"] == "Signal"

    delivery = send_the_test(client, alice.channels.get())

    assert delivery.status == "sent", delivery.error
    posted = json.loads(Sink.received[0])
    assert posted["number"] == "+447700900123" and posted["recipients"] == ["+447700900456"]
    assert "test message" in posted["message"]


def test_matrix_and_telegram_from_guided_fields_are_kept_as_checked_urls(client, alice, settings):
    settings.NOTIFY_ALLOW_PRIVATE_HOSTS = True  # the homeserver is not resolved in a test
    sign_in(client, alice)
    matrix = client.post(
        "/reach/messenger/matrix/",
        {
            "matrix-homeserver": "https://matrix.example.org",
            "matrix-password_or_token": "syt_secret",
            "matrix-room": "#quiet:example.org",
        },
    )
    assert matrix.status_code == 302
    telegram = client.post(
        "/api/v1/channels/messenger",
        {"service": "telegram", "bot_token": TOKEN, "chat_id": "42"},
        content_type="application/json",
    )
    assert telegram.status_code == 201, telegram.content
    room = quote("#quiet:example.org", safe="")
    assert [(c.label, c.target) for c in alice.channels.all()] == [
        ("Matrix", f"matrixs://syt_secret@matrix.example.org/{room}"),
        ("Telegram", f"tgram://{TOKEN}/42"),
    ]


# Bad input


def test_a_private_server_is_refused_on_its_field_and_nothing_typed_is_lost(client, alice):
    sign_in(client, alice)
    page = client.post(
        "/reach/messenger/signal/",
        {
            "signal-server": "http://127.0.0.1:8080",
            "signal-from_number": "+447700900123",
            "signal-to_number": "+447700900456",
        },
    )
    assert page.status_code == 400
    html = page.content.decode()
    assert "private or local network" in html and 'value="http://127.0.0.1:8080"' in html
    assert '<details class="messenger" id="signal" open>' in html
    api = client.post(
        "/api/v1/channels/messenger",
        {"service": "ntfy", "server": "http://10.0.0.1", "topic": "x"},
        content_type="application/json",
    )
    assert api.status_code == 400
    assert api.json()["code"] == "private" and api.json()["detail"].startswith("server:")
    assert not alice.channels.exists()


def test_fields_in_the_wrong_shape_come_back_with_their_messages(client, alice):
    sign_in(client, alice)
    page = client.post(
        "/reach/messenger/telegram/", {"telegram-bot_token": "nope", "telegram-chat_id": ""}
    )
    assert page.status_code == 400
    html = page.content.decode()
    assert "BotFather gives it to you" in html and "Please fill this in." in html
    assert "nothing you typed was lost" in html
    assert client.post("/reach/messenger/fax/", {}).status_code == 404
    schema = client.post(
        "/api/v1/channels/messenger",
        {"service": "telegram", "bot_token": "nope", "chat_id": "1"},
        content_type="application/json",
    )
    assert schema.status_code == 422 and "bot_token" in schema.json()["detail"]
    shape = client.post(
        "/api/v1/channels/messenger",
        {"service": "ntfy", "server": "ntfy.sh/a/path", "topic": "x"},
        content_type="application/json",
    )
    assert shape.status_code == 400 and "no path" in shape.json()["detail"]
    unknown = client.post(
        "/api/v1/channels/messenger",
        {"service": "ntfy", "server": "ntfy.sh", "topic": "x", "url": "json://x"},
        content_type="application/json",
    )
    assert unknown.status_code == 422


def test_adding_from_the_step_needs_a_fresh_sign_in_but_only_here_does_not(client, alice):
    verified(alice)
    client.force_login(alice)  # no password typed in this session
    assert "Confirm it's you" in client.get(STEP).content.decode()
    response = client.post("/reach/email/")
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert client.post("/api/v1/channels/email").json()["code"] == "fresh-sign-in"
    assert not alice.channels.exists()
    assert client.post("/reach/done/", {"only_here": "1"})["Location"] == "/"
    assert answered(alice)


# Answered once, never asked again


def test_only_here_puts_the_card_away_for_good(client, alice):
    sign_in(client, alice)
    assert "How should we reach you?" in client.get("/").content.decode()
    client.post("/reach/done/", {"only_here": "1"})
    alice.refresh_from_db()
    first = alice.reach_answered_at
    assert first is not None
    assert "How should we reach you?" not in client.get("/").content.decode()
    client.post("/reach/done/")
    alice.refresh_from_db()
    assert alice.reach_answered_at == first


def test_adding_any_channel_puts_the_card_away(client, alice):
    sign_in(client, alice)
    client.post("/settings/channels/", {"kind": "email", "target": "me@example.org"})
    assert "How should we reach you?" not in client.get("/").content.decode()


def test_the_reach_api(client, alice):
    verified(alice)
    sign_in(client, alice)
    before = client.get("/api/v1/channels/reach").json()
    assert before == {"answered_at": None, "email": alice.email, "email_verified": True}
    added = client.post("/api/v1/channels/email")
    assert added.status_code == 201 and added.json()["kind"] == "email"
    assert client.get("/api/v1/channels/reach").json()["answered_at"] is not None
    client.logout()
    sign_in(client, make_person("Bob"))
    done = client.post("/api/v1/channels/reach")
    assert done.status_code == 200 and done.json()["answered_at"] is not None
    assert done.json()["email_verified"] is False

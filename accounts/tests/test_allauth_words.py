"""allauth speaks in our words: flash messages, e-mails and the confirm-it's-you page."""

import re
from pathlib import Path

import allauth
from allauth.account import app_settings as account_settings
from django.conf import settings
from django.core import mail
from django.test import override_settings

from softlanding.testing import DB, PASSWORD, make_person

pytestmark = DB
STOCK = [
    "Successfully",
    "signed in as",
    "Please reauthenticate",
    "Hello from",
    "Thank you for using",
]
INTIMATE = re.compile(r"sex|play|drop|aftercare|encounter|partner|check-in|feel", re.I)


def assert_no_stock_words(text):
    for stock in STOCK:
        assert stock not in text


def test_signing_in_and_out_say_so_warmly(client):
    make_person("Dana")
    signed_in = client.post(
        "/accounts/login/", {"login": "dana@example.org", "password": PASSWORD}, follow=True
    )
    assert "Welcome back." in signed_in.content.decode()
    assert_no_stock_words(signed_in.content.decode())
    signed_out = client.post("/accounts/logout/", follow=True)
    assert "You&#x27;ve signed out. Take care." in signed_out.content.decode()


def test_a_changed_password_is_confirmed_in_our_words(client, alice):
    client.force_login(alice)
    new = "a quieter harbour 43"
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": new, "password2": new},
        follow=True,
    )
    assert "Your new password is saved." in response.content.decode()


def test_the_confirm_its_you_page_explains_why(client, alice):
    client.force_login(alice)
    response = client.get("/accounts/reauthenticate/")
    html = response.content.decode()
    assert "Just checking it's you" in html
    assert "in case someone else picked up your phone" in html
    assert_no_stock_words(html)


@override_settings(INSTANCE_NAME="Notebook", ACCOUNT_EMAIL_VERIFICATION="mandatory")
def test_the_sign_up_email_is_ours_with_a_discreet_subject(client):
    mail.outbox = []
    client.post(
        "/accounts/signup/",
        {"email": "river@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    [message] = mail.outbox
    assert message.subject == "[Notebook] Please confirm your e-mail address"
    assert not INTIMATE.search(message.subject)
    assert "Someone — we hope you — gave this address to Notebook." in message.body
    assert re.search(r"/accounts/confirm-email/\S+/", message.body)
    assert_no_stock_words(message.body)
    html, mime = message.alternatives[0]
    assert mime == "text/html"
    assert '<a href="http' in html and "/accounts/confirm-email/" in html
    assert "Notebook" in html and "<img" not in html
    assert_no_stock_words(html)


@override_settings(INSTANCE_NAME="Notebook")
def test_the_password_reset_email_is_ours(client, alice):
    mail.outbox = []
    client.post("/accounts/password/reset/", {"email": alice.email})
    [message] = mail.outbox
    assert message.subject == "[Notebook] Choosing a new password"
    assert "your password stays as it is" in message.body
    assert re.search(r"/accounts/password/reset/key/\S+/", message.body)
    assert_no_stock_words(message.body)
    html, _mime = message.alternatives[0]
    assert "Choose a new password</a>" in html


def test_a_second_sign_up_with_a_known_address_mails_in_our_words(client, alice):
    mail.outbox = []
    with override_settings(ACCOUNT_EMAIL_VERIFICATION="mandatory"):
        client.post(
            "/accounts/signup/",
            {"email": alice.email, "password1": PASSWORD, "password2": PASSWORD},
        )
    [message] = mail.outbox
    assert message.subject.endswith("About your sign-up")
    assert "there already is one" in message.body
    assert_no_stock_words(message.body)


def test_the_import_note_links_to_the_connections_page(client, alice):
    client.force_login(alice)
    html = client.get("/settings/data/").content.decode()
    assert '<a href="/partners/">invite the people you\'re connected with</a>' in html
    assert " again here." not in html


def test_every_flash_message_allauth_can_show_here_is_in_our_words():
    stock = Path(allauth.__file__).parent / "templates"
    ours = Path(settings.BASE_DIR) / "templates"
    apps = ["account", "mfa", "usersessions"]  # the allauth apps installed
    names = [p.relative_to(stock) for app in apps for p in (stock / app).glob("messages/*.txt")]
    assert len(names) > 15
    for name in names:
        assert (ours / name).is_file(), f"{name} still speaks allauth's words"
        assert_no_stock_words((ours / name).read_text())


def test_every_email_allauth_can_send_here_is_in_our_words():
    # Also those whose feature is off today (codes, passkeys): turning one on must not bring
    # allauth's words back. Each is ours as text and HTML, on our shared base.
    assert account_settings.EMAIL_NOTIFICATIONS
    stock = Path(allauth.__file__).parent / "templates"
    ours = Path(settings.BASE_DIR) / "templates"
    names = [
        str(p.relative_to(stock)).removesuffix("_subject.txt")
        for app in ["account", "mfa", "usersessions"]  # the allauth apps installed
        for p in (stock / app).glob("email/*_subject.txt")
    ]
    assert len(names) > 15
    for name in names:
        for part in ("_subject.txt", "_message.txt", "_message.html"):
            assert (ours / f"{name}{part}").is_file(), f"{name}{part}"
            assert_no_stock_words((ours / f"{name}{part}").read_text())
        html = (ours / f"{name}_message.html").read_text()
        assert 'extends "email/base.html"' in html or "account/email/" in html, name


def test_a_new_account_is_welcomed_not_welcomed_back(client, db):
    page = client.post(
        "/accounts/signup/",
        {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD},
        follow=True,
    ).content.decode()
    assert "Welcome." in page and "Welcome back." not in page

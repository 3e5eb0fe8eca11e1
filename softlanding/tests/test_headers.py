"""Isolation headers on every answer, and the messages cookie named like the session's."""

import pytest
from django.contrib.messages.api import add_message
from django.contrib.messages.constants import SUCCESS
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from lib.messages import HostCookieFallbackStorage
from softlanding.testing import DB

pytestmark = DB


@pytest.mark.parametrize(
    "url",
    [
        "/",  # a page
        "/accounts/login/",
        "/api/v1/openapi.json",  # the API
        "/api/v1/me",  # an API error (401)
        "/api/v1/no-such-thing",  # an API 404
        "/no/such/page/",  # an error page
        "/static/css/app.css",  # a static file, served by whitenoise
    ],
)
def test_every_answer_turns_off_browser_features_and_stays_same_origin(client, url):
    response = client.get(url)
    assert response["Cross-Origin-Resource-Policy"] == "same-origin", url
    policy = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy, url


def test_static_files_really_come_from_whitenoise(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert b"quick-exit" in b"".join(response.streaming_content)


def flash_cookie(settings_overrides):
    with override_settings(**settings_overrides):
        request = RequestFactory().get("/")
        request.session = {}  # only for what does not fit in the cookie
        request._messages = HostCookieFallbackStorage(request)
        add_message(request, SUCCESS, "Saved.")
        response = HttpResponse()
        request._messages.update(response)
        return response.cookies


def test_over_https_the_messages_cookie_is_host_prefixed_and_secure():
    cookies = flash_cookie(
        {"SESSION_COOKIE_NAME": "__Host-sessionid", "SESSION_COOKIE_SECURE": True}
    )
    assert "messages" not in cookies
    cookie = cookies["__Host-messages"]
    assert cookie["secure"] and cookie["httponly"]
    assert cookie["path"] == "/" and not cookie["domain"]
    assert cookie["samesite"] == "Lax"


def test_over_plain_http_the_messages_cookie_keeps_its_plain_name():
    cookies = flash_cookie({"SESSION_COOKIE_NAME": "sessionid", "SESSION_COOKIE_SECURE": False})
    assert "__Host-messages" not in cookies
    assert not cookies["messages"]["secure"]


@override_settings(SESSION_COOKIE_NAME="__Host-sessionid")
def test_a_message_reaches_the_next_page_through_the_renamed_cookie(client, alice):
    client.force_login(alice)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response.cookies["__Host-messages"].value
    page = client.get(response["Location"])
    assert "You&#x27;ve signed out" in page.content.decode()

"""Error answers: our own pages with the quick exit, and JSON with a detail under /api/."""

import json

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import path

from softlanding.testing import DB, PASSWORD, make_person
from softlanding.urls import urlpatterns as real_urlpatterns

pytestmark = DB
TOO_BIG = 2_700_000  # past Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB)


def breaks(request):
    raise RuntimeError("a bug")


# The real URLs plus one view that fails, to see the 500 page as a person would.
urlpatterns = [path("breaks/", breaks), path("api/v1/breaks", breaks), *real_urlpatterns]
handler500 = "softlanding.errors.server_error"
handler404 = "softlanding.errors.page_not_found"


def assert_our_page(response, status):
    assert response.status_code == status
    html = response.content.decode()
    assert "data-quick-exit" in html
    assert "<h1>" in html
    assert response["Content-Type"].startswith("text/html")


def test_an_unknown_page_is_our_own_404(client, alice):
    client.force_login(alice)
    response = client.get("/no/such/page/")
    assert_our_page(response, 404)
    assert "Nothing here" in response.content.decode()
    assert "Back to the start" in response.content.decode()


@override_settings(ROOT_URLCONF=__name__)
def test_a_crash_shows_a_calm_500_page_without_details():
    client = Client(raise_request_exception=False)
    response = client.get("/breaks/")
    assert_our_page(response, 500)
    html = response.content.decode()
    assert "It wasn't anything you did" in html
    assert "a bug" not in html and "RuntimeError" not in html


@override_settings(ROOT_URLCONF=__name__)
def test_a_crash_page_still_carries_the_isolation_headers():
    response = Client(raise_request_exception=False).get("/breaks/")
    assert response.status_code == 500
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]


@override_settings(ROOT_URLCONF=__name__)
def test_a_crash_under_the_api_is_json():
    client = Client(raise_request_exception=False)
    response = client.get("/api/v1/breaks")
    assert response.status_code == 500
    assert response.json() == {"detail": "Something went wrong on our side."}
    assert "a bug" not in response.content.decode()


def test_an_unauthenticated_api_call_is_json_401(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json() == {"detail": "Sign in or send a token."}


def test_a_form_without_its_csrf_token_gets_a_friendly_403(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post("/settings/", {"display_name": "A"})
    assert_our_page(response, 403)
    html = response.content.decode()
    assert "Please try that once more" in html
    assert "CSRF" not in html and "Referer" not in html


def test_a_too_large_form_gets_a_friendly_413(client):
    response = client.post("/accounts/login/", {"login": "x" * TOO_BIG, "password": "y"})
    assert_our_page(response, 413)
    assert "too much to send at once" in response.content.decode()


def test_unknown_api_paths_are_json_404(client, alice):
    client.force_login(alice)
    for url in ["/api/v1/no-such-thing", "/api/v2/me", "/api/", "/api/v1/encounters/a/b/c"]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json() == {"detail": "Not found."}, url


def test_a_method_the_api_does_not_take_is_json_405(client, alice):
    client.force_login(alice)
    response = client.delete("/api/v1/care/items")
    assert response.status_code == 405
    assert response.json()["detail"]
    assert "GET" in response["Allow"]
    # Rewritten as JSON, it keeps every header the other layers set.
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "no-store"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


def test_a_request_for_another_host_gets_our_own_400(client):
    response = client.get("/accounts/login/", HTTP_HOST="elsewhere.example")
    assert_our_page(response, 400)
    assert "That didn't come through right" in response.content.decode()
    assert "elsewhere.example" not in response.content.decode()


def test_a_request_for_another_host_under_the_api_is_json_400(client):
    response = client.get("/api/v1/me", HTTP_HOST="elsewhere.example")
    assert response.status_code == 400
    assert response.json() == {"detail": "The request could not be read."}


def test_a_too_large_api_body_is_json_413(client, alice):
    client.force_login(alice)
    body = json.dumps({"note": "x" * TOO_BIG})
    response = client.post("/api/v1/encounters", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {"detail": "The request is too large."}


def test_an_api_post_without_csrf_token_is_json_403(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post("/api/v1/encounters", "{}", content_type="application/json")
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


@pytest.fixture
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@override_settings(ACCOUNT_RATE_LIMITS={"signup": "1/h/ip"})
def test_a_rate_limited_sign_up_keeps_the_email_but_never_the_password(client, fresh_rate_limits):
    first = {"email": "first@example.org", "password1": PASSWORD, "password2": PASSWORD}
    assert client.post("/accounts/signup/", first).status_code == 302
    client.logout()
    secret = "a-password-nobody-else-sees"
    second = {"email": "robin@example.org", "password1": secret, "password2": secret}
    response = client.post("/accounts/signup/", second)
    assert response.status_code == 429
    html = response.content.decode()
    assert 'value="robin@example.org"' in html
    assert secret not in html
    assert "Please wait a while and try again" in html
    assert 'name="password1"' in html


@override_settings(ACCOUNT_RATE_LIMITS={"login": "1/m/ip"})
def test_other_rate_limits_show_our_429_page(client, fresh_rate_limits):
    make_person("Dana")
    wrong = {"login": "dana@example.org", "password": "not it at all"}
    client.post("/accounts/login/", wrong)
    response = client.post("/accounts/login/", wrong)
    assert_our_page(response, 429)
    assert "short pause" in response.content.decode()

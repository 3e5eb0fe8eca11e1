"""Quick exit: a form on every page that leaves for a neutral page and signs out on the way."""

import json
import re

from django.test import Client
from django.urls import reverse

from privacy import export, importer
from softlanding.testing import DB, make_person

pytestmark = DB


def csrf_token_of(page: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert match, "the page carries no CSRF token"
    return match.group(1)


def moves_on_to(response, url: str) -> bool:
    """The page that leaves at once (a redirect would be refused by the CSP's form-action)."""
    page = response.content.decode()
    return response.status_code == 200 and f'http-equiv="refresh" content="0;url={url}"' in page


def test_quick_exit_signs_out_and_leaves_for_the_neutral_page(alice, settings):
    settings.QUICK_EXIT_URL = "https://weather.example/"
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    token = csrf_token_of(client.get(reverse("accounts:settings")).content.decode())
    response = client.post(reverse("accounts:quick_exit"), {"csrfmiddlewaretoken": token})
    assert moves_on_to(response, "https://weather.example/")
    assert response["Cache-Control"] == "no-store"
    assert client.get(reverse("accounts:settings")).status_code == 302  # to the sign-in page


def test_a_beacon_with_the_token_in_a_multipart_body_signs_out(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    token = csrf_token_of(client.get("/").content.decode())
    # navigator.sendBeacon(url, new FormData(form)) sends multipart/form-data, like this client.
    response = client.post(
        reverse("accounts:quick_exit"), {"csrfmiddlewaretoken": token, "beacon": "1"}
    )
    assert "_auth_user_id" not in client.session
    # No redirect for a beacon to follow off-site (connect-src would refuse it).
    assert response.status_code == 204 and not response.has_header("Location")


def test_quick_exit_without_the_csrf_token_leaves_but_keeps_the_session(alice, settings):
    # A stale page still gets the person away at once; without the token it cannot sign out.
    settings.QUICK_EXIT_URL = "https://weather.example/"
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert moves_on_to(client.post(reverse("accounts:quick_exit")), "https://weather.example/")
    assert client.get(reverse("accounts:settings")).status_code == 200


def test_quick_exit_keeps_the_session_when_the_person_turned_that_off(client, alice, settings):
    settings.QUICK_EXIT_URL = "https://weather.example/"
    alice.quick_exit_signs_out = False
    alice.save()
    client.force_login(alice)
    response = client.post(reverse("accounts:quick_exit"))
    assert moves_on_to(response, "https://weather.example/")
    assert client.get(reverse("accounts:settings")).status_code == 200


def test_quick_exit_leaves_for_anyone_signed_out_too(client, settings):
    settings.QUICK_EXIT_URL = "https://weather.example/"
    assert moves_on_to(client.post(reverse("accounts:quick_exit")), "https://weather.example/")
    # Signed-out pages (a guest's answer page) use a GET, so they set no CSRF cookie.
    assert moves_on_to(client.get(reverse("accounts:quick_exit")), "https://weather.example/")
    assert "csrftoken" not in client.cookies


def test_a_get_never_signs_anyone_out(client, alice):
    client.force_login(alice)
    client.get(reverse("accounts:quick_exit"))
    assert client.get(reverse("accounts:settings")).status_code == 200


def test_every_page_has_the_quick_exit_form_that_works_without_javascript(client, alice):
    for signed_in in (False, True):
        if signed_in:
            client.force_login(alice)
        page = client.get(reverse("accounts:settings") if signed_in else "/").content.decode()
        method = "post" if signed_in else "get"
        exit_form = (
            rf'<form method="{method}" action="/exit/"[^>]*data-quick-exit[^>]*>(.*?)</form>'
        )
        form = re.search(exit_form, page, re.S)
        assert form, page[:2000]
        assert ('name="csrfmiddlewaretoken"' in form.group(1)) is signed_in
        assert '<button type="submit">Quick exit</button>' in form.group(1)


def test_the_setting_is_on_by_default_and_changes_on_the_page_and_through_the_api(client, alice):
    assert alice.quick_exit_signs_out is True
    client.force_login(alice)
    page = client.get(reverse("accounts:settings")).content.decode()
    assert 'name="quick_exit_signs_out"' in page
    data = {
        "display_name": "Alice",
        "time_zone": "UTC",
        "language": "en",
        "quiet_hours_start": "22:00",
        "quiet_hours_end": "08:00",
        "follow_up_hours": ["3", "24", "48"],
    }
    assert client.post(reverse("accounts:settings"), data).status_code == 302
    alice.refresh_from_db()
    assert alice.quick_exit_signs_out is False
    response = client.patch(
        "/api/v1/me", {"quick_exit_signs_out": True}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["quick_exit_signs_out"] is True
    bad = client.patch(
        "/api/v1/me", {"quick_exit_signs_out": "sure"}, content_type="application/json"
    )
    assert bad.status_code in (400, 422) and "detail" in bad.json()
    alice.refresh_from_db()
    assert alice.quick_exit_signs_out is True


def test_the_setting_travels_with_an_export(alice):
    alice.quick_exit_signs_out = False
    alice.save()
    document = json.dumps(export.build_document(alice), default=str)
    assert '"quick_exit_signs_out": false' in document
    moved = make_person("Moved", password=None)
    importer.import_document(moved, importer.parse(document))
    moved.refresh_from_db()
    assert moved.quick_exit_signs_out is False

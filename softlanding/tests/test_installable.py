"""The app on a home screen: the manifest, its icons, the offline page and the badge."""

import re
import struct
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import timezone

from accounts.middleware import DISCREET_COOKIE
from followups.models import FollowUp, FollowUpState
from softlanding.testing import DB, make_discreet_world, make_encounter, revealing_words

pytestmark = DB

ICON_FILES = {
    f"img/{design}{form}.png": size
    for design in ("icon", "neutral")
    for form, size in (
        ("-192", 192),
        ("-512", 512),
        ("-maskable-192", 192),
        ("-maskable-512", 512),
        ("-apple-touch", 180),
    )
}


def manifest(client) -> dict:
    response = client.get(reverse("manifest"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    return response.json()


def icon_path(src: str) -> Path:
    found = finders.find(src.removeprefix(settings.STATIC_URL).removeprefix("/static/"))
    assert found, src
    return Path(found)


def read_png(path: Path) -> tuple[int, int, list[bytes]]:
    """Width, height and RGBA rows of a PNG as scripts/make_icons.py writes them (8-bit RGBA,
    one IDAT, no row filters): enough to look at the pixels without an imaging library."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    assert (depth, colour) == (8, 6)
    idat = data.index(b"IDAT")
    (idat_length,) = struct.unpack(">I", data[idat - 4 : idat])
    raw = zlib.decompress(data[idat + 4 : idat + 4 + idat_length])
    stride = 1 + 4 * width
    rows = [raw[y * stride : (y + 1) * stride] for y in range(height)]
    assert {row[0] for row in rows} == {0}
    return width, height, [row[1:] for row in rows]


def test_the_manifest_names_the_instance_and_opens_as_an_app(client, settings):
    settings.INSTANCE_NAME = "Harbour"
    body = manifest(client)
    assert body["name"] == body["short_name"] == "Harbour"
    assert body["display"] == "standalone"
    assert body["id"] == body["start_url"] == body["scope"] == "/"
    assert re.fullmatch(r"#[0-9a-f]{6}", body["theme_color"])
    assert re.fullmatch(r"#[0-9a-f]{6}", body["background_color"])
    assert {(i["sizes"], i["purpose"]) for i in body["icons"]} == {
        ("192x192", "any"),
        ("512x512", "any"),
        ("192x192", "maskable"),
        ("512x512", "maskable"),
    }


def test_the_shortcuts_lead_to_logging_and_checking_in(client, alice):
    client.force_login(alice)
    shortcuts = {s["name"]: s["url"] for s in manifest(client)["shortcuts"]}
    assert shortcuts == {"Log an encounter": "/encounters/new/", "Check in": "/follow-ups/"}
    for url in shortcuts.values():
        assert client.get(url).status_code == 200
        assert resolve(url)


def test_in_discreet_mode_the_home_screen_keeps_a_neutral_name_and_icon(client, alice, bob):
    make_discreet_world(alice, bob)
    client.force_login(alice)
    body = manifest(client)
    assert body["name"] == body["short_name"] == "Notes"
    assert all("/neutral-" in icon["src"] for icon in body["icons"])
    assert [s["name"] for s in body["shortcuts"]] == ["Add an entry", "Check in"]
    names = [body["name"], body["short_name"], *(s["name"] for s in body["shortcuts"])]
    assert revealing_words(" ".join(names)) == []
    page = client.get("/").content.decode()
    assert "img/neutral-apple-touch.png" in page and "img/icon" not in page


def test_a_device_that_wears_discreet_mode_gets_the_neutral_manifest_signed_out(client):
    client.cookies[DISCREET_COOKIE] = "1"
    assert manifest(client)["name"] == "Notes"


def test_the_manifest_is_never_one_copy_for_everybody(client, alice):
    response = client.get(reverse("manifest"))
    assert "Cookie" in response["Vary"]
    assert "private" in response["Cache-Control"]
    client.force_login(alice)
    assert client.get(reverse("manifest"))["Cache-Control"] == "no-store"


@pytest.mark.parametrize(("name", "size"), ICON_FILES.items())
def test_every_icon_is_a_png_of_its_size(name, size):
    width, height, _rows = read_png(icon_path(name))
    assert (width, height) == (size, size)


def test_every_icon_the_manifest_names_exists_with_the_size_it_says(client, alice):
    icons = manifest(client)["icons"]
    alice.discreet_mode = True
    alice.save()
    client.force_login(alice)
    icons += manifest(client)["icons"]
    for icon in icons:
        width, height, _rows = read_png(icon_path(icon["src"]))
        assert icon["sizes"] == f"{width}x{height}"


@pytest.mark.parametrize("design", ["icon", "neutral"])
def test_maskable_icons_fill_every_edge_and_keep_the_mark_in_the_safe_zone(design):
    width, _height, rows = read_png(icon_path(f"img/{design}-maskable-512.png"))
    ground = rows[0][:4]
    centre = width / 2
    for y, row in enumerate(rows):
        for x in range(width):
            pixel = row[4 * x : 4 * x + 4]
            assert pixel[3] == 255
            if pixel != ground:
                # The safe zone: a circle of 40 % of the size around the centre.
                assert (x + 0.5 - centre) ** 2 + (y + 0.5 - centre) ** 2 <= (0.4 * width) ** 2


def test_icons_stay_small():
    assert sum(icon_path(name).stat().st_size for name in ICON_FILES) < 60_000


def test_pages_link_the_manifest_with_cookies_and_the_icons(client, alice):
    client.force_login(alice)
    page = client.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest" crossorigin="use-credentials">' in (
        page
    )
    assert 'rel="apple-touch-icon" href="/static/img/icon-apple-touch.png"' in page
    assert 'name="theme-color" content="#ffffff" media="(prefers-color-scheme: light)"' in page
    assert 'name="theme-color" content="#26232b" media="(prefers-color-scheme: dark)"' in page


def test_the_offline_page_holds_nothing_of_the_person_who_fetched_it(client, alice, bob):
    world = make_discreet_world(alice, bob)
    anonymous = client.get(reverse("offline")).content
    client.force_login(alice)
    response = client.get(reverse("offline"))
    assert response.status_code == 200
    assert response.content == anonymous
    page = response.content.decode()
    for personal in ("Alice", alice.email, str(world["encounter"].code), "csrfmiddlewaretoken"):
        assert personal not in page
    assert settings.INSTANCE_NAME not in page
    assert revealing_words(page) == []
    assert "<script" not in page and "style=" not in page


def waiting_on_page(client) -> str | None:
    found = re.search(r'<body data-waiting="(\d+)">', client.get("/settings/").content.decode())
    return found.group(1) if found else None


def test_the_badge_counts_the_follow_ups_waiting_for_an_answer(client, alice):
    client.force_login(alice)
    assert waiting_on_page(client) == "0"
    make_encounter(alice, hours_ago=1)
    planned = FollowUp.objects.filter(person=alice).order_by("due_at")
    assert planned.count() >= 3
    first, second, _still_ahead = planned[:3]
    FollowUp.objects.filter(pk__in=[first.pk, second.pk]).update(
        state=FollowUpState.SENT, sent_at=timezone.now()
    )
    assert waiting_on_page(client) == "2"  # the third is still ahead: it does not count
    FollowUp.objects.filter(pk=first.pk).update(state=FollowUpState.ANSWERED)
    assert waiting_on_page(client) == "1"


def test_signed_out_pages_carry_no_badge(client):
    assert "data-waiting" not in client.get(reverse("account_login")).content.decode()


def test_the_badge_costs_one_count(client, alice):
    client.force_login(alice)
    client.get("/settings/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/settings/")
    counts = [q["sql"] for q in queries if "followups_followup" in q["sql"]]
    assert len(counts) == 1
    assert "COUNT(" in counts[0].upper()

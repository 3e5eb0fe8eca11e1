from django.urls import reverse

from softlanding.testing import DB

pytestmark = DB


def test_the_settings_page_changes_the_follow_up_schedule(client, alice):
    client.force_login(alice)
    page = client.get(reverse("accounts:settings")).content.decode()
    assert "After an encounter, ask how I am" in page
    data = {
        "display_name": "Alice",
        "time_zone": "Europe/Paris",
        "language": "en",
        "quiet_hours_start": "23:00",
        "quiet_hours_end": "07:00",
        "follow_up_hours": ["24", "72"],
        "tell_automatically": "on",
    }
    assert client.post(reverse("accounts:settings"), data).status_code == 302
    alice.refresh_from_db()
    assert (alice.follow_up_hours, alice.tell_automatically) == ([24, 72], True)
    data["follow_up_hours"] = ["5"]
    assert client.post(reverse("accounts:settings"), data).status_code == 400
    del data["follow_up_hours"]
    assert client.post(reverse("accounts:settings"), data).status_code == 302
    alice.refresh_from_db()
    assert alice.follow_up_hours == []


def test_discreet_mode_gives_the_pages_a_plain_name(client, alice):
    client.force_login(alice)
    assert "<title>Home · Soft Landing</title>" in client.get("/").content.decode()
    alice.discreet_mode = True
    alice.save()
    page = client.get("/").content.decode()
    assert "Soft Landing" not in page
    assert "<title>Home · Notes</title>" in page

from django.urls import reverse

from care import services
from care.models import CareItem, Preference
from softlanding.testing import DB

pytestmark = DB


def test_the_profile_page_groups_items_by_category(client, alice):
    client.force_login(alice)
    page = client.get(reverse("care:profile")).content.decode()
    for heading in ["Body", "Closeness", "Words", "Space", "Later"]:
        assert f">{heading}</h2>" in page
    assert page.count('type="radio"') >= 30 * 8


def test_one_tap_saves_one_answer_and_returns_its_row(client, alice):
    client.force_login(alice)
    water = CareItem.objects.get(key="water")
    response = client.post(
        reverse("care:save_item", args=[water.code]),
        {f"receive-{water.code}": "yes"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith(f'<div class="item" id="item-{water.code}"')
    assert "Saved" in html
    pref = Preference.objects.get(person=alice, item=water)
    assert (pref.receive, pref.give) == ("yes", "unsure")


def test_the_whole_form_saves_without_javascript(client, alice):
    client.force_login(alice)
    water, hug = CareItem.objects.filter(key__in=["water", "being_held"]).order_by("key")
    response = client.post(
        reverse("care:profile"),
        {
            f"receive-{water.code}": "yes",
            f"give-{water.code}": "maybe",
            f"receive-{hug.code}": "no",
            "boundaries": "Please don't go quiet on me.",
            "drop_helps": "Tea and a film.",
            "next_day_checkin": "on",
            "done": "1",
        },
    )
    assert response.status_code == 302
    profile = services.profile_for(alice)
    assert profile.boundaries == "Please don't go quiet on me."
    assert profile.completed_at is not None
    assert Preference.objects.get(person=alice, item=water).give == "maybe"
    assert Preference.objects.get(person=alice, item=hug).receive == "no"


def test_words_save_as_you_go(client, alice):
    client.force_login(alice)
    response = client.post(reverse("care:save_words"), {"time_needed": "An hour, roughly."})
    assert response.status_code == 200
    assert "Saved" in response.content.decode()
    assert services.profile_for(alice).time_needed == "An hour, roughly."


def test_too_long_words_are_refused_and_nothing_is_lost(client, alice):
    client.force_login(alice)
    services.update_profile(alice, time_needed="before")
    response = client.post(
        reverse("care:profile"), {"time_needed": "x" * 5000, "boundaries": "kept"}
    )
    assert response.status_code == 400
    assert "kept" in response.content.decode()
    assert services.profile_for(alice).time_needed == "before"


def test_own_items_are_added_and_removed(client, alice, charlie):
    client.force_login(alice)
    client.post(
        reverse("care:add_item"), {"label": "Lavender oil", "category": "body", "self_care": "on"}
    )
    item = CareItem.objects.get(person=alice)
    assert item.own_label == "Lavender oil"
    assert "Lavender oil" in client.get(reverse("care:profile")).content.decode()
    theirs = services.add_own_item(charlie, category="words", label="Their item")
    assert client.post(reverse("care:remove_item", args=[theirs.code])).status_code == 404
    assert (
        client.post(
            reverse("care:save_item", args=[theirs.code]), {f"receive-{theirs.code}": "yes"}
        ).status_code
        == 404
    )
    client.post(reverse("care:remove_item", args=[item.code]))
    assert not CareItem.objects.filter(person=alice).exists()


def test_the_card_shows_wants_gives_and_boundaries(client, alice):
    client.force_login(alice)
    water = CareItem.objects.get(key="water")
    services.set_preference(alice, water, receive="yes", give="no")
    services.update_profile(alice, boundaries="No tickling.")
    page = client.get(reverse("care:card")).content.decode()
    assert "Water" in page
    assert "No tickling." in page


def test_the_guide_is_open_to_everyone(client, db):
    page = client.get(reverse("care:guide")).content.decode()
    assert "drop" in page.lower()


def test_an_unknown_answer_is_refused_not_a_crash(client, alice):
    water = CareItem.objects.get(key="water")
    client.force_login(alice)
    url = reverse("care:save_item", args=[water.code])
    response = client.post(url, {f"receive-{water.code}": "definitely"})
    assert response.status_code == 400


def test_an_older_tab_saving_the_whole_form_keeps_a_newer_answer(client, alice):
    """Two tabs of the profile: the second taps "no" to giving something to eat; the first,
    still showing "maybe", saves the whole form with new words. The "no" stays, the words
    are saved, and what the first tab itself changed is saved too."""
    client.force_login(alice)
    snack, water = CareItem.objects.filter(key__in=["snack", "water"]).order_by("key")
    services.set_preference(alice, snack, give="maybe")
    older_tab = client.get(reverse("care:profile")).content.decode()
    shown = f'name="shown-{snack.code}" value="unsure maybe"'
    assert shown in older_tab
    client.post(reverse("care:save_item", args=[snack.code]), {f"give-{snack.code}": "no"})
    response = client.post(
        reverse("care:profile"),
        {
            f"shown-{snack.code}": "unsure maybe",
            f"receive-{snack.code}": "unsure",
            f"give-{snack.code}": "maybe",
            f"shown-{water.code}": "unsure unsure",
            f"receive-{water.code}": "yes",
            f"give-{water.code}": "unsure",
            "self_care": "tea and quiet",
        },
    )
    assert response.status_code == 302
    assert Preference.objects.get(person=alice, item=snack).give == "no"
    assert Preference.objects.get(person=alice, item=water).receive == "yes"
    assert services.profile_for(alice).self_care == "tea and quiet"

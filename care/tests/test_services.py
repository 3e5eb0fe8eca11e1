import pytest
from django.core.exceptions import ValidationError
from django.db.models.signals import pre_save

from care import services
from care.catalogue import CATEGORIES, FEELINGS, ITEMS
from care.models import AftercareProfile, Answer, CareItem, Preference
from consent.services import ConsentRequired, withdraw_consent
from softlanding.testing import DB

pytestmark = DB

# Keys are promises: profiles and logged care refer to them. Never rename or remove one.
STABLE_KEYS = {
    "water",
    "snack",
    "warmth",
    "cool_air",
    "shower",
    "bathroom",
    "skin_care",
    "sleep",
    "cuddling",
    "holding_hands",
    "being_held",
    "stroking_hair",
    "reassurance",
    "praise",
    "debrief",
    "next_time",
    "humour",
    "quiet_together",
    "time_alone",
    "no_touch",
    "next_day_message",
    "call",
    "date_soon",
}


def test_the_catalogue_has_at_least_thirty_items_in_every_category():
    keys = [key for key, *_ in ITEMS]
    assert len(keys) >= 30
    assert len(set(keys)) == len(keys)
    assert {category for _key, category, *_ in ITEMS} == {key for key, _ in CATEGORIES}


def test_catalogue_keys_stay_stable():
    assert {key for key, *_ in ITEMS} >= STABLE_KEYS


def test_the_catalogue_is_loaded_into_the_database_by_migrate():
    assert CareItem.objects.filter(key__isnull=False, retired=False).count() == len(ITEMS)


def test_every_item_has_words_and_at_least_eight_are_self_care():
    for _key, _category, label, hint, _self in ITEMS:
        assert str(label) and str(hint)
    assert sum(1 for *_, self_care in ITEMS if self_care) >= 8


def test_the_feeling_words_include_the_low_ones():
    low = {key for key, _label, is_low in FEELINGS if is_low}
    assert {"numb", "tearful", "anxious", "lonely", "ashamed", "irritable", "sad"} <= low
    assert "tired" not in low


def test_a_missing_answer_is_unsure_never_no(alice):
    water = CareItem.objects.get(key="water")
    pref = services.set_preference(alice, water, receive=Answer.YES)
    assert (pref.receive, pref.give) == ("yes", "unsure")


def test_answers_change_one_side_at_a_time(alice):
    water = CareItem.objects.get(key="water")
    services.set_preference(alice, water, receive="yes")
    services.set_preference(alice, water, give="maybe")
    pref = Preference.objects.get(person=alice, item=water)
    assert (pref.receive, pref.give) == ("yes", "maybe")


def test_an_unknown_answer_is_refused(alice):
    with pytest.raises(ValidationError):
        services.set_preference(alice, CareItem.objects.get(key="water"), receive="always")


def test_profile_words_are_kept(alice):
    services.update_profile(
        alice, boundaries="Please don't leave right away.", ask_again_if_fine=True
    )
    profile = services.profile_for(alice)
    assert profile.boundaries == "Please don't leave right away."
    assert profile.ask_again_if_fine


def test_own_items_are_visible_only_to_their_owner(alice, bob):
    mine = services.add_own_item(alice, category="body", label="Lavender oil", self_care=True)
    assert mine in CareItem.objects.visible_to(alice)
    assert mine not in CareItem.objects.visible_to(bob)
    assert mine.label == "Lavender oil"


def test_an_own_item_needs_a_name(alice):
    with pytest.raises(ValidationError):
        services.add_own_item(alice, category="body", label="   ")


def test_nothing_is_written_without_consent(alice):
    withdraw_consent(alice)
    with pytest.raises(ConsentRequired):
        services.update_profile(alice, boundaries="x")
    with pytest.raises(ConsentRequired):
        services.set_preference(alice, CareItem.objects.get(key="water"), receive="yes")
    with pytest.raises(ConsentRequired):
        services.add_own_item(alice, category="body", label="x")


def test_self_care_leaves_out_what_the_person_said_no_to(alice):
    water = CareItem.objects.get(key="water")
    shower = CareItem.objects.get(key="shower")
    services.set_preference(alice, water, receive="no")
    services.set_preference(alice, shower, receive="yes")
    items = services.self_care_items(alice)
    assert water not in items
    assert items[0] == shower


def test_words_saved_as_you_type_never_undo_a_finished_profile(alice):
    """Typing in a field saves it on its own; tapping "my profile is ready" right after sends a
    second request. When the typing's save lands last, the profile must stay finished."""
    services.profile_for(alice)
    finished_in_between = []

    def finish_meanwhile(sender, instance, update_fields=None, **kwargs):
        if not finished_in_between:
            finished_in_between.append(True)
            services.complete_profile(alice)

    pre_save.connect(finish_meanwhile, sender=AftercareProfile)
    try:
        services.update_profile(alice, boundaries="Ask before touching my neck.")
    finally:
        pre_save.disconnect(finish_meanwhile, sender=AftercareProfile)
    profile = services.profile_for(alice)
    assert profile.completed_at is not None
    assert profile.boundaries == "Ask before touching my neck."


def test_two_quick_taps_on_one_row_keep_both_answers(alice):
    """'I'd like this' and 'I'm glad to give' tapped quickly are two requests; when the second
    read the row before the first wrote it, both answers still stay."""
    item = CareItem.objects.get(key="water")
    services.set_preference(alice, item, receive=Answer.NO)
    tapped_meanwhile = []

    def first_tap_lands(sender, instance, **kwargs):
        if not tapped_meanwhile:
            tapped_meanwhile.append(True)
            services.set_preference(alice, item, receive=Answer.YES)

    pre_save.connect(first_tap_lands, sender=Preference)
    try:
        services.set_preference(alice, item, give=Answer.MAYBE)
    finally:
        pre_save.disconnect(first_tap_lands, sender=Preference)
    preference = Preference.objects.get(person=alice, item=item)
    assert (preference.receive, preference.give) == (Answer.YES, Answer.MAYBE)

"""State changes of the care catalogue and of a person's aftercare profile."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from care.catalogue import ITEMS
from care.models import CATEGORY_CHOICES, AftercareProfile, Answer, CareItem, Preference
from consent.services import require_consent

PROFILE_TEXT_FIELDS = ("time_needed", "drop_signs", "drop_helps", "self_care", "boundaries")
PROFILE_FLAGS = ("ask_again_if_fine", "next_day_checkin")
MAX_TEXT = 4000


def sync_catalogue() -> None:
    """Make the table match care/catalogue.py: add new keys, update order, retire removed."""
    keys = []
    for position, (key, category, _label, _hint, self_care) in enumerate(ITEMS):
        keys.append(key)
        CareItem.objects.update_or_create(
            key=key,
            defaults={
                "category": category,
                "self_care": self_care,
                "position": position,
                "retired": False,
            },
        )
    CareItem.objects.filter(key__isnull=False).exclude(key__in=keys).update(retired=True)


def profile_for(person) -> AftercareProfile:
    profile, _created = AftercareProfile.objects.get_or_create(person=person)
    return profile


def _check_text(values: dict) -> None:
    too_long = [name for name, value in values.items() if len(value or "") > MAX_TEXT]
    if too_long:
        raise ValidationError(
            {
                name: _("Please keep this under %(n)s characters.") % {"n": MAX_TEXT}
                for name in too_long
            }
        )


def update_profile(person, **changes) -> AftercareProfile:
    require_consent(person)
    unknown = set(changes) - set(PROFILE_TEXT_FIELDS) - set(PROFILE_FLAGS)
    if unknown:
        raise ValueError(f"not part of the profile: {', '.join(sorted(unknown))}")
    _check_text({k: v for k, v in changes.items() if k in PROFILE_TEXT_FIELDS})
    profile = profile_for(person)
    for name, value in changes.items():
        setattr(profile, name, value)
    # Only what changed: a save-as-you-type that lands after "my profile is ready" (the same tap
    # can send both) must not write back the completion it never saw.
    profile.save(update_fields=[*changes, "updated_at"])
    return profile


def complete_profile(person) -> AftercareProfile:
    """The person says their profile is ready (partners see a shared plan only then)."""
    require_consent(person)
    profile = profile_for(person)
    if profile.completed_at is None:
        profile.completed_at = timezone.now()
        profile.save(update_fields=["completed_at", "updated_at"])
    return profile


def _check_answers(*values: str | None) -> None:
    if any(value is not None and value not in Answer.values for value in values):
        raise ValidationError(_("Please choose yes, maybe, no or not sure."))


def set_preference(
    person, item: CareItem, *, receive: str | None = None, give: str | None = None
) -> Preference:
    require_consent(person)
    _check_answers(receive, give)
    preference, _created = Preference.objects.get_or_create(person=person, item=item)
    changed = ["updated_at"]
    if receive is not None:
        preference.receive = receive
        changed.append("receive")
    if give is not None:
        preference.give = give
        changed.append("give")
    # Two quick taps on one row are two requests: each writes only its own side of the answer.
    preference.save(update_fields=changed)
    return preference


@transaction.atomic
def set_preferences(person, answers: dict[CareItem, tuple[str | None, str | None]]) -> None:
    """Save many answers at once (the whole profile form, the API's profile PATCH): one
    consent check, every answer checked before anything is written, the rows that exist read
    in one query, then one bulk update and one bulk insert, however many items."""
    require_consent(person)
    for receive, give in answers.values():
        _check_answers(receive, give)
    existing = {
        p.item_id: p
        for p in Preference.objects.filter(person=person, item__in=[i.pk for i in answers])
    }
    now = timezone.now()
    changed, added = [], []
    for item, (receive, give) in answers.items():
        preference = existing.get(item.pk)
        if preference is None:
            preference = Preference(person=person, item=item)
            added.append(preference)
        else:
            changed.append(preference)
        if receive is not None:
            preference.receive = receive
        if give is not None:
            preference.give = give
        preference.updated_at = now  # bulk_update does not apply auto_now
    if changed:
        Preference.objects.bulk_update(changed, ["receive", "give", "updated_at"])
    if added:
        # A second tab saving the same new item at the same moment updates it, as before.
        Preference.objects.bulk_create(
            added,
            update_conflicts=True,
            unique_fields=["person", "item"],
            update_fields=["receive", "give", "updated_at"],
        )


def preferences_by_item(person) -> dict[int, Preference]:
    return {p.item_id: p for p in Preference.objects.filter(person=person)}


def grouped_items(person) -> list[tuple[str, Any, list[tuple[CareItem, Preference | None]]]]:
    """(category key, category label, [(item, preference)]) in catalogue order, two queries."""
    prefs = preferences_by_item(person)
    groups: dict[str, list] = {key: [] for key, _label in CATEGORY_CHOICES}
    for item in CareItem.objects.visible_to(person):
        groups[item.category].append((item, prefs.get(item.pk)))
    return [(key, label, groups[key]) for key, label in CATEGORY_CHOICES]


def add_own_item(person, *, category: str, label: str, self_care: bool = False) -> CareItem:
    require_consent(person)
    label = label.strip()
    if not label:
        raise ValidationError({"label": _("Please give it a name.")})
    if len(label) > 80:
        raise ValidationError({"label": _("Please keep the name under 80 characters.")})
    if category not in dict(CATEGORY_CHOICES):
        raise ValidationError({"category": _("Please choose a category.")})
    return CareItem.objects.create(
        person=person, category=category, own_label=label, self_care=self_care
    )


def remove_own_item(item: CareItem) -> None:
    item.delete()


def self_care_items(person, *, first=()) -> list[CareItem]:
    """What the person can do alone: their own self-care items and the catalogue's, the ones
    they said yes or maybe to first, then the keys in ``first``; never one they said no to."""
    prefs = preferences_by_item(person)
    items = [i for i in CareItem.objects.visible_to(person) if i.self_care]
    rank: dict[str, int] = {Answer.YES: 0, Answer.MAYBE: 1, Answer.UNSURE: 2, Answer.NO: 3}

    def answer(item):
        pref = prefs.get(item.pk)
        return rank[pref.receive] if pref else 2

    def order(item):
        return answer(item), first.index(item.key) if item.key in first else len(first)

    return [i for i in sorted(items, key=order) if answer(i) < 3]

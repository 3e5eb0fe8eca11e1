"""The care a person gave, on their own check-in: who may set it, from which items, and
after which encounters it is asked at all."""

from collections.abc import Callable
from functools import partial

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from care.models import CareItem
from checkins.models import SELF_CARE_KINDS, CheckIn
from consent.services import require_consent


def own_care(person, items, *, also=()) -> list:
    """The items without repeats, once each is the catalogue's or the person's own."""
    items = list(dict.fromkeys(items))
    if any(item.person_id not in (None, person.pk) for item in [*items, *also]):
        raise ValidationError({"care_given": _("Please choose from the care shown.")})
    return items


def set_care_given(person, checkin: CheckIn, care_given) -> CheckIn:
    """Change the care the person gave, on one of their own check-ins: there is often more
    room to think of it later. What they share of it follows at once."""
    require_consent(person)
    if checkin.person_id != person.pk:
        raise ValidationError(_("Only the person who checked in can change it."))
    given_is_asked(checkin.encounter_kind, care_given)
    checkin.care_given.set(own_care(person, care_given))
    return checkin


def given_is_asked(kind: str | None, care_given) -> None:
    # After a show or solo the wind-down routine asks instead; the API keeps to the pages.
    if care_given and kind in SELF_CARE_KINDS:
        raise ValidationError(
            {"care_given": _("The care you gave is noted after time with someone else.")}
        )


def given_choices(person, checkin: CheckIn):
    """What the care given on a check-in may be changed to, or None where it is not asked."""
    return care_choices(person, checkin.encounter_kind)


def care_choices(person, kind: str) -> Callable[[], QuerySet] | None:
    """What care given and received are chosen from on a check-in (built when the form
    first needs it, see checkins.forms.CareItemChoiceField), or None where it is not asked:
    after a show or solo, the wind-down routine asks instead. ``kind`` is the encounter's
    kind as the person knew it, which later edits they cannot see leave alone."""
    if not kind or kind in SELF_CARE_KINDS:
        return None
    return partial(CareItem.objects.visible_to, person)

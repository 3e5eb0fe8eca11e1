"""Encounters and check-ins a person may see or change. Anything else is simply not found."""

from django.core.exceptions import ValidationError
from django.http import Http404

from checkins.models import CheckIn, Encounter


def encounter_write(request, code) -> Encounter:
    """The person's own encounter: only its author changes or deletes it."""
    try:
        return Encounter.objects.for_person(request.user).with_details().get(code=code)
    except (Encounter.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def encounter_read(request, code, *, details: bool = True) -> Encounter:
    """The person's own encounter, or one a partner named them on while they share with
    each other. A partner may read it and add their own check-in, nothing more.

    Without ``details`` only the connections are loaded (enough to check in)."""
    found = (
        Encounter.objects.with_details()
        if details
        else Encounter.objects.prefetch_related("connections__sides")
    )
    try:
        encounter = found.filter(person=request.user, code=code).first() or found.get(
            pk__in=Encounter.objects.shared_with(request.user).values("pk"), code=code
        )
    except (Encounter.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404 from None
    if encounter.person_id != request.user.pk and not encounter.is_shared_live_with(request.user):
        raise Http404
    return encounter


def checkin_read(request, code) -> CheckIn:
    try:
        return CheckIn.objects.for_person(request.user).select_related("encounter").get(code=code)
    except (CheckIn.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def own_checkin_or_none(request, code) -> CheckIn | None:
    """The person's own check-in (the one a repeated form already made), if it is still there."""
    return CheckIn.objects.for_person(request.user).filter(code=code).first()

"""Encounters and check-ins a person may see or change. Anything else is simply not found."""

import uuid

from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404

from checkins.models import CheckIn, Encounter
from lib.compiled import Compiled

# Every check-in asks it: compiled once per process (lib.compiled).
TO_CHECK_IN_ON = Compiled(
    lambda code: Encounter.objects.with_names_connections().filter(code=code)[:1], uuid.UUID
)


def encounter_write(request, code) -> Encounter:
    """The person's own encounter: only its author changes or deletes it."""
    try:
        return Encounter.objects.for_person(request.user).with_details().get(code=code)
    except (Encounter.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def encounter_read(request, code, *, details: bool = True) -> Encounter:
    """The person's own encounter, or one a partner named them on while they share with
    each other. A partner may read it and add their own check-in, nothing more.

    One query finds it by its code; whose it is and whether it is shared is then read from
    it (``Encounter.is_in_sight_of``), the one place that rule is written. Without
    ``details`` only the connections are loaded (enough to check in), and not even they when
    the encounter names none."""
    viewer = request.user
    try:
        if details:
            encounter = Encounter.objects.with_details().get(code=code)
        else:
            encounter = _to_check_in_on(code)
    except (Encounter.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404 from None
    if not details and encounter.names_connections:  # type: ignore[attr-defined]
        prefetch_related_objects([encounter], "connections__sides")
    if not encounter.is_in_sight_of(viewer):
        raise Http404
    return encounter


def _to_check_in_on(code) -> Encounter:
    found = TO_CHECK_IN_ON.objects(code if isinstance(code, uuid.UUID) else uuid.UUID(str(code)))
    if not found:
        raise Encounter.DoesNotExist
    return found[0]


def checkin_read(request, code) -> CheckIn:
    try:
        return CheckIn.objects.for_person(request.user).select_related("encounter").get(code=code)
    except (CheckIn.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def own_checkin_or_none(request, code) -> CheckIn | None:
    """The person's own check-in (the one a repeated form already made), if it is still there."""
    return CheckIn.objects.for_person(request.user).filter(code=code).first()

"""Encounters and check-ins a person may see or change. Anything else is simply not found."""

from django.http import Http404

from checkins.models import CheckIn, Encounter


def encounter_write(request, code) -> Encounter:
    """The person's own encounter: only its author changes or deletes it."""
    try:
        return Encounter.objects.for_person(request.user).with_details().get(code=code)
    except (Encounter.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def encounter_read(request, code) -> Encounter:
    """The person's own encounter, or one a partner named them on while they share with
    each other. A partner may read it and add their own check-in, nothing more."""
    from partners.services import is_sharing

    visible = Encounter.objects.for_person(request.user) | Encounter.objects.shared_with(
        request.user
    )
    try:
        encounter = Encounter.objects.with_details().get(pk__in=visible.values("pk"), code=code)
    except (Encounter.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if encounter.person_id != request.user.pk and not any(
        is_sharing(c) and any(s.person_id == request.user.pk for s in c.sides.all())
        for c in encounter.connections.all()
    ):
        raise Http404
    return encounter


def checkin_read(request, code) -> CheckIn:
    try:
        return CheckIn.objects.for_person(request.user).select_related("encounter").get(code=code)
    except (CheckIn.DoesNotExist, ValueError, TypeError):
        raise Http404 from None

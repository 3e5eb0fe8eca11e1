"""Encounters and check-ins a person may see or change. Anything else is simply not found."""

from django.http import Http404

from checkins.models import CheckIn, Encounter


def encounter_read(request, code) -> Encounter:
    try:
        return Encounter.objects.for_person(request.user).with_details().get(code=code)
    except (Encounter.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def encounter_write(request, code) -> Encounter:
    return encounter_read(request, code)


def checkin_read(request, code) -> CheckIn:
    try:
        return CheckIn.objects.for_person(request.user).select_related("encounter").get(code=code)
    except (CheckIn.DoesNotExist, ValueError, TypeError):
        raise Http404 from None

"""Follow-ups a person may see or answer: their own. Anything else is simply not found."""

from django.http import Http404

from followups.models import FollowUp


def followup_for_owner(request, code) -> FollowUp:
    try:
        return FollowUp.objects.for_person(request.user).select_related("encounter").get(code=code)
    except (FollowUp.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def followups_with_history(person):
    """The person's own follow-ups, each with its encounter, check-in and events."""
    return (
        FollowUp.objects.for_person(person)
        .select_related("encounter", "checkin")
        .prefetch_related("events")
    )


def followup_with_history(request, code) -> FollowUp:
    followup_for_owner(request, code)  # not yours: 404
    return followups_with_history(request.auth).get(code=code)

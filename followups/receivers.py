"""What follow-ups do when the apps below them say something happened (connected by
FollowupsConfig.ready)."""

from django.contrib import messages
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.signals import schedule_changed
from checkins import signals as checkins
from consent.signals import consent_withdrawn
from followups import by_token
from followups import services as followups
from followups.models import FollowUp, FollowUpEvent
from lib.compiled import Compiled
from lib.links import site_link
from notify import inbox
from notify import messages as outgoing
from notify.models import Notification


@receiver(checkins.encounter_logged, dispatch_uid="followups-encounter-logged")
def plan_for_author(sender, *, encounter, person, **kwargs) -> None:
    followups.schedule(person, encounter)


@receiver(checkins.encounter_changed, dispatch_uid="followups-encounter-changed")
def keep_what_they_know(sender, *, encounter, in_sight, known, **kwargs) -> None:
    """Who still sees the encounter learns its new time and kind in their follow-ups too."""
    FollowUp.objects.filter(encounter=encounter, person__in=in_sight).update(**known)


@receiver(checkins.encounter_moved, dispatch_uid="followups-encounter-moved")
def move_with_encounter(sender, *, encounter, in_sight, **kwargs) -> None:
    followups.reschedule(encounter, in_sight)


@receiver(checkins.encounter_deleting, dispatch_uid="followups-encounter-deleting")
def forget_authors(sender, *, encounter, **kwargs) -> None:
    followups.forget_authors_followups(encounter)


@receiver(checkins.checkin_saved, dispatch_uid="followups-checkin-saved")
def after_checkin(sender, *, checkin, person, encounter, is_author, answers_followups, **kw):
    if encounter is not None and not is_author:
        # A partner named on the encounter gets the same follow-ups once they check in.
        followups.schedule(person, encounter)
    if answers_followups:
        followups.answered_by(checkin)


@receiver(schedule_changed, dispatch_uid="followups-schedule-changed")
def replan(sender, *, person, **kwargs) -> None:
    followups.replan(person)


@receiver(consent_withdrawn, dispatch_uid="followups-consent-withdrawn")
def stop_own(sender, *, person, **kwargs) -> None:
    """Withdrawing stops this person's own follow-ups. A partner's are theirs and run on."""
    followups.cancel_for_person(person, FollowUpEvent.Reason.CONSENT_WITHDRAWN)


# Compiled once per process (lib.compiled): the dashboard asks it on every visit.
WAITING_SHOWN = Compiled(
    lambda person: FollowUp.objects.for_person(person).waiting().order_by("-sent_at")[:3], int
)


@receiver(checkins.page_parts, dispatch_uid="followups-page-parts")
def page_parts(sender, *, person, **about) -> dict:
    if sender != "dashboard":
        return {}
    return {"followups_waiting": WAITING_SHOWN.objects(person.pk)}


def _followup_text(n: Notification, viewer) -> str:
    return _("How are you doing now? A check-in is waiting for you.")


def _followup_page(request, n: Notification):
    if n.followup is None:
        return None
    if n.followup.is_open:
        return redirect("checkins:followup", n.followup.code)
    messages.info(request, followups.closed_words(n.followup))
    return redirect("checkins:followups")


inbox.register(
    Notification.Kind.FOLLOWUP,
    inbox.InboxKind(text=_followup_text, follow=_followup_page, prefetch=("followup",)),
)


def _answers(n: Notification) -> outgoing.Answers | None:
    """A follow-up's push message and e-mail offer "I'm OK" and "Not so good", answered with
    a token of their own (see followups.by_token)."""
    token = by_token.issue(n.followup) if n.followup is not None else None
    if token is None:
        return None
    return outgoing.Answers(
        actions=(
            outgoing.Action(
                by_token.OK, _("I'm OK"), site_link("checkins:followup_by_link", token, "ok")
            ),
            outgoing.Action(
                by_token.NOT_GOOD,
                _("Not so good"),
                site_link("checkins:followup_by_link", token, "not-good"),
            ),
        ),
        push={
            "url": reverse("api-1:followup_answer_with_token"),
            "token": token,
            # The number on the installed app's icon: a count, nothing about what is waiting.
            "waiting": FollowUp.objects.for_person(n.person).waiting().count(),
        },
    )


outgoing.offer_answers(Notification.Kind.FOLLOWUP, _answers)

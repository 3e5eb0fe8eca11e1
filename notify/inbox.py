"""The inbox, inside the app after sign-in: warmer words than what leaves the server, and
where each notification leads."""

from django.contrib import messages
from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from notify.models import Notification
from partners.models import Connection, ConnectionSide
from partners.services import other_name


def describe(notifications: list[Notification], viewer) -> list[dict]:
    sides = ConnectionSide.objects.select_related("person")
    prefetch_related_objects(
        notifications,
        "followup",
        "guest_answer",
        Prefetch("alert__connection__sides", queryset=sides),
        Prefetch("nudge__connection__sides", queryset=sides),
    )
    lines = []
    for n in notifications:
        if n.kind == Notification.Kind.FOLLOWUP:
            text = _("How are you doing now? A check-in is waiting for you.")
        elif n.kind == Notification.Kind.DROP_ALERT and n.alert and n.alert.connection:
            text = _("%(name)s could use some care from you.") % {
                "name": other_name(n.alert.connection, viewer)
            }
        elif n.kind == Notification.Kind.NUDGE and n.nudge:
            text = _("%(name)s is thinking of you. How are you feeling?") % {
                "name": other_name(n.nudge.connection, viewer)
            }
        elif n.kind == Notification.Kind.GUEST_ANSWER and n.guest_answer:
            text = (
                _("Someone answered your check-in link and would like to hear back.")
                if n.guest_answer.wants_to_hear_back
                else _("Someone answered your check-in link.")
            )
        elif n.kind == Notification.Kind.TEST:
            text = _("A test message. Your channel works.")
        else:
            text = _("This was about something that is no longer here.")
        lines.append({"notification": n, "text": text, "unread": n.read_at is None})
    return lines


def follow(request, notification: Notification):
    from checkins.models import FollowUpState

    if notification.kind == Notification.Kind.FOLLOWUP and notification.followup:
        if notification.followup.state in (FollowUpState.SCHEDULED, FollowUpState.SENT):
            return redirect("checkins:followup", notification.followup.code)
        messages.info(request, _("That follow-up has already passed. Nothing to do."))
        return redirect("checkins:followups")
    if notification.kind == Notification.Kind.DROP_ALERT and notification.alert:
        return _alert_page(request, notification)
    if notification.kind == Notification.Kind.GUEST_ANSWER and notification.guest_answer:
        return redirect(
            reverse("partners:guest_links") + f"#answer-{notification.guest_answer.link.code}"
        )
    if notification.kind == Notification.Kind.NUDGE and notification.nudge:
        from checkins.models import Encounter

        encounter = notification.nudge.encounter
        readable = encounter.person_id == request.user.pk or (
            Encounter.objects.shared_with(request.user).filter(pk=encounter.pk).exists()
        )
        if readable:
            return redirect("checkins:checkin_new", encounter.code)
        messages.info(request, _("That encounter is no longer shared with you."))
    return redirect("notify:inbox")


def _alert_page(request, notification: Notification):
    """What the partner sees: that the person could use some care, and what the shared plan
    says they can give. Never the score, never the answers."""
    from partners.plan import shared_plan

    recipient = notification.alert
    assert recipient is not None  # follow() sends only alerts here
    connection = (
        Connection.objects.prefetch_related("sides__person")
        .filter(alert_recipients=recipient)
        .first()
    )
    ctx: dict = {"notification": notification, "live": False}
    if connection is not None:
        sides = {side.person_id: side for side in connection.sides.all()}
        mine = sides.get(request.user.pk)
        other = next((s for pid, s in sides.items() if pid != request.user.pk), None)
        if mine is not None and other is not None and connection.is_sharing:
            ctx.update(
                live=True,
                name=other_name(connection, request.user),
                plan=shared_plan(request.user, mine, other),
                connection=connection,
                told_at=recipient.told_at,
            )
    return render(request, "checkins/alert_received.html", ctx)

"""What the drop watch and nudges do when checkins says something happened (connected by
AlertsConfig.ready)."""

from django.contrib import messages
from django.db.models import Prefetch
from django.dispatch import receiver
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from alerts import dropwatch, nudges, views
from checkins import signals as checkins
from checkins.models import Encounter
from notify import inbox
from notify.models import Notification
from partners.models import ConnectionSide


@receiver(checkins.checkin_saved, dispatch_uid="alerts-checkin-saved")
def tell_if_dropped(sender, *, checkin, person, **kwargs) -> None:
    if checkin.raised_drop:
        dropwatch.tell_automatically(person, checkin)


@receiver(checkins.page_parts, dispatch_uid="alerts-page-parts")
def page_parts(sender, *, person, **about) -> dict:
    """The tell panel under a check-in, whom one tap would tell, and whom to nudge."""
    if sender == "encounter":
        encounter = about["encounter"]
        return {
            "nudgeable": [
                (c, c.name_for(person)) for c, _side in nudges.nudgeable(encounter, person)
            ]
        }
    if sender == "checkin":
        checkin, dropped = about["checkin"], about["dropped"]
        return {
            "can_tell": dropwatch.who_can_be_told(person, checkin) if dropped else None,
            "alerts": dropwatch.with_names(checkin.alerts.all(), person),
        }
    if sender == "drop_api":
        checkin = about["checkin"]
        return {"can_tell": [str(name) for name in dropwatch.who_can_be_told(person, checkin)]}
    return {}


def _alert_text(n: Notification, viewer) -> str | None:
    if n.alert is None or n.alert.connection is None:
        return None
    return _("%(name)s could use some care from you.") % {
        "name": n.alert.connection.name_for(viewer)
    }


def _nudge_text(n: Notification, viewer) -> str | None:
    if n.nudge is None:
        return None
    return _("%(name)s is thinking of you. How are you feeling?") % {
        "name": n.nudge.connection.name_for(viewer)
    }


def _alert_page(request, n: Notification):
    return views.alert_received(request, n) if n.alert is not None else None


def _nudge_page(request, n: Notification):
    if n.nudge is None:
        return None
    encounter = n.nudge.encounter
    readable = encounter.person_id == request.user.pk or (
        Encounter.objects.shared_with(request.user).filter(pk=encounter.pk).exists()
    )
    if readable:
        return redirect("checkins:checkin_new", encounter.code)
    messages.info(request, _("That encounter is no longer shared with you."))
    return None


_SIDES = ConnectionSide.objects.select_related("person")
inbox.register(
    Notification.Kind.DROP_ALERT,
    inbox.InboxKind(
        text=_alert_text,
        follow=_alert_page,
        prefetch=(Prefetch("alert__connection__sides", queryset=_SIDES),),
    ),
)
inbox.register(
    Notification.Kind.NUDGE,
    inbox.InboxKind(
        text=_nudge_text,
        follow=_nudge_page,
        prefetch=(Prefetch("nudge__connection__sides", queryset=_SIDES),),
    ),
)

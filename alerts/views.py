"""Pages of the drop watch (telling someone) and nudges."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alerts import dropwatch, nudges
from checkins import access
from consent.access import consent_required
from partners.models import Connection
from partners.plan import shared_plan


@login_required
@consent_required
@require_POST
def tell_them(request, code):
    checkin = access.checkin_read(request, code)
    try:
        alert = dropwatch.tell(request.user, checkin)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if alert is None:
            messages.info(request, _("Everyone you chose already knows."))
        else:
            messages.success(request, _("They know you could use some care. You're not alone."))
    return redirect("checkins:checkin_detail", checkin.code)


@login_required
def alert_list(request):
    return render(request, "alerts/alert_list.html", {"alerts": dropwatch.alerts_of(request.user)})


@login_required
@consent_required
@require_POST
def nudge(request, code):
    encounter = access.encounter_read(request, code)
    try:
        nudges.send_nudge(request.user, encounter, request.POST.get("connection", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Sent. They'll find it when they next look."))
    return redirect("checkins:encounter_detail", encounter.code)


def alert_received(request, notification):
    """What the partner sees: that the person could use some care, and what the shared plan
    says they can give. Never the score, never the answers."""
    recipient = notification.alert
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
                name=connection.name_for(request.user),
                plan=shared_plan(request.user, mine, other),
                connection=connection,
                told_at=recipient.told_at,
            )
    return render(request, "alerts/alert_received.html", ctx)

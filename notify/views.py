from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import recently_authenticated
from consent.access import consent_required
from lib.forms import apply_service
from notify import access, inbox, services
from notify.forms import ChannelForm
from notify.models import Notification
from notify.webpush import public_key

INBOX_SIZE = 50


@login_required
def inbox_view(request):
    notifications = list(
        Notification.objects.filter(person=request.user).order_by("-created_at")[:INBOX_SIZE]
    )
    ctx = {"lines": inbox.describe(notifications, request.user)}
    return render(request, "notify/inbox.html", ctx)


@login_required
@require_POST
def inbox_read_all(request):
    services.mark_all_read(request.user)
    return redirect("notify:inbox")


@login_required
def open_notification(request, code):
    """Where a notification leads, after sign-in: the follow-up, the alert, the check-in."""
    notification = access.notification_for_owner(request, code)
    services.mark_read(notification)
    return inbox.follow(request, notification)


def _channels_page(request, form=None, status=200):
    ctx = {
        "channels": access.channels_with_recent_deliveries(request.user),
        "form": form or ChannelForm(initial={"kind": "email", "target": request.user.email}),
        "vapid_public_key": public_key(),
        # Adding and removing need a recent sign-in; the page says so before anyone tries.
        "needs_reauth": not recently_authenticated(request),
    }
    return render(request, "notify/channels.html", ctx, status=status)


@login_required
@reauthentication_required(allow_get=True)
def channels(request):
    if request.method != "POST":
        return _channels_page(request)
    form = ChannelForm(request.POST)
    if form.is_valid():
        added = apply_service(form, lambda: services.add_channel(request.user, **form.cleaned_data))
        if added:
            messages.success(request, _("Added. Send yourself a test to be sure it works."))
            return redirect("notify:channels")
    return _channels_page(request, form, status=400)


@login_required
@consent_required
@require_POST
def channel_test(request, code):
    channel = access.channel_for_owner(request, code)
    services.test_channel(channel)
    messages.success(request, _("A test is on its way. Its result appears below in a moment."))
    return redirect("notify:channels")


@login_required
@require_POST
@reauthentication_required
def channel_remove(request, code):
    channel = access.channel_for_owner(request, code)
    services.remove_channel(channel)
    messages.success(request, _("Removed. Nothing more goes there."))
    return redirect("notify:channels")

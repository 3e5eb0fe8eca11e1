from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import recently_authenticated
from consent.access import consent_required
from lib.forms import apply_service
from lib.pagination import page_of
from notify import access, inbox, messengers, services
from notify.forms import MESSENGER_FORMS, ChannelForm
from notify.models import Notification
from notify.webpush import public_key

INBOX_SIZE = 50
CHANNELS_PER_PAGE = 20


@login_required
def inbox_view(request):
    found = Notification.objects.filter(person=request.user).order_by("-created_at", "-id")
    page = page_of(found, request.GET.get("page"), INBOX_SIZE)
    ctx = {"lines": inbox.describe(list(page.object_list), request.user), "page": page}
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
        "channels": page_of(
            access.channels_with_recent_deliveries(request.user),
            request.GET.get("page"),
            CHANNELS_PER_PAGE,
        ),
        "form": form or ChannelForm(initial={"kind": "email", "target": request.user.email}),
        "vapid_public_key": public_key(),
        # Adding and removing need a recent sign-in; the page says so before anyone tries.
        "needs_reauth": not recently_authenticated(request),
    }
    return render(request, "notify/channels.html", ctx, status=status)


@login_required
def channels(request):
    if request.method != "POST":
        return _channels_page(request)
    form = ChannelForm(request.POST)
    if form.is_valid():
        added = apply_service(
            form, lambda: services.add_channel(request.user, request=request, **form.cleaned_data)
        )
        if added:
            messages.success(request, _("Added. Send yourself a test to be sure it works."))
            return redirect("notify:channels")
    return _channels_page(request, form, status=400)


@login_required
@require_POST
def channel_test(request, code):
    channel = access.channel_for_owner(request, code)
    services.test_channel(channel)
    messages.success(request, _("A test is on its way. Its result appears below in a moment."))
    if request.POST.get("from") == "reach":
        return redirect(_reach_url(request))
    return redirect("notify:channels")


@login_required
@require_POST
def channel_remove(request, code):
    channel = access.channel_for_owner(request, code)
    services.remove_channel(channel, request=request)
    messages.success(request, _("Removed. Nothing more goes there."))
    return redirect("notify:channels")


# "How should we reach you?": the step after consent, and the dashboard card's destination.


def _next(request) -> str:
    """Where the person was going before the step (kept through its forms), if it is ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    ok = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    return target if ok and target.startswith("/") else ""


def _reach_url(request, *, messenger: str = "") -> str:
    query = {"next": _next(request)} if _next(request) else {}
    url = reverse("notify:reach") + (f"?{urlencode(query)}" if query else "")
    return url + (f"#{messenger}" if messenger else "")


def _reach_page(request, *, filled=None, email_error="", status=200):
    person = request.user
    forms = [
        (messenger, filled if filled and filled.prefix == key else MESSENGER_FORMS[key](prefix=key))
        for key, messenger in messengers.MESSENGERS.items()
    ]
    ctx = {
        "channels": access.channels_with_recent_deliveries(person)[:CHANNELS_PER_PAGE],
        "email": person.email,
        "email_verified": services.verified_email(person) is not None,
        "email_error": email_error,
        "messenger_forms": forms,
        "vapid_public_key": public_key(),
        "needs_reauth": not recently_authenticated(request),
        "next": _next(request),
    }
    return render(request, "notify/reach.html", ctx, status=status)


@login_required
@consent_required
def reach(request):
    return _reach_page(request)


@login_required
@consent_required
@require_POST
def reach_email(request):
    try:
        services.add_verified_email(request.user, request=request)
    except ValidationError as refused:
        return _reach_page(request, email_error=" ".join(refused.messages), status=400)
    messages.success(request, _("E-mail is on. Send yourself a test to see how it looks."))
    return redirect(_reach_url(request))


@login_required
@consent_required
@require_POST
def reach_messenger(request, service):
    if service not in MESSENGER_FORMS:
        raise Http404
    form = MESSENGER_FORMS[service](request.POST, prefix=service)
    if form.is_valid():
        added = apply_service(
            form,
            lambda: services.add_messenger(
                request.user, service, form.cleaned_data, request=request
            ),
        )
        if added:
            messages.success(
                request,
                _("%(name)s is on. Send yourself a test to be sure it arrives.")
                % {"name": added.label},
            )
            return redirect(_reach_url(request))
    return _reach_page(request, filled=form, status=400)


@login_required
@require_POST
def reach_done(request):
    """Only here in the app, or not now: either way the question is put away for good."""
    services.answer_reach(request.user)
    if request.POST.get("only_here"):
        messages.success(
            request, _("Only here, then. Whatever is waiting will be in your inbox here.")
        )
    return redirect(_next(request) or "home")

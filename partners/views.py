from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import signup
from consent.access import consent_required
from lib.pagination import page_of
from lib.qr import qr_data_uri
from partners import access, services, wishes
from partners.forms import CodeForm, IdeasForm, NicknameForm, SharingForm, WishForm
from partners.models import Connection, Invite
from partners.plan import shared_plan
from partners.services import partner_name

PER_PAGE = 20


@login_required
def connections(request):
    return _connections_page(request)


def _connections_page(request, form=None, status=200):
    rows = []
    mine = (
        Connection.objects.for_person(request.user)
        .prefetch_related("sides__person")
        .order_by("ended_at", "-created_at", "-id")
    )
    page = page_of(mine, request.GET.get("page"), PER_PAGE)
    for connection in page.object_list:
        my_side = services.side_of(connection, request.user)
        other = None if connection.is_ended else services.other_side(connection, request.user)
        rows.append(
            {
                "connection": connection,
                "name": partner_name(my_side, other),
                "sharing": connection.is_sharing,
            }
        )
    ctx = {
        "rows": rows,
        "page": page,
        "invites": page_of(
            Invite.objects.open().filter(person=request.user).order_by("created_at", "id"),
            request.GET.get("invites"),
            PER_PAGE,
        ),
        "form": form or NicknameForm(),
        "code_form": CodeForm(),
    }
    return render(request, "partners/connections.html", ctx, status=status)


@login_required
@require_POST
@consent_required
def invite_create(request):
    form = NicknameForm(request.POST)
    if not form.is_valid():  # the list again, with the message beside what was typed
        return _connections_page(request, form=form, status=400)
    invite, secret = services.create_invite(request.user, **form.cleaned_data)
    link = request.build_absolute_uri(reverse("partners:join", args=[secret]))
    qr = qr_data_uri(link)
    # Rendered, not redirected: the secret is shown now and stored only as a hash.
    ctx = {"invite": invite, "secret": secret, "link": link, "qr": qr}
    return render(request, "partners/invite.html", ctx)


@login_required
@require_POST
def invite_revoke(request, code):
    services.revoke_invite(access.invite_for_owner(request, code))
    messages.success(request, _("That invite no longer works."))
    return redirect("partners:connections")


def join(request, secret):
    invite = services.open_invite(secret)
    if invite is None:
        return render(request, "partners/join.html", {"expired": True}, status=404)
    if not request.user.is_authenticated:
        # Someone invited by a person here may make an account, also where sign-up is by
        # invitation only; the pass lasts as long as the invite.
        signup.give_pass(request, until=invite.expires_at)
        return render(request, "partners/join.html", {"invite": invite, "secret": secret})
    return _accept(request, invite, secret)


@consent_required
def _accept(request, invite, secret):
    form = NicknameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            connection = services.accept_invite(request.user, secret, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("You're connected. Take your time choosing what to share."))
            return redirect("partners:detail", connection.code)
    ctx = {"invite": invite, "secret": secret, "form": form}
    return render(request, "partners/join.html", ctx, status=400 if form.errors else 200)


@login_required
def join_by_code(request):
    form = CodeForm(request.GET or None)
    if form.is_valid():
        return redirect("partners:join", services.normalise_secret(form.cleaned_data["secret"]))
    return redirect("partners:connections")


@login_required
def detail(request, code):
    connection = access.connection_for(request, code)
    if connection.is_ended:
        return render(request, "partners/ended.html", {"connection": connection})
    mine = services.side_of(connection, request.user)
    other = services.other_side(connection, request.user)
    form = SharingForm(
        request.POST or None,
        initial={
            "nickname": mine.nickname,
            "share_profile": mine.share_profile,
            "shared_answers": mine.shared_answers,
            "share_drop_alerts": mine.share_drop_alerts,
            "share_insights": mine.share_insights,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_side(mine, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("partners:detail", connection.code)
    sharing = connection.is_sharing
    next_time = wishes.next_time(connection, request.user)
    ctx = {
        "connection": connection,
        "mine": mine,
        "other": other,
        "name": partner_name(mine, other),
        "form": form,
        "sharing": sharing,
        "plan": shared_plan(request.user, mine, other) if sharing else None,
        "next_time": next_time,
    }
    ctx["ideas_form"] = IdeasForm(initial={"ideas": next_time["my_ideas"]})
    ctx["wish_form"] = WishForm()
    return render(request, "partners/detail.html", ctx, status=400 if form.errors else 200)


@login_required
def plan_card(request, code):
    connection = access.live_connection_for(request, code)
    mine = services.side_of(connection, request.user)
    other = services.other_side(connection, request.user)
    plan = shared_plan(request.user, mine, other) if connection.is_sharing else None
    ctx = {"connection": connection, "name": partner_name(mine, other), "plan": plan}
    return render(request, "partners/plan_card.html", ctx)


@login_required
@require_POST
def pause(request, code):
    connection = access.live_connection_for(request, code)
    services.pause(services.side_of(connection, request.user))
    messages.info(request, _("Paused. Nothing is shared either way until you resume."))
    return redirect("partners:detail", connection.code)


@login_required
@require_POST
def resume(request, code):
    connection = access.live_connection_for(request, code)
    services.resume(services.side_of(connection, request.user))
    messages.success(request, _("Sharing is back on."))
    return redirect("partners:detail", connection.code)


@login_required
def end(request, code):
    connection = access.live_connection_for(request, code)
    if request.method == "POST":
        services.end(connection)
        messages.info(request, _("The connection has ended. Nothing is shared any more."))
        return redirect("partners:connections")
    name = partner_name(
        services.side_of(connection, request.user), services.other_side(connection, request.user)
    )
    return render(request, "partners/end.html", {"connection": connection, "name": name})

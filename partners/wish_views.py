from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consent.access import consent_required
from partners import access, wishes
from partners.forms import IdeasForm, WishForm


@login_required
@require_POST
@consent_required
def set_ideas(request, code):
    connection = access.live_connection_for(request, code)
    form = IdeasForm(request.POST)
    if form.is_valid():
        wishes.set_picks(connection, request.user, form.cleaned_data["ideas"])
        messages.success(request, _("Your picks are saved, privately."))
    return redirect("partners:detail", connection.code)


@login_required
@require_POST
@consent_required
def add_wish(request, code):
    connection = access.live_connection_for(request, code)
    form = WishForm(request.POST)
    if form.is_valid():
        try:
            wishes.add_wish(connection, request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Added to your next-time list."))
    else:
        messages.error(request, _("Please write a few words."))
    return redirect("partners:detail", connection.code)


@login_required
@require_POST
def remove_wish(request, code, wish):
    connection = access.live_connection_for(request, code)
    wishes.remove_wish(access.wish_for_author(request, connection, wish))
    return redirect("partners:detail", connection.code)

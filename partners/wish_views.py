from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partners import access, wishes
from partners.forms import IdeasForm, WishForm
from partners.models import Wish
from privacy.access import consent_required


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
    try:
        found = Wish.objects.get(connection=connection, person=request.user, code=wish)
    except (Wish.DoesNotExist, ValueError):
        raise Http404 from None
    wishes.remove_wish(found)
    return redirect("partners:detail", connection.code)

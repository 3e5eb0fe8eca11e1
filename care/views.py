from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from care import access, services
from care.forms import OwnItemForm, ProfileWordsForm
from care.models import Answer
from consent.access import consent_required


def _answers_from(post, item) -> tuple[str | None, str | None]:
    return post.get(f"receive-{item.code}"), post.get(f"give-{item.code}")


def _changed_here(post, item) -> tuple[str | None, str | None]:
    """The answers the whole form changed from what its page showed (None: leave it). A tab
    opened earlier still shows older answers; sending them back unchanged must not undo what
    was answered since, in another tab or on another device."""
    receive, give = _answers_from(post, item)
    shown = post.get(f"shown-{item.code}", "").split()
    if len(shown) == 2:
        receive = None if receive == shown[0] else receive
        give = None if give == shown[1] else give
    return receive, give


def _profile_page(request, *, words_form=None, item_form=None, status=200):
    ctx = {
        "groups": services.grouped_items(request.user),
        "answers": Answer.choices,
        "words_form": words_form or ProfileWordsForm(instance=services.profile_for(request.user)),
        "item_form": item_form or OwnItemForm(),
        "profile": services.profile_for(request.user),
    }
    return render(request, "care/profile.html", ctx, status=status)


@login_required
@consent_required
def profile(request):
    """The whole profile as one form: it works without JavaScript; htmx saves as you go."""
    if request.method != "POST":
        return _profile_page(request)
    words_form = ProfileWordsForm(request.POST, instance=services.profile_for(request.user))
    if not words_form.is_valid():
        return _profile_page(request, words_form=words_form, status=400)
    answers = {}
    for _key, _label, rows in services.grouped_items(request.user):
        for item, _pref in rows:
            receive, give = _changed_here(request.POST, item)
            if receive or give:
                answers[item] = (receive, give)
    try:
        services.set_preferences(request.user, answers)
        services.update_profile(
            request.user, **{k: words_form.cleaned_data[k] for k in words_form.fields}
        )
    except ValidationError as exc:
        words_form.add_error(None, exc)
        return _profile_page(request, words_form=words_form, status=400)
    if "done" in request.POST:
        services.complete_profile(request.user)
    messages.success(request, _("Your profile is saved."))
    return redirect("care:profile")


@login_required
@require_POST
@consent_required
def save_item(request, code):
    """One tap on one answer (htmx): save it and send back that row."""
    item = access.item_visible(request, code)
    receive, give = _answers_from(request.POST, item)
    try:
        preference = services.set_preference(request.user, item, receive=receive, give=give)
    except ValidationError as exc:
        return HttpResponseBadRequest(" ".join(exc.messages))
    ctx = {"item": item, "pref": preference, "answers": Answer.choices, "saved": True}
    return render(request, "care/profile.html#item", ctx)


@login_required
@require_POST
@consent_required
def save_words(request):
    """The profile's own words, saved when a field changes (htmx)."""
    form = ProfileWordsForm(request.POST, instance=services.profile_for(request.user))
    if form.is_valid():
        services.update_profile(request.user, **{k: form.cleaned_data[k] for k in form.fields})
        return render(request, "care/profile.html#words-status", {"saved": True})
    return render(request, "care/profile.html#words-status", {"form": form}, status=400)


@login_required
@require_POST
@consent_required
def add_item(request):
    form = OwnItemForm(request.POST)
    if not form.is_valid():
        return _profile_page(request, item_form=form, status=400)
    services.add_own_item(request.user, **form.cleaned_data)
    messages.success(request, _("Added to your list."))
    return redirect("care:profile")


@login_required
@require_POST
def remove_item(request, code):
    services.remove_own_item(access.own_item_write(request, code))
    messages.success(request, _("Removed."))
    return redirect("care:profile")


@login_required
@consent_required
def card(request):
    prefs = services.preferences_by_item(request.user)
    wanted, given = [], []
    for _key, _label, rows in services.grouped_items(request.user):
        for item, _pref in rows:
            pref = prefs.get(item.pk)
            if pref and pref.receive in (Answer.YES, Answer.MAYBE):
                wanted.append((item, pref.receive))
            if pref and pref.give in (Answer.YES, Answer.MAYBE):
                given.append((item, pref.give))
    ctx = {"profile": services.profile_for(request.user), "wanted": wanted, "given": given}
    return render(request, "care/card.html", ctx)


def guide(request):
    return render(request, "care/guide.html")

"""Pages of the follow-ups, the drop watch and nudges."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts import submissions
from checkins import access, giving
from checkins.forms import CheckInForm
from checkins.views import ALREADY_SAVED
from consent.access import consent_required
from followups import access as followup_access
from followups import by_token
from followups import services as followups
from followups.models import FollowUp, FollowUpState
from lib import discreet
from lib.pagination import page_of

HISTORY_SIZE = 30
# The follow-ups waiting for an answer pass after a day, so there are only ever a few.
WAITING_SHOWN = 50


def _after_answer(request, submitted, quick_ok: bool):
    """The drop response when the answer raised a signal, else home. A second tap on the same
    form goes where the first went."""
    if submitted.repeated:
        messages.info(request, ALREADY_SAVED)
        checkin = access.own_checkin_or_none(request, submitted.earlier)
    else:
        checkin = submitted.made
        if quick_ok and not checkin.raised_drop:
            messages.success(request, _("Good to hear. Thank you for letting us know."))
        elif not checkin.raised_drop:
            messages.success(request, _("Thank you for checking in."))
    if checkin is not None and checkin.raised_drop:
        return redirect("checkins:checkin_detail", checkin.code)
    return redirect("home")


@login_required
def followup_list(request):
    mine = FollowUp.objects.for_person(request.user).select_related("encounter")
    ctx = {
        "waiting": mine.filter(state=FollowUpState.SENT).order_by("due_at")[:WAITING_SHOWN],
        "ahead": mine.filter(state=FollowUpState.SCHEDULED).order_by("due_at")[:20],
        "past": page_of(
            mine.exclude(state__in=[FollowUpState.SENT, FollowUpState.SCHEDULED])
            .prefetch_related("events")
            .order_by("-due_at", "-id"),
            request.GET.get("page"),
            HISTORY_SIZE,
        ),
    }
    return render(request, "followups/followup_list.html", ctx)


@login_required
@consent_required
def followup_answer(request, code):
    followup = followup_access.followup_for_owner(request, code)
    form = CheckInForm(
        request.POST or None,
        routine=None,
        share_default=None,
        care_items=giving.care_choices(request.user, followup.encounter_kind),
    )
    if request.method == "POST" and form.is_valid():
        quick_ok = "ok" in request.POST
        answers = {} if quick_ok else dict(form.cleaned_data)
        answers.pop("submission", None)
        answers.pop("winddown", None)
        submitted = submissions.once_from_form(
            request, form, "followup_answer", lambda: followups.answer(followup, **answers)
        )
        if submitted:
            return _after_answer(request, submitted, quick_ok)
        followup.refresh_from_db()
    # The follow-up is the person's own: it stays answerable after the encounter is gone.
    if not followup.is_open:
        messages.info(request, followups.closed_words(followup))
        return redirect("checkins:followups")
    status = 400 if form.errors else 200
    ctx = {"followup": followup, "form": form, "snooze_hours": followups.SNOOZE_HOURS}
    return render(request, "followups/followup_answer.html", ctx, status=status)


@login_required
@require_POST
def followup_snooze(request, code):
    followup = followup_access.followup_for_owner(request, code)
    try:
        hours = int(request.POST.get("hours", ""))
        followups.snooze(followup, hours)
    except (ValueError, ValidationError):
        messages.error(request, _("That follow-up can't be snoozed any more."))
    else:
        messages.success(request, _("We'll ask again later."))
    return redirect("checkins:followups")


@login_required
@require_POST
def followup_skip(request, code):
    followup = followup_access.followup_for_owner(request, code)
    try:
        followups.skip(followup)
    except ValidationError:
        messages.error(request, _("That follow-up has already passed."))
    else:
        messages.success(request, _("Skipped. No need to answer this one."))
    return redirect("checkins:followups")


# The two buttons of a follow-up e-mail ("I'm OK", "Not so good"), by the name in the link.
LINK_CHOICES = {"ok": by_token.OK, "not-good": by_token.NOT_GOOD}


# No sign-in and no cookie: the token in the link is the credential, good for this one
# answer only, so the form needs no CSRF cookie either (a page elsewhere that posts here
# without the token can do nothing). A GET only asks to confirm: mail scanners open links.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def followup_by_link(request, token, choice):
    chosen = LINK_CHOICES.get(choice)
    if chosen is None:
        raise Http404
    try:
        if request.method == "POST":
            done = by_token.answer_with_token(token, chosen)
            person = done.followup.person
        else:
            person = by_token.check(token).followup.person
    except by_token.Refused as refused:
        status = 404 if refused.reason == by_token.GONE else 200
        ctx = {"said": by_token.SAID[refused.reason], "answered": refused.reason}
        return render(request, "followups/answer_by_link.html", ctx, status=status)
    if request.method == "POST" and chosen == by_token.NOT_GOOD:
        # The drop response, own plan first, after sign-in: the plan is not for whoever
        # holds the e-mail.
        return redirect("checkins:checkin_detail", done.checkin.code)
    request.discreet = person.discreet_mode  # the neutral name in the tab, as in the e-mail
    language = person.language or get_language() or settings.LANGUAGE_CODE
    with discreet.speaking(language, discreet=person.discreet_mode):
        ctx = {"choice": chosen, "token": token, "done": request.method == "POST"}
        return render(request, "followups/answer_by_link.html", ctx)

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consent import services
from consent.models import CONSENT_VERSION, PURPOSES, Consent
from privacy.forms import ConsentForm


@login_required
def consent(request):
    current = Consent.objects.current_for(request.user).first()
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.give_consent(request.user, adult_confirmed=form.cleaned_data["adult"])
        messages.success(
            request,
            _("Thank you. You can change your mind at any time, under “Your consent” below."),
        )
        target = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = ""
        return redirect(_after_consent(request.user, target))
    ctx = {"form": form, "current": current, "purposes": PURPOSES, "version": CONSENT_VERSION}
    return render(request, "privacy/consent.html", ctx)


def _after_consent(person, target: str) -> str:
    """Where consent leads: first to "How should we reach you?" while it is unanswered (then
    on to where the person was going), else straight there."""
    step = reverse("notify:reach")
    if person.reach_answered_at is not None or target.startswith(step):
        return target or reverse("home")
    return f"{step}?{urlencode({'next': target})}" if target else step


@login_required
@require_POST
def withdraw(request):
    services.withdraw_consent(request.user)
    messages.info(
        request,
        _("Your consent is withdrawn. We will store nothing new and send you no check-ins."),
    )
    return redirect("privacy:consent")

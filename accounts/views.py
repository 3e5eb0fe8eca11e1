from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import access, services, signup
from accounts.forms import SettingsForm, TimeZoneOfferForm, TokenForm
from accounts.models import AccessToken, zone_label
from lib.pagination import page_of

PER_PAGE = 20


def _settings_page(request, *, form=None, token_form=None, new_secret=None, status=200):
    ctx = {
        "form": form or SettingsForm(instance=request.user),
        "token_form": token_form or TokenForm(),
        "tokens": page_of(
            AccessToken.objects.for_person(request.user), request.GET.get("page"), PER_PAGE
        ),
        "new_secret": new_secret,
    }
    return render(request, "accounts/settings.html", ctx, status=status)


@login_required
def settings_view(request):
    if request.method == "POST":
        form = SettingsForm(request.POST, instance=request.user)
        if form.is_valid():
            changes = {name: form.cleaned_data[name] for name in form.changed_data}
            services.update_settings(request.user, **changes)
            messages.success(request, _("Saved."))
            return redirect("accounts:settings")
        return _settings_page(request, form=form, status=400)
    return _settings_page(request)


def _back(request):
    """To the page the offer was answered on, when it is one of ours."""
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return back
    return "home"


@login_required
@require_POST
def time_zone_offer(request):
    """Answers the offer a page makes when the device's zone is not the saved one
    (accounts/templates/accounts/time_zone_offer.html): switch to it, or keep ours and
    not be asked about that zone again. Never changed without this tap."""
    form = TimeZoneOfferForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _(
                "We could not tell which time zone that was, so nothing changed. "
                "You can choose yours in Settings."
            ),
        )
        return redirect(_back(request))
    zone = form.cleaned_data["time_zone"]
    if form.cleaned_data["choice"] == TimeZoneOfferForm.SWITCH:
        services.update_settings(request.user, time_zone=zone)
        messages.success(request, _("Times now use %(zone)s.") % {"zone": zone_label(zone)})
    else:
        services.update_settings(request.user, declined_time_zone=zone)
        messages.success(
            request,
            _("Times stay in %(kept)s. We won't ask about %(zone)s again.")
            % {"kept": request.user.time_zone_label, "zone": zone_label(zone)},
        )
    return redirect(_back(request))


@login_required
@require_POST
@reauthentication_required
def token_create(request):
    token_form = TokenForm(request.POST)
    if not token_form.is_valid():
        return _settings_page(request, token_form=token_form, status=400)
    _token, secret = services.create_token(request.user, token_form.cleaned_data["name"])
    # Rendered, not redirected: the secret is shown this once and stored nowhere.
    return _settings_page(request, new_secret=secret)


@login_required
@require_POST
def token_revoke(request, code):
    token = access.token_for_owner(request, code)
    services.revoke_token(token)
    messages.success(request, _("The token “%(name)s” no longer works.") % {"name": token.name})
    return redirect("accounts:settings")


@require_http_methods(["GET", "POST"])
def quick_exit(request):
    """Leave for a neutral page, signing out first so that Back reopens nothing.

    Pages post here with a beacon before they leave (static/js/app.js), or as a plain form
    without JavaScript. The beacon gets an empty answer: a redirect would make it follow the
    person to the neutral site, which the page's Content Security Policy refuses. The form
    gets a page that moves on by itself, for the same reason: the CSP's form-action covers a
    form's redirects too, and the neutral site is another origin.
    """
    # Only a POST (with its CSRF token) signs out; a GET just leaves, for signed-out pages.
    signing_out = request.method == "POST" and request.user.is_authenticated
    if signing_out and request.user.quick_exit_signs_out:
        logout(request)
    if request.POST.get("beacon"):
        return HttpResponse(status=204)
    return leaving(request)


def leaving(request):
    """A page that moves on to the neutral site at once (without signing anyone out)."""
    response = render(request, "accounts/leaving.html", {"url": settings.QUICK_EXIT_URL})
    response["Cache-Control"] = "no-store"
    return response


def signup_link(request, secret):
    """An operator's sign-up link (`manage.py invite`): it opens the sign-up form on this
    device until it expires; making the account spends it."""
    link = signup.open_link(secret)
    if link is None:
        return render(request, "accounts/signup_link_expired.html", status=404)
    signup.give_pass(request, until=link.expires_at, link=link)
    return redirect("account_signup")

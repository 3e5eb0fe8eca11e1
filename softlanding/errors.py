"""Error answers: pages in our own layout, and JSON with a ``detail`` under /api/.

Django calls these as handler400/403/404/500 (and allauth calls handler429 when a rate
limit is hit); CSRF failures come through ``csrf_failure``.
"""

from allauth.account.forms import SignupForm
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.views import leaving


def is_api(request) -> bool:
    return request.path.startswith("/api/")


def _answer(request, status: int, template: str, detail: str) -> HttpResponse:
    if is_api(request):
        return JsonResponse({"detail": detail}, status=status)
    return render(request, template, status=status)


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):
        return _answer(request, 413, "errors/413.html", "The request is too large.")
    return _answer(request, 400, "400.html", "The request could not be read.")


def permission_denied(request, exception=None):
    return _answer(request, 403, "403.html", "Forbidden.")


def page_not_found(request, exception=None):
    return _answer(request, 404, "404.html", "Not found.")


def csrf_failure(request, reason=""):
    if request.path == reverse("accounts:quick_exit"):
        # A stale page's quick exit still leaves at once; it cannot sign out without the token.
        return leaving(request)
    # The reason stays out of the page: it can name headers and origins, and it helps nobody.
    return _answer(request, 403, "403_csrf.html", "The CSRF token is missing or wrong.")


def too_many_requests(request, exception=None):
    if is_api(request):
        return JsonResponse({"detail": "Too many requests. Please wait a little."}, status=429)
    match = request.resolver_match
    if request.method == "POST" and match is not None and match.url_name == "account_signup":
        return _signup_again(request)
    return render(request, "429.html", status=429)


def _signup_again(request):
    """The sign-up form again with the e-mail address kept, never the passwords."""
    form = SignupForm(initial={"email": request.POST.get("email", "")[:254]})
    messages.error(
        request,
        _("Lots of accounts were made from here just now. Please wait a while and try again."),
    )
    ctx = {"form": form, "login_url": reverse("account_login")}
    return render(request, "account/signup.html", ctx, status=429)


def server_error(request):
    """Nothing from the request or the database: whatever broke may be broken here too."""
    if is_api(request):
        return JsonResponse({"detail": "Something went wrong on our side."}, status=500)
    context = {"instance_name": settings.INSTANCE_NAME, "quick_exit_url": settings.QUICK_EXIT_URL}
    try:
        page = loader.get_template("500.html").render(context)
    except Exception:
        # Even the template can fail (a missing static manifest): a bare page still helps.
        page = "<!DOCTYPE html><title>Error</title><h1>Something went wrong</h1>"
    return HttpResponse(page, status=500)

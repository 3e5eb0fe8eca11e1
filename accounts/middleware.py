import contextlib
from typing import Any

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib.auth.middleware import get_user
from django.http import JsonResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext

from lib import discreet

# Remembers on this device that its person wears discreet mode, so that the sign-in page a
# Back button or a quick exit leaves behind is discreet too. It holds a flag, nothing more.
DISCREET_COOKIE = "discreet"


class PersonPreferencesMiddleware:
    """Speak the language, show the times and wear the discretion of the signed-in person's
    own settings."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user: Any = getattr(request, "user", None)
        if isinstance(user, SimpleLazyObject):
            # Known from here on (this reads it): the person (or the anonymous user) itself.
            # Each read through the lazy wrapper goes through a failed attribute look-up,
            # and a page reads the person hundreds of times (the ORM, the templates).
            request.user = user = get_user(request)
        signed_in = False
        if user is not None and user.is_authenticated:
            signed_in = True
            request.discreet = user.discreet_mode
            if user.language:
                translation.activate(user.language)
                request.LANGUAGE_CODE = translation.get_language()
            timezone.activate(user.tz)
        else:
            request.discreet = request.COOKIES.get(DISCREET_COOKIE) == "1"
        words = (
            discreet.speaking(translation.get_language() or settings.LANGUAGE_CODE, discreet=True)
            if request.discreet
            else contextlib.nullcontext()
        )
        try:
            with words:
                response = self.get_response(request)
        finally:
            timezone.deactivate()
        if signed_in:
            self._remember(request, response)
        elif request.discreet:
            self._sign_in_without_return_address(response)
        return response

    @staticmethod
    def _sign_in_without_return_address(response):
        """On a discreet device, a page that asks to sign in first sends to the sign-in page
        without its own address in the link (``?next=/encounters/…``): after a quick exit,
        Back lands there, and the address bar is what a glance catches first. Signing in
        then starts from home."""
        if response.status_code != 302:
            return
        sign_in = resolve_url(settings.LOGIN_URL)
        if response.get("Location", "").startswith(sign_in + "?"):
            response["Location"] = sign_in

    @staticmethod
    def _remember(request, response):
        # The person's current choice, read again: the request may have just changed it.
        wanted = request.user.is_authenticated and request.user.discreet_mode
        if wanted and request.COOKIES.get(DISCREET_COOKIE) != "1":
            response.set_cookie(
                DISCREET_COOKIE,
                "1",
                max_age=365 * 24 * 3600,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        elif not wanted and request.user.is_authenticated and DISCREET_COOKIE in request.COOKIES:
            response.delete_cookie(DISCREET_COOKIE, samesite="Lax")


class StaffTwoStepMiddleware:
    """A staff account reaches nothing but the two-step sign-in pages until it has set up a
    passkey or an authenticator app: it can see and change what keeps everyone running."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._open_paths: tuple[str, ...] | None = None

    def _open(self, path: str) -> bool:
        if self._open_paths is None:
            # Resolved on first use: the URLconf is not ready when middleware is made.
            self._open_paths = (
                reverse("mfa_index"),
                reverse("account_logout"),
                reverse("account_reauthenticate"),
                reverse("accounts:quick_exit"),
                reverse("healthz"),
                reverse("manifest"),
                settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/static/",
                "/sw.js",
            )
        return path.startswith(self._open_paths)

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.is_staff
            and not self._open(request.path)
            and not is_mfa_enabled(user)
        ):
            if request.path.startswith("/api/"):
                detail = gettext("Staff accounts need two-step sign-in: please set it up first.")
                return JsonResponse({"detail": detail}, status=403)
            return redirect("mfa_index")
        return self.get_response(request)

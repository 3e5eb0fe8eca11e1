import contextlib

from django.conf import settings
from django.utils import timezone, translation

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
        user = getattr(request, "user", None)
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
        return response

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

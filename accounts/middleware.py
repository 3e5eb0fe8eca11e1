from django.utils import timezone, translation


class PersonPreferencesMiddleware:
    """Speak the language and show the times of the signed-in person's own settings."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
        if user is not None and user.is_authenticated:
            timezone.activate(user.tz)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

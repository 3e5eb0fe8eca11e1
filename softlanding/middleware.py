from allauth.account.adapter import get_adapter
from allauth.account.internal.flows.reauthentication import suspend_request
from django.http import JsonResponse
from django.urls import reverse

from accounts.access import FreshSignInRequired
from consent.access import ask_for_consent
from consent.services import ConsentRequired


class NoStoreMiddleware:
    """Personal pages and API answers are never kept by a browser or proxy cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        personal = (user is not None and user.is_authenticated) or request.path.startswith("/api/")
        if personal and not request.path.startswith("/static/"):
            response["Cache-Control"] = "no-store"
        return response


# Every powerful browser feature is off: the app uses none of them (Web Push needs no
# permission policy). Listed one by one because browsers treat an unlisted feature as allowed.
# Passkeys (publickey-credentials-*) stay at the browsers' default, this origin only.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "bluetooth",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


class IsolationHeadersMiddleware:
    """No browser features, and nothing of ours embedded by another site.

    Outermost, so static files and error pages carry the headers too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class ApiErrorsAsJsonMiddleware:
    """Under /api/ every error is JSON with a ``detail``, whoever answered it.

    Our handlers and the API's own already answer in JSON; this catches the rest, such as a
    method the route does not take (405), which arrives with an empty body.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            detail = response.reason_phrase or "Error."
            json_response = JsonResponse({"detail": f"{detail}."}, status=response.status_code)
            for header, value in response.items():
                if header.lower() not in ("content-type", "content-length"):
                    json_response[header] = value
            return json_response
        return response


class RefusalsAsPagesMiddleware:
    """A guard refused in a service (no consent, no recent sign-in) becomes the page that
    lifts it, so pages need no guard of their own and cannot differ from the API (whose
    handlers answer the same refusals with a 403 and their code).

    Last in the list: its process_exception is asked first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.path.startswith("/api/"):
            return None
        if isinstance(exception, ConsentRequired):
            return ask_for_consent(request)
        if isinstance(exception, FreshSignInRequired):
            # As allauth's reauthentication_required: a POST is kept and replayed after.
            methods = get_adapter().get_reauthentication_methods(request.user)
            return suspend_request(
                request, methods[0]["url"] if methods else reverse("account_login")
            )
        return None

"""The JSON API under /api/v1/: one NinjaAPI, a router per app, errors as {"detail": …}."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from accounts.api import router as accounts_router
from accounts.services import person_for_token
from privacy.api import router as privacy_router


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        person = person_for_token(token)
        if person is not None:
            request.user = person
        return person


api = NinjaAPI(
    title=f"{settings.INSTANCE_NAME} API",
    version="1",
    description="Personal access tokens (Bearer) or the browser session with its CSRF token.",
    urls_namespace="api-1",
    auth=[BearerToken(), SessionAuth()],
    docs_url="/docs" if settings.DEBUG else None,
)
api.add_router("/me", accounts_router)
api.add_router("/consent", privacy_router)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Forbidden."}, status=403)


@api.exception_handler(ValidationError)
def invalid(request, exc):
    if hasattr(exc, "message_dict"):
        detail = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
    else:
        detail = " ".join(exc.messages)
    return api.create_response(request, {"detail": detail}, status=400)


@api.exception_handler(AuthenticationError)
def unauthorized(request, exc):
    return api.create_response(request, {"detail": "Sign in or send a token."}, status=401)

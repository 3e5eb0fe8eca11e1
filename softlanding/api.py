"""The JSON API under /api/v1/: one NinjaAPI, a router per app, errors as {"detail": …}."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as RequestValidationError
from ninja.security import HttpBearer, SessionAuth

from accounts.access import FreshSignInRequired
from accounts.api import router as accounts_router
from accounts.services import person_for_token
from accounts.submissions import KeyReused
from alerts.api import alerts_router, nudges_router
from care.api import profile_router
from care.api import router as care_router
from checkins.api import checkins_router, drop_router
from checkins.api import router as encounters_router
from checkins.shared_api import router as shared_router
from consent.services import ConsentRequired
from followups.api import followups_router
from insights.api import router as insights_router
from lib import targets
from lib.schemas import FIELD_ERROR_SCHEMA
from notify.api import channels_router, inbox_router
from partners.api import router as partners_router
from partners.guest_api import router as guest_router
from partners.support_api import router as support_router
from partners.wish_api import router as wish_router
from privacy.api import router as privacy_router
from privacy.data_api import deletion_router, exports_router, imports_router

# The refusals a page and the API both answer, by code: a page by the step that lifts a
# guard or by the form's message, the API by a `code` beside its `detail`.
REFUSAL_CODES = [ConsentRequired.code, FreshSignInRequired.code, *targets.REFUSALS]


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        person = person_for_token(token)
        if person is not None:
            request.user = person
            # Signed in by a token (made after a fresh sign-in), not by the session.
            request.signed_in_by_token = True
        return person


ERROR_RESPONSES = {
    "400": "Refused: the body is not JSON, some text holds a NUL character, or a rule said no "
    "(a time in the future, …).",
    "401": "Not signed in, or the token is not valid.",
    "403": "Signed in, but not allowed: consent missing (code `consent`), a recent sign-in "
    "needed (code `fresh-sign-in`), or the CSRF token is wrong.",
    "404": "Not found, or not yours: the same answer either way.",
    "422": "The request does not fit: a field is missing, unknown or malformed.",
}


class SoftLandingAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """Document the errors every operation can answer with, each a JSON ``detail``."""
        schema = super().get_openapi_schema(*args, **kwargs)
        schema["components"]["schemas"]["Detail"] = {
            "type": "object",
            "properties": {
                "detail": {"type": "string"},
                "code": {"type": "string", "enum": REFUSAL_CODES},
                "errors": {"type": "array", "items": FIELD_ERROR_SCHEMA},
            },
            "required": ["detail"],
        }
        ref = {"$ref": "#/components/schemas/Detail"}
        for methods in schema["paths"].values():
            for operation in methods.values():
                for status, description in ERROR_RESPONSES.items():
                    operation["responses"].setdefault(
                        status,
                        {
                            "description": description,
                            "content": {"application/json": {"schema": ref}},
                        },
                    )
        return schema


api = SoftLandingAPI(
    title=f"{settings.INSTANCE_NAME} API",
    version="1",
    description="Personal access tokens (Bearer) or the browser session with its CSRF token.",
    urls_namespace="api-1",
    auth=[BearerToken(), SessionAuth()],
    docs_url="/docs" if settings.DEBUG else None,
)
api.add_router("/me", accounts_router)
api.add_router("/consent", privacy_router)
api.add_router("/care", care_router)
api.add_router("/profile", profile_router)
api.add_router("", encounters_router)
api.add_router("/checkins", checkins_router)
api.add_router("/drop-response", drop_router)
api.add_router("", partners_router)
api.add_router("", shared_router)
api.add_router("", guest_router)
api.add_router("", wish_router)
api.add_router("", support_router)
api.add_router("/follow-ups", followups_router)
api.add_router("/insights", insights_router)
api.add_router("/alerts", alerts_router)
api.add_router("/nudges", nudges_router)
api.add_router("/inbox", inbox_router)
api.add_router("/channels", channels_router)
api.add_router("/exports", exports_router)
api.add_router("/imports", imports_router)
api.add_router("/me", deletion_router)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)


def _with_code(body: dict, code: object) -> dict:
    if code in REFUSAL_CODES:
        body["code"] = code
    return body


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    body = _with_code({"detail": str(exc) or "Forbidden."}, getattr(exc, "code", None))
    return api.create_response(request, body, status=403)


@api.exception_handler(ValidationError)
def invalid(request, exc):
    if hasattr(exc, "message_dict"):
        detail = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
        errors = [e for field in exc.error_dict.values() for e in field]
    else:
        detail = " ".join(exc.messages)
        errors = exc.error_list
    codes = [e.code for e in errors if e.code in REFUSAL_CODES]
    body = _with_code({"detail": detail}, codes[0] if codes else None)
    return api.create_response(request, body, status=400)


@api.exception_handler(KeyReused)
def key_reused(request, exc):
    return api.create_response(request, {"detail": " ".join(exc.messages)}, status=409)


@api.exception_handler(AuthenticationError)
def unauthorized(request, exc):
    return api.create_response(request, {"detail": "Sign in or send a token."}, status=401)


@api.exception_handler(RequestValidationError)
def malformed(request, exc):
    parts = []
    for error in exc.errors:
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("body", "payload"))
        parts.append(f"{where}: {error.get('msg', 'invalid')}" if where else error.get("msg", ""))
    detail = "; ".join(parts) or "The request does not fit."
    errors = [{k: v for k, v in e.items() if k in ("loc", "msg", "type")} for e in exc.errors]
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)

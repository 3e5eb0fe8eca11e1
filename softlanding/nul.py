"""A NUL character (U+0000) cannot be stored as text (PostgreSQL refuses it outright), and
nobody types one on purpose. Under /api/ any text that holds one, in the address or the JSON
body, gets a 400 with a clear `detail` before a view runs. Pages check the address here; a
form's text fields refuse it themselves (Django's CharField), so the form comes back with a
message, with what was typed, as a 400. Should one still reach the database, the answer is the same
400 instead of a 500."""

import json
from typing import Any

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

NUL = "\x00"


def nul_message() -> str:
    return _(
        "Some text held an invisible NUL character (\\u0000), which cannot be saved. "
        "Please take it out and send again."
    )


def holds_nul(value: Any) -> bool:
    """Whether a decoded JSON value, or a string, has a NUL in any text or key."""
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(holds_nul(k) or holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(holds_nul(v) for v in value)
    return False


def _in_query(request) -> bool:
    return NUL in request.path or any(
        NUL in key or any(NUL in v for v in values) for key, values in request.GET.lists()
    )


def _in_json_body(request) -> bool:
    if "json" not in request.content_type or not request.body:
        return False
    try:
        data = json.loads(request.body)
    except ValueError:  # not JSON, or not UTF-8: the API says so itself
        return False
    return holds_nul(data)


def _in_form_body(request) -> bool:
    if request.method != "POST" or "form" not in request.content_type:
        return False
    return any(NUL in key or any(NUL in v for v in values) for key, values in request.POST.lists())


def refuse(request):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": nul_message()}, status=400)
    return render(request, "softlanding/bad_text.html", {"message": nul_message()}, status=400)


def is_nul_error(exc: BaseException) -> bool:
    # psycopg: "A string literal cannot contain NUL (0x00) characters."
    return isinstance(exc, ValueError) and "NUL (0x00)" in str(exc)


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _in_query(request):
            return refuse(request)
        if request.path.startswith("/api/") and (_in_json_body(request) or _in_form_body(request)):
            return refuse(request)
        response = self.get_response(request)
        if response.status_code == 200 and _in_form_body(request):
            # A page's form came back with its message (some views, allauth's among them,
            # answer a refused form with 200): say so in the status as every form here does.
            response.status_code = 400
        return response

    def process_exception(self, request, exception):
        if is_nul_error(exception):
            return refuse(request)
        return None

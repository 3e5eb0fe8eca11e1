"""A NUL character in any text a person or a client sends gets a 400 with a clear message, on
pages and through the API — never a 500 (PostgreSQL refuses NUL in text outright)."""

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from checkins import services
from checkins.models import Encounter
from softlanding.nul import holds_nul
from softlanding.testing import DB, bearer, sign_in

NUL_TEXT = "a\u0000b"
API_MESSAGE = "NUL character"


def test_holds_nul_looks_into_every_string_and_key():
    assert holds_nul({"a": [{"b": NUL_TEXT}]})
    assert holds_nul({NUL_TEXT: 1})
    assert not holds_nul({"a": ["b", 1, None, True, {"c": "d"}]})


@DB
def test_a_display_name_with_nul_is_refused_with_a_message(client, alice):
    answer = client.patch(
        "/api/v1/me",
        {"display_name": NUL_TEXT},
        content_type="application/json",
        **bearer(alice),
    )
    assert answer.status_code == 400
    assert API_MESSAGE in answer.json()["detail"]
    alice.refresh_from_db()
    assert "\x00" not in alice.display_name


def _operations(client, auth):
    document = client.get("/api/v1/openapi.json", **auth).json()
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation, document


def _concrete(path: str, code: str) -> str:
    return "/api/v1" + re.sub(r"\{[^}]+\}", code, path.removeprefix("/api/v1"))


def _text_fields(operation, document) -> list[str]:
    body = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if not body:
        return []
    schema = body["schema"]
    if "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return sorted(schema.get("properties", {})) or ["anything"]


@DB
def test_every_api_operation_refuses_nul_in_any_body_field_and_query(client, alice):
    auth = bearer(alice)
    encounter = services.log_encounter(alice, occurred_at=timezone.now(), kind="solo")
    tried = 0
    for path, method, operation, document in _operations(client, auth):
        url = _concrete(path, str(encounter.code))
        send = getattr(client, method)
        for field in _text_fields(operation, document):
            answer = send(url, {field: NUL_TEXT}, content_type="application/json", **auth)
            assert answer.status_code == 400, (method, path, field, answer.content[:200])
            assert API_MESSAGE in answer.json()["detail"]
            tried += 1
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "query":
                continue
            answer = send(f"{url}?{parameter['name']}=a%00b", **auth)
            assert answer.status_code == 400, (method, path, parameter["name"])
            assert API_MESSAGE in answer.json()["detail"]
            tried += 1
    print("api inputs tried:", tried)
    assert tried > 30  # the sweep really went through the document
    assert Encounter.objects.filter(person=alice).count() == 1


@DB
def test_a_nul_in_a_json_key_or_in_a_list_is_refused_too(client, alice):
    auth = bearer(alice)
    body = {"occurred_at": timezone.now().isoformat(), "kind": "solo", "care_acts": [NUL_TEXT]}
    answer = client.post("/api/v1/encounters", body, content_type="application/json", **auth)
    assert answer.status_code == 400
    answer = client.post(
        "/api/v1/encounters", {NUL_TEXT: 1}, content_type="application/json", **auth
    )
    assert answer.status_code == 400


class Forms(HTMLParser):
    """The POST forms of a page, with the names and values a browser would send."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.forms.append({"action": a.get("action") or "", "fields": {}, "text": []})
        if not self.forms:
            return
        form = self.forms[-1]
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    form["fields"].setdefault(name, a.get("value") or "on")
            elif kind == "submit":
                form["fields"].setdefault(name, a.get("value") or "")
            elif kind not in ("button", "file"):
                form["fields"][name] = a.get("value") or ""
                if kind in ("text", "email", "password", "search", "tel", "url"):
                    form["text"].append(name)
        elif tag == "button" and name and (a.get("type") or "submit") == "submit":
            form["fields"].setdefault(name, a.get("value") or "")
        elif tag == "textarea" and name:
            form["fields"][name] = ""
            form["text"].append(name)
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select:
            form["fields"].setdefault(self._select, a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def _plain_page_paths() -> list[str]:
    paths = []

    def walk(patterns, prefix):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and not p.pattern.converters:
                route = prefix + str(p.pattern)
                if "<" not in route and "^" not in route and not route.startswith("api/"):
                    paths.append("/" + route.rstrip("$"))

    walk(get_resolver().url_patterns, "")
    return sorted(set(paths))


NOT_FORMS = ("/accounts/logout/", "/logout")


def _sweep(client, paths) -> int:
    tried = 0
    for path in paths:
        page = client.get(path)
        if page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
            continue
        parser = Forms()
        parser.feed(page.content.decode())
        for form in parser.forms:
            action = form["action"] or path
            if not form["text"] or any(action.startswith(n) for n in NOT_FORMS):
                continue
            data = dict(form["fields"])
            for name in form["text"]:
                data[name] = NUL_TEXT
            answer = client.post(action, data)
            assert answer.status_code == 400, (path, action, answer.status_code)
            text = answer.content.decode()
            assert "Null characters are not allowed" in text or "NUL character" in text, (
                path,
                action,
            )
            tried += 1
    return tried


@DB
def test_every_page_form_refuses_nul_in_its_text_with_a_message(client, alice):
    encounter = services.log_encounter(
        alice, occurred_at=timezone.now() - dt.timedelta(hours=4), kind="solo"
    )
    sign_in(client, alice)  # recently, so that forms behind a password check answer too
    paths = [
        *_plain_page_paths(),
        f"/encounters/{encounter.code}/checkin/",
        f"/encounters/{encounter.code}/edit/",
        f"/encounters/{encounter.code}/",
    ]
    tried = _sweep(client, paths)
    print("page forms tried:", tried)
    assert tried >= 8


@DB
def test_signed_out_forms_refuse_nul_too(client):
    assert _sweep(client, ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"])


@pytest.mark.parametrize("path", ["/encounters/?page=a%00b", "/?x=a%00b"])
@DB
def test_a_nul_in_a_page_address_gets_a_page_with_the_message(client, alice, path):
    client.force_login(alice)
    answer = client.get(path)
    assert answer.status_code == 400
    assert "NUL character" in answer.content.decode()
    assert "Quick exit" in answer.content.decode()

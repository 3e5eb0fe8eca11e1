"""Static files go out compressed as production collects them: brotli where the browser takes
it, gzip otherwise."""

import re

import pytest
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from whitenoise.middleware import WhiteNoiseMiddleware

from softlanding.staticfiles import StaticFilesStorage

COMPRESSED = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "softlanding.staticfiles.StaticFilesStorage"},
}


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """A collectstatic made as production makes it (DEBUG off)."""
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STATIC_ROOT=root, STORAGES=COMPRESSED, WHITENOISE_USE_FINDERS=False):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture(scope="module")
def served(collected):
    """Whitenoise over it."""
    with override_settings(
        STATIC_ROOT=collected, STORAGES=COMPRESSED, WHITENOISE_USE_FINDERS=False
    ):
        middleware = WhiteNoiseMiddleware(lambda request: None)
    css = next(url for url in middleware.files if url.startswith("/static/css/app."))
    return middleware, css


def fetch(served, encoding: str):
    middleware, url = served
    response = middleware(RequestFactory().get(url, HTTP_ACCEPT_ENCODING=encoding))
    return response, b"".join(response.streaming_content)


def test_a_static_file_is_served_brotli_compressed_to_a_browser_that_takes_it(served):
    response, body = fetch(served, "gzip, deflate, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "br"
    assert response["Vary"] == "Accept-Encoding"
    plain, plain_body = fetch(served, "identity")
    assert "Content-Encoding" not in plain
    assert len(body) < len(plain_body)


def test_a_browser_without_brotli_still_gets_gzip(served):
    response, _body = fetch(served, "gzip, deflate")
    assert response["Content-Encoding"] == "gzip"


def test_a_static_url_names_the_hashed_file_every_time(collected):
    with override_settings(STATIC_ROOT=collected, STORAGES=COMPRESSED):
        storage = StaticFilesStorage()
        first = storage.url("css/app.css")
        assert re.fullmatch(r"/static/css/app\.[0-9a-f]{12}\.css", first)
        assert storage.url("css/app.css") == first
        assert (collected / first.removeprefix("/static/")).exists()

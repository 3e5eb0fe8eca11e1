"""Static files go out compressed as production collects them: brotli where the browser takes
it, gzip otherwise."""

import pytest
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from whitenoise.middleware import WhiteNoiseMiddleware

COMPRESSED = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """Whitenoise over a collectstatic made as production makes it (DEBUG off)."""
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STATIC_ROOT=root, STORAGES=COMPRESSED, WHITENOISE_USE_FINDERS=False):
        call_command("collectstatic", interactive=False, verbosity=0)
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

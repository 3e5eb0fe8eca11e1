"""Headers, deployment checks and start-up refusals."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from softlanding.testing import DB, PASSWORD

pytestmark = DB
ROOT = Path(settings.BASE_DIR)


def plain_get_urls(resolver=None, prefix=""):
    """Every URL without parameters that answers GET, found by walking the URLconf."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = str(entry.pattern)
        if "<" in route or "(?P" in route:
            continue
        if isinstance(entry, URLResolver):
            yield from plain_get_urls(entry, prefix + route)
        elif isinstance(entry, URLPattern):
            yield "/" + (prefix + route).lstrip("^").rstrip("$").replace("\\", "")


def assert_strict_csp(response):
    csp = response.headers.get("Content-Security-Policy", "")
    assert "default-src 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    for directive in csp.split(";"):
        assert "http" not in directive, f"another origin in CSP: {directive}"


@pytest.mark.parametrize("who", ["anonymous", "alice"])
def test_every_page_sends_a_strict_csp(client, alice, who):
    if who == "alice":
        client.force_login(alice)
    urls = sorted(set(plain_get_urls()))
    assert len(urls) > 20
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, url
        assert_strict_csp(response)


def test_personal_pages_are_never_cached(client, alice):
    client.force_login(alice)
    assert client.get("/settings/")["Cache-Control"] == "no-store"
    assert client.get("/api/v1/me")["Cache-Control"] == "no-store"


def test_pages_load_nothing_from_another_origin(client, alice):
    client.force_login(alice)
    for url in ["/", "/settings/", "/consent/", "/accounts/email/"]:
        html = client.get(url).content.decode()
        for attr in ("src=", "href="):
            for chunk in html.split(attr)[1:]:
                target = chunk[1:].split(chunk[0], 1)[0]
                if target.startswith(("http://", "https://", "//")):
                    assert target == settings.QUICK_EXIT_URL, f"{url} loads {target}"


@pytest.mark.real_password_hasher
def test_argon2_hashes_passwords(alice):
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert alice.password.startswith("argon2$argon2id$")


def test_other_tests_hash_with_the_fast_hasher_and_still_sign_in(client, alice):
    # Only the marked test above pays for argon2; a hash made here still signs in.
    assert alice.password.startswith("md5$")
    assert client.login(username=alice.email, password=PASSWORD)


def manage(*args, env_overrides, cwd=ROOT):
    dropped = {"SECRET_KEY", "SECRET_KEY_FILE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def deploy_check(**overrides):
    production = {
        "DEBUG": "0",
        "SOFTLANDING_HTTPS": "1",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "care.example.org",
        "SITE_URL": "https://care.example.org",
        "REDIS_URL": "",
        "EMAIL_HOST": "smtp.example.org",
    }
    return manage(
        "check", "--deploy", "--fail-level", "WARNING", env_overrides=production | overrides
    )


def test_production_settings_pass_the_deploy_check_as_the_readme_says():
    result = deploy_check()
    assert result.returncode == 0, result.stdout + result.stderr
    printed = result.stdout.strip()
    assert printed == "System check identified no issues (1 silenced)."
    assert f"prints `{printed}`" in (ROOT / "README.md").read_text()


def test_without_smtp_the_deploy_check_fails_on_the_console_mailer_as_the_readme_says():
    result = deploy_check(EMAIL_HOST="")
    assert result.returncode != 0
    assert "softlanding.E004" in result.stderr
    readme = " ".join((ROOT / "README.md").read_text().split())
    assert "Without `EMAIL_HOST` it fails instead, with an error, `softlanding.E004`" in readme


def test_it_refuses_to_start_without_a_secret_key(tmp_path):
    result = manage("check", env_overrides={"DEBUG": "0", "SOFTLANDING_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_it_refuses_to_start_without_the_key_file(tmp_path):
    result = manage(
        "check",
        env_overrides={
            "DEBUG": "0",
            "SOFTLANDING_DATA_DIR": str(tmp_path),
            "SECRET_KEY": secrets.token_urlsafe(50),
        },
    )
    assert result.returncode != 0
    assert "key-encryption key file" in result.stderr

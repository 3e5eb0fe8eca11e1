"""Sign-up, sign-in, rate limits, e-mail verification over real SMTP, and TOTP."""

import re
import uuid

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.utils import decrypt
from django.core.cache import cache
from django.test import override_settings

from accounts.models import Person
from softlanding.far_ends import text_of, wait_for
from softlanding.testing import DB, PASSWORD, sign_in

pytestmark = DB
# A prefix of this run's: the suite runs on SQLite and PostgreSQL side by side, and a flush of
# the whole Redis database would reset the other run's count of failed sign-ins.
REDIS = {
    "default": {
        "BACKEND": "lib.redis_cache.FastRedisCache",
        "LOCATION": "redis://127.0.0.1:6379/15",
        "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
    }
}


def forget_counts(caches):
    if caches is None:
        cache.clear()
        return
    client = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
    for key in client.scan_iter(match=f"{caches['default']['KEY_PREFIX']}:*"):
        client.delete(key)


TOO_MANY = "Too many failed login attempts"


def wrong_password(client, email):
    return client.post("/accounts/login/", {"login": email, "password": "not it at all"})


@pytest.mark.parametrize("caches", [None, REDIS], ids=["database-cache", "redis"])
def test_repeated_failed_sign_ins_are_slowed_down(client, alice, caches):
    with override_settings(**({"CACHES": caches} if caches else {})):
        forget_counts(caches)
        pages = [wrong_password(client, alice.email).content.decode() for _ in range(6)]
        assert TOO_MANY not in pages[0]
        assert TOO_MANY in pages[-1]
        # Even the right password waits until the window has passed.
        right = client.post("/accounts/login/", {"login": alice.email, "password": PASSWORD})
        assert right.status_code == 200
        assert TOO_MANY in right.content.decode()
        assert client.get("/api/v1/me").status_code == 401
        forget_counts(caches)


def test_the_default_cache_is_shared_by_processes(settings):
    backend = settings.CACHES["default"]["BACKEND"]
    assert backend.endswith(("DatabaseCache", "RedisCache"))


def test_sign_in_and_out(client, alice):
    sign_in(client, alice)
    assert client.get("/api/v1/me").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/api/v1/me").status_code == 401


def test_with_smtp_nobody_gets_in_before_verifying(client, smtp_inbox):
    response = client.post(
        "/accounts/signup/",
        {"email": "river@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert "confirm-email" in response["Location"] or "verification" in response["Location"]
    assert client.get("/api/v1/me").status_code == 401

    message = wait_for(smtp_inbox)
    assert "river@example.org" in message
    link = re.search(r"(/accounts/confirm-email/[^\s]+/)", text_of(message)).group(1)
    assert (
        client.post(
            "/accounts/login/", {"login": "river@example.org", "password": PASSWORD}
        ).status_code
        == 302
    )
    assert client.get("/api/v1/me").status_code == 401

    confirmed = client.post(link)
    assert confirmed.status_code == 302
    person = Person.objects.get(email="river@example.org")
    assert person.emailaddress_set.get().verified
    sign_in(client, person)
    assert client.get("/api/v1/me").status_code == 200


def test_password_reset_mail_arrives_by_smtp(client, alice, smtp_inbox):
    client.post("/accounts/password/reset/", {"email": alice.email})
    message = wait_for(smtp_inbox)
    assert "/accounts/password/reset/key/" in text_of(message)


def test_totp_secrets_are_sealed_by_the_vault(client, alice):
    secret = generate_totp_secret()
    TOTP.activate(alice, secret)
    stored = Authenticator.objects.get(user=alice, type=Authenticator.Type.TOTP).data["secret"]
    assert stored.startswith("v1.")
    assert secret not in stored
    assert TOTP(Authenticator.objects.get(user=alice)).instance.data["secret"] == stored
    assert decrypt(stored) == secret

"""Web Push: notifications on a person's own device, with no third-party account.

The browser gives us a subscription (a push service URL and two keys). We encrypt each message
to the browser's key (RFC 8291) so the push service — Google's, Mozilla's, Apple's — carries it
without being able to read it, and sign each request with our VAPID key (RFC 8292) so only we
can use the subscription. The key pair is created once, at first run, and never overwritten:
a new key silently breaks every existing subscription.

The endpoint is a URL a person hands us, so it gets the same care as an Apprise URL: https
only, and no private or local addresses (unless NOTIFY_ALLOW_PRIVATE_HOSTS), checked when it
is saved and again before every send; redirects are never followed.

This module imports no models, so that softlanding/bootstrap.py can create the key before
Django is set up.
"""

import base64
import binascii
import functools
import json
import os
import re
import secrets
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from py_vapid import Vapid, VapidException
from pywebpush import WebPushException, webpush

from lib import notify_urls
from notify.errors import Failed, Permanent

if TYPE_CHECKING:
    from notify.messages import Message

# Kept for a day when the device is offline: a check-in reminder is still useful tomorrow.
TIME_TO_LIVE = 86400
TIMEOUT_SECONDS = 10
# Real endpoints are a few hundred characters; anything far longer is not a subscription.
MAX_SUBSCRIPTION_CHARS = 4096
MAX_ENDPOINT_CHARS = 2048
P256DH_BYTES = 65  # an uncompressed P-256 point
AUTH_BYTES = 16
BASE64URL = re.compile(r"^[A-Za-z0-9_-]+={0,2}$")


class BadEndpoint(ValueError):
    """A push endpoint we will not post to; ``str()`` is a plain reason, ``code`` its kind."""

    def __init__(self, reason: str, code: str) -> None:
        super().__init__(reason)
        self.code = code


# --- The server's key -------------------------------------------------------------------


def ensure_vapid_key(path: Path) -> bool:
    """Create the VAPID key file (mode 0600) unless it exists; True if it was created.

    Written to a temporary file first, then linked into place: the link fails if another
    process got there first, and nobody ever reads a half-written key.
    """
    path = Path(path)
    if path.exists():
        return False
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(pem)
            fh.flush()
            os.fsync(fh.fileno())
        os.link(tmp, path)
    except FileExistsError:
        return False
    finally:
        tmp.unlink(missing_ok=True)
    return True


@functools.cache
def _read_key(path: Path) -> ec.EllipticCurvePrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise ValueError(f"{path} does not hold a P-256 key")
    return key


def _private_key() -> ec.EllipticCurvePrivateKey:
    path = Path(settings.VAPID_PRIVATE_KEY_FILE)
    ensure_vapid_key(path)  # normally done by bootstrap; a fresh deployment may skip it
    return _read_key(path)


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def public_key() -> str:
    """The application server key for ``pushManager.subscribe()``."""
    return _public_key_of(str(settings.VAPID_PRIVATE_KEY_FILE))


@functools.lru_cache(maxsize=4)
def _public_key_of(path: str) -> str:
    # Read and parsed once per process, not on every channels page.
    point = (
        _private_key()
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    return _b64url(point)


# --- Checking a subscription -------------------------------------------------------------


def check_endpoint(endpoint: object) -> str:
    """The endpoint, if we may post to it; BadEndpoint with a plain reason otherwise."""
    allow_private = settings.NOTIFY_ALLOW_PRIVATE_HOSTS
    if not isinstance(endpoint, str) or not endpoint or len(endpoint) > MAX_ENDPOINT_CHARS:
        raise BadEndpoint("the push address could not be read", "malformed")
    try:
        parts = urlsplit(endpoint)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        raise BadEndpoint("the push address could not be read", "malformed") from None
    if parts.scheme not in ({"https", "http"} if allow_private else {"https"}):
        raise BadEndpoint("the push address does not use https", "scheme")
    if not parts.hostname or parts.username is not None or parts.password is not None:
        raise BadEndpoint("the push address could not be read", "malformed")
    if not allow_private:
        try:
            notify_urls.check_host(parts.hostname)
        except notify_urls.UnsafeURL as exc:
            raise BadEndpoint(str(exc), "host") from None
    return endpoint


def _decode_key(value: object, length: int) -> bytes:
    if not isinstance(value, str) or not BASE64URL.match(value):
        raise ValueError("not base64url")
    raw = value.rstrip("=")
    try:
        decoded = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
    except binascii.Error:
        raise ValueError("not base64url") from None
    if len(decoded) != length:
        raise ValueError("wrong length")
    return decoded


def check_subscription(raw: str) -> str:
    """A browser's PushSubscription JSON, checked and reduced to what we use (endpoint and
    keys), as compact JSON; ValidationError on "target" otherwise."""
    unreadable = _("This browser's push subscription could not be read. Please try again.")
    try:
        if len(raw) > MAX_SUBSCRIPTION_CHARS:
            raise ValueError("too long")
        data = json.loads(raw)
        endpoint, keys = data["endpoint"], data["keys"]
        p256dh = _decode_key(keys["p256dh"], P256DH_BYTES)
        auth = _decode_key(keys["auth"], AUTH_BYTES)
        # Raises ValueError unless it is a point on the curve.
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), p256dh)
    except (ValueError, KeyError, TypeError):
        raise ValidationError({"target": unreadable}) from None
    try:
        check_endpoint(endpoint)
    except BadEndpoint as exc:
        if exc.code == "scheme":
            message = _("This browser's push service does not use a secure (https) address.")
        elif exc.code == "host":
            message = _("We can't send to this push service: %(why)s.") % {"why": exc}
        else:
            message = unreadable
        raise ValidationError({"target": message}) from None
    subscription = {
        "endpoint": endpoint,
        "keys": {"p256dh": _b64url(p256dh), "auth": _b64url(auth)},
    }
    return json.dumps(subscription, separators=(",", ":"))


# --- Sending -----------------------------------------------------------------------------


class _NoRedirects(requests.Session):
    """A push service answers, it never sends us elsewhere: a redirect would skip the check of
    where we post to."""

    def request(self, *args, **kwargs):  # type: ignore[override]
        kwargs["allow_redirects"] = False
        return super().request(*args, **kwargs)


# What the push service's answer means for the channel. 404/410: the subscription is gone
# (the person unsubscribed, cleared site data or uninstalled the browser).
GONE = "the push service says this device is no longer subscribed"
REFUSED = {
    400: "the push service could not use this subscription",
    401: "the push service no longer accepts our server key; turn notifications on again",
    403: "the push service no longer accepts our server key; turn notifications on again",
    404: GONE,
    410: GONE,
    413: "the push service refused the message as too large",
}


def send_push(target: str, message: "Message") -> None:
    """Send one message; Permanent or Failed with a plain reason otherwise."""
    try:
        subscription = json.loads(target)
        endpoint = subscription["endpoint"]
    except (ValueError, KeyError, TypeError):
        raise Permanent("this device's push subscription could not be read") from None
    try:
        # Checked again now: the name may resolve somewhere else than when it was saved.
        check_endpoint(endpoint)
    except BadEndpoint as exc:
        raise Permanent(str(exc)) from None
    try:
        vapid = Vapid(private_key=_private_key())
    except (OSError, ValueError):
        raise Failed("the server's push key could not be read") from None
    try:
        with _NoRedirects() as session:
            webpush(
                subscription,
                data=json.dumps(message.as_push()),
                vapid_private_key=vapid,
                vapid_claims={"sub": settings.VAPID_CONTACT},
                content_encoding="aes128gcm",
                ttl=TIME_TO_LIVE,
                timeout=TIMEOUT_SECONDS,
                requests_session=session,
            )
    except WebPushException as exc:
        status = exc.status_code
        if status is None:  # refused before sending: the subscription's keys are unusable
            raise Permanent("this device's push subscription could not be used") from None
        if status in REFUSED:
            raise Permanent(REFUSED[status]) from None
        if status == 429 or status >= 500:
            raise Failed("the push service is busy or unavailable") from None
        raise Failed("the push service did not accept the message") from None
    except VapidException:
        # Our own claims were refused: most likely VAPID_CONTACT is not mailto: or https:.
        raise Failed("the server's push settings are incomplete (VAPID_CONTACT)") from None
    except requests.RequestException:
        raise Failed("the push service could not be reached") from None

"""Where we may send, and every reason we give for not sending somewhere.

A target is a URL or an address a person hands us: an Apprise URL, a browser's push endpoint,
an e-mail address. Any of them could turn the server against its own network (server-side
request forgery), so one check decides for all of them:

- Only an allow-list of schemes (https alone for push endpoints).
- For a URL that names the server to talk to, every address the host resolves to must be a
  public one: loopback, private, link-local (cloud metadata included), reserved and multicast
  addresses are refused, unless the operator allows them (NOTIFY_ALLOW_PRIVATE_HOSTS).
- Checked when the target is saved and again right before sending: a name can resolve
  differently later.

``REFUSALS`` is the one vocabulary of why something was not sent: the check's refusals and
the far end's. Each code has a plain, translatable reason that never names the person, the
address or the message, because reasons are stored and shown on pages and in the API.

This module touches no model (softlanding/bootstrap.py imports code that uses it before
Django is set up).
"""

import ipaddress
import socket
from urllib.parse import urlsplit

import apprise
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Services with a fixed endpoint of their own: the "host" in the URL is an account or token.
FIXED_ENDPOINT = {"tgram", "discord", "slack", "pover"}
# Services whose URL names the server we would connect to.
# (mailto:// is left out: it can name a second, unchecked SMTP host, and e-mail is a channel
# of its own.)
# (signal:// is the signal-cli REST API a person runs for themselves.)
CHOSEN_HOST = {
    "ntfy", "ntfys", "matrix", "matrixs", "signal", "signals", "gotify", "gotifys", "mmost",
    "mmosts", "json", "jsons",
}  # fmt: skip
ALLOWED_SCHEMES = FIXED_ENDPOINT | CHOSEN_HOST
MAX_ENDPOINT_CHARS = 2048

REFUSALS: dict[str, Promise] = {
    # The target check: we will not send there.
    "scheme": _("%(scheme)s:// is not one of the services we can send to"),
    "unreadable": _("this notification URL could not be understood"),
    "no-server": _("this notification URL names no server"),
    "not-found": _("the server in this URL could not be found"),
    "private": _("this URL points at a private or local address"),
    "email": _("this is not an e-mail address we can send to"),
    "push-address": _("the push address could not be read"),
    "push-https": _("the push address does not use https"),
    "push-subscription": _("this device's push subscription could not be read"),
    "unsupported": _("this kind of channel is no longer supported"),
    # The far end's answers: the target is no good as it is.
    "address-refused": _("the mail server refused this address"),
    "push-unusable": _("this device's push subscription could not be used"),
    "push-rejected": _("the push service could not use this subscription"),
    "push-key-refused": _(
        "the push service no longer accepts our server key; turn notifications on again"
    ),
    # 404/410: the person unsubscribed, cleared site data or uninstalled the browser.
    "push-gone": _("the push service says this device is no longer subscribed"),
    "push-too-large": _("the push service refused the message as too large"),
    # This attempt failed; the next one may work.
    "mail-unreachable": _("the mail server could not be reached"),
    "not-accepted": _("the notification service did not accept the message"),
    "push-busy": _("the push service is busy or unavailable"),
    "push-not-accepted": _("the push service did not accept the message"),
    "push-unreachable": _("the push service could not be reached"),
    "push-key-unreadable": _("the server's push key could not be read"),
    "push-settings": _("the server's push settings are incomplete (VAPID_CONTACT)"),
    "failed": _("Sending failed."),
}
# Refusals after which trying the same target again is worth it.
TEMPORARY = frozenset(
    {
        "mail-unreachable",
        "not-accepted",
        "push-busy",
        "push-not-accepted",
        "push-unreachable",
        "push-key-unreadable",
        "push-settings",
        "failed",
    }
)


class Refused(ValueError):
    """Not sent, for one of the ``REFUSALS``; ``str()`` is its plain reason."""

    def __init__(self, code: str, **params: str) -> None:
        if code not in REFUSALS:
            raise KeyError(code)
        self.code = code
        self.params = params
        super().__init__(code)

    @property
    def permanent(self) -> bool:
        """True if this target will not work again as it is."""
        return self.code not in TEMPORARY

    def __str__(self) -> str:
        reason = str(REFUSALS[self.code])
        return reason % self.params if self.params else reason


def _allow_private(allow_private: bool | None) -> bool:
    return settings.NOTIFY_ALLOW_PRIVATE_HOSTS if allow_private is None else allow_private


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        # ::ffff:127.0.0.1, 2002:7f00:1:: (6to4) and Teredo all carry an IPv4 address inside.
        inner = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if inner is not None:
            return _is_public(str(inner))
    # is_global also refuses shared address space (100.64.0.0/10, some clouds' metadata).
    return ip.is_global and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
    )


def harden(sender) -> None:
    """Every plugin of an Apprise object: no following redirects (a public server could send
    us to a private one) and no Matrix server discovery (it names a server we did not check)."""
    for plugin in sender:
        plugin.redirects = False
        if hasattr(plugin, "discovery"):
            plugin.discovery = False


def check(url: str, *, allow_private: bool | None = None) -> str:
    """The Apprise URL, stripped, if we may send to it; Refused otherwise. Private and local
    servers are refused unless ``allow_private`` (by default: the operator's setting)."""
    url = url.strip()
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme not in ALLOWED_SCHEMES:
        raise Refused("scheme", scheme=scheme or "this")
    plugin = apprise.Apprise.instantiate(url)
    if plugin is None:
        raise Refused("unreadable")
    if scheme in FIXED_ENDPOINT or _allow_private(allow_private):
        return url
    host = getattr(plugin, "host", None)
    if not host:
        raise Refused("no-server")
    check_host(host)
    return url


def check_host(host: str) -> None:
    """Refused unless every address the host resolves to is a public one."""
    try:
        addresses = {str(info[4][0]) for info in socket.getaddrinfo(host, None)}
    except (socket.gaierror, UnicodeError):
        raise Refused("not-found") from None
    if not addresses or not all(_is_public(a) for a in addresses):
        raise Refused("private")


def check_endpoint(endpoint: object, *, allow_private: bool | None = None) -> str:
    """A push endpoint, if we may post to it: https (http too where private hosts are
    allowed), no credentials, a public host. Refused otherwise."""
    allow_private = _allow_private(allow_private)
    if not isinstance(endpoint, str) or not endpoint or len(endpoint) > MAX_ENDPOINT_CHARS:
        raise Refused("push-address")
    try:
        parts = urlsplit(endpoint)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        raise Refused("push-address") from None
    if parts.scheme not in ({"https", "http"} if allow_private else {"https"}):
        raise Refused("push-https")
    if not parts.hostname or parts.username is not None or parts.password is not None:
        raise Refused("push-address")
    if not allow_private:
        check_host(parts.hostname)
    return endpoint


def check_email(address: str) -> str:
    """The address, stripped, if it is one; Refused otherwise."""
    address = address.strip()
    try:
        validate_email(address)
    except ValidationError:
        raise Refused("email") from None
    return address


def explain(refused: Refused, *, kind: str) -> str:
    """A refused target as a page or the API says it to the person who typed it in."""
    if refused.code == "email":
        return str(_("Please check the e-mail address."))
    if refused.code in ("push-subscription", "push-address"):
        return str(_("This browser's push subscription could not be read. Please try again."))
    if refused.code == "push-https":
        return str(_("This browser's push service does not use a secure (https) address."))
    if kind == "push":
        return str(_("We can't send to this push service: %(why)s.") % {"why": refused})
    return str(_("We can't send to this URL: %(why)s.") % {"why": refused})


def invalid(refused: Refused, *, field: str, kind: str) -> ValidationError:
    """The refusal as a form field's error, its code kept for the page and the API."""
    return ValidationError({field: ValidationError(explain(refused, kind=kind), code=refused.code)})

"""Which Apprise URLs a person may give us, so that no URL turns the server against its own
network (server-side request forgery).

Only an allow-list of schemes. For a scheme whose URL names the server to talk to, every
address that host resolves to must be a public one: loopback, private, link-local (cloud
metadata included), reserved and multicast addresses are refused. Call it again right before
sending: a name can resolve differently later.
"""

import ipaddress
import socket

import apprise

# Services with a fixed endpoint of their own: the "host" in the URL is an account or token.
FIXED_ENDPOINT = {"tgram", "discord", "slack", "pover"}
# Services whose URL names the server we would connect to.
# (mailto:// is left out: it can name a second, unchecked SMTP host, and e-mail is a channel
# of its own.)
CHOSEN_HOST = {
    "ntfy", "ntfys", "matrix", "matrixs", "gotify", "gotifys", "mmost", "mmosts", "json", "jsons"
}  # fmt: skip
ALLOWED_SCHEMES = FIXED_ENDPOINT | CHOSEN_HOST


class UnsafeURL(ValueError):
    pass


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


def check(url: str, *, allow_private: bool = False) -> str:
    """The URL, stripped, if we may send to it; UnsafeURL with a plain reason otherwise."""
    url = url.strip()
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme not in ALLOWED_SCHEMES:
        raise UnsafeURL(f"{scheme or 'this'}:// is not one of the services we can send to")
    plugin = apprise.Apprise.instantiate(url)
    if plugin is None:
        raise UnsafeURL("this notification URL could not be understood")
    if scheme in FIXED_ENDPOINT or allow_private:
        return url
    host = getattr(plugin, "host", None)
    if not host:
        raise UnsafeURL("this notification URL names no server")
    check_host(host)
    return url


def check_host(host: str) -> None:
    """UnsafeURL unless every address the host resolves to is a public one."""
    try:
        addresses = {str(info[4][0]) for info in socket.getaddrinfo(host, None)}
    except (socket.gaierror, UnicodeError):
        raise UnsafeURL("the server in this URL could not be found") from None
    if not addresses or not all(_is_public(a) for a in addresses):
        raise UnsafeURL("this URL points at a private or local address")

"""Stand-ins for the far ends of the outbound path, for tests: a mail server (aiosmtpd), a
notification service (an HTTP sink for Apprise's json://), a browser vendor's push service,
and a browser that decrypts what it receives. The fixtures that start them are in the root
conftest.py; tests import the classes and helpers from here."""

import base64
import contextlib
import email
import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer, ThreadingHTTPServer

import http_ece
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


class Inbox:
    """What the local SMTP server received, raw."""

    def __init__(self):
        self.messages: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope.content.decode("utf-8", "replace"))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def text_of(raw: str) -> str:
    """The plain-text parts of a raw e-mail, decoded."""
    parsed = email.message_from_string(raw)
    parts = parsed.walk() if parsed.is_multipart() else [parsed]
    texts = [p.get_payload(decode=True) for p in parts if p.get_content_type() == "text/plain"]
    return "".join(t.decode() for t in texts if isinstance(t, bytes))


def wait_for(inbox, count=1):
    deadline = time.monotonic() + 5
    while len(inbox.messages) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(inbox.messages) >= count
    return inbox.messages[count - 1]


class Sink(BaseHTTPRequestHandler):
    """A notification service: every body posted to it, in ``Sink.received``."""

    received: list = []

    def do_POST(self):
        Sink.received.append(self.rfile.read(int(self.headers["Content-Length"])).decode())
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def start_sink() -> HTTPServer:
    Sink.received = []
    server = HTTPServer(("127.0.0.1", 0), Sink)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@contextlib.contextmanager
def running_sink(path: str = "/hook") -> Iterator[str]:
    """A local `Sink` for the length of the block: its json:// address."""
    server = start_sink()
    try:
        yield f"json://127.0.0.1:{server.server_port}{path}"
    finally:
        server.shutdown()
        server.server_close()


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class PushService:
    """A stand-in for a browser vendor's push service: it records what it is sent."""

    def __init__(self) -> None:
        self.status = 201
        self.requests: list[dict] = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                service.requests.append(
                    {
                        "path": self.path,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": body,
                    }
                )
                self.send_response(service.status)
                if 300 <= service.status < 400:  # back to ourselves: a second request
                    self.send_header("Location", "/elsewhere")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/push/abc"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Browser:
    """The subscriber's side: its key pair and auth secret, as a browser makes them."""

    def __init__(self) -> None:
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.auth_secret = bytes(range(16))

    def subscription(self, endpoint: str) -> str:
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        keys = {"p256dh": b64url(point), "auth": b64url(self.auth_secret)}
        return json.dumps({"endpoint": endpoint, "expirationTime": None, "keys": keys})

    def decrypt(self, body: bytes) -> dict:
        plain = http_ece.decrypt(
            body,
            private_key=self.private_key,
            auth_secret=self.auth_secret,
            version="aes128gcm",
        )
        return json.loads(plain)


def verify_vapid(header: str, public_key: str, audience: str) -> dict:
    """The claims of a push request's VAPID `Authorization` header (RFC 8292), after checking
    that it names `public_key` and is signed by it for `audience`; raises otherwise."""
    scheme, _, params = header.partition(" ")
    assert scheme == "vapid"
    parts = dict(item.split("=", 1) for item in params.split(","))
    assert parts["k"] == public_key
    signer = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(parts["k"]))
    head, claims, signature = parts["t"].split(".")
    raw = unb64url(signature)
    der = encode_dss_signature(int.from_bytes(raw[:32]), int.from_bytes(raw[32:]))
    signer.verify(der, f"{head}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))  # raises if bad
    payload = json.loads(unb64url(claims))
    assert payload["aud"] == audience
    return payload

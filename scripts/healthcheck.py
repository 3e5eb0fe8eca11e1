#!/usr/bin/env python3
"""The image's HEALTHCHECK: asks the web server for /healthz the way the proxy in front would.

Only a container running the web server answers HTTP; the workers' containers are healthy while
their process runs. The request names a host the server accepts (the first in ALLOWED_HOSTS)
and, behind TLS, says it came over HTTPS, so that neither a refused host nor the redirect to
HTTPS reads as a failure.
"""

import os
import sys
import urllib.request
from pathlib import Path

ALLOWED = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1").split(",") if h.strip()]
HTTPS = os.environ.get("SOFTLANDING_HTTPS", "0").strip().lower() in {"1", "true", "yes", "on"}


def runs_web_server() -> bool:
    command = Path("/proc/1/cmdline").read_bytes().split(b"\0")
    return (
        b"web" in command
        or b"all" in command
        or not any(role in command for role in (b"worker", b"dispatcher", b"housekeeping"))
    )


def main() -> int:
    if not runs_web_server():
        return 0
    host = next((h.lstrip(".") for h in ALLOWED if h != "*"), "127.0.0.1")
    request = urllib.request.Request(
        f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/healthz",
        headers={"Host": host, **({"X-Forwarded-Proto": "https"} if HTTPS else {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=4) as response:  # noqa: S310 (http://127.0.0.1)
            return 0 if response.status == 200 else 1
    except OSError as exc:
        print(f"/healthz did not answer: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

"""What scripts/container-test asks of a running container, with the standard library only:

    container_smoke.py BASE_URL health
    container_smoke.py BASE_URL dispatcher-seen
    container_smoke.py BASE_URL signup EMAIL PASSWORD [SIGN_UP_LINK]
    container_smoke.py BASE_URL signup-refused EMAIL PASSWORD
    container_smoke.py BASE_URL signin EMAIL PASSWORD
    container_smoke.py BASE_URL languages
    container_smoke.py scan IMAGE_ARCHIVE SECRET_FILE...

`signup` and `signin` fill allauth's forms like a browser (CSRF cookie and token) and succeed
only when the page that follows is a signed-in one; `signup` opens the operator's sign-up link
first when given one, and `signup-refused` succeeds only when nobody gets in. `scan` fails if
any secret file's content (as text, or its decoded key bytes) is anywhere in a saved image,
layers opened. `languages` asks for the sign-in page in German, Spanish and French and
succeeds only when each comes back in that language (the catalogues are in the image).
"""

import base64
import binascii
import contextlib
import gzip
import http.cookiejar
import json
import re
import sys
import tarfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def health(base: str, wait: float = 60, *, dispatcher: bool = False) -> None:
    """/healthz answers with both databases reachable (and a dispatcher seen, if asked)."""
    deadline = time.monotonic() + wait
    while True:
        try:
            # The base address is the test's own http:// one.
            with urllib.request.urlopen(f"{base}/healthz", timeout=3) as response:  # noqa: S310
                body = json.load(response)
                if (
                    body["database"] == "ok"
                    and body["key_store"] == "ok"
                    and (body["dispatcher"] == "ok" or not dispatcher)
                ):
                    print(f"/healthz: {body}")
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            sys.exit(f"/healthz did not answer within {wait:.0f} s")
        time.sleep(0.5)


def post_form(
    base: str, path: str, fields: dict[str, str], first: str | None = None
) -> tuple[str, str]:
    """(final URL, page) after posting the form at `path`, following redirects; ("", "")
    when there is no form to post."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    if first:
        opener.open(first, timeout=10).close()
    with opener.open(f"{base}{path}", timeout=10) as response:
        token = CSRF.search(response.read().decode())
    if token is None:
        return "", ""
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), **fields}).encode()
    request = urllib.request.Request(  # noqa: S310 (the test's own http:// address)
        f"{base}{path}", data=data, headers={"Referer": base + path}
    )
    with opener.open(request, timeout=20) as response:
        return response.url, response.read().decode()


def signed_in(url: str, page: str, what: str) -> None:
    if "/accounts/" in urllib.parse.urlsplit(url).path or 'action="/accounts/logout/' not in page:
        sys.exit(f"{what} did not sign in: ended at {url}")
    print(f"{what}: signed in, at {url}")


def scan(archive: Path, secret_files: list[Path]) -> None:
    needles = []
    for path in secret_files:
        text = path.read_text().strip()
        needles.append(text.encode())
        for word in text.split():  # the key file: "<id> <base64 key>" lines
            if len(word) >= 40:
                needles.append(word.encode())
                # The secret key is no base64: its text is searched for already.
                with contextlib.suppress(binascii.Error):
                    needles.append(base64.b64decode(word, validate=True))
    found = []
    with tarfile.open(archive) as outer:
        for member in outer:
            if not member.isfile():
                continue
            blob = outer.extractfile(member).read()  # type: ignore[union-attr]
            if blob[:2] == b"\x1f\x8b":
                blob = gzip.decompress(blob)
            found += [member.name for needle in needles if needle in blob]
    if found:
        sys.exit(f"A secret is inside the image: {sorted(set(found))}")
    print(f"The image holds none of {len(needles)} secrets from {len(secret_files)} files.")


# A word of the sign-in page in each language: its quick-exit button.
QUICK_EXIT = {"de": "Schnell raus", "es": "Salida rápida", "fr": "Sortie rapide"}


def languages(base: str) -> None:
    for language, words in QUICK_EXIT.items():
        request = urllib.request.Request(  # noqa: S310 (the test's own http:// address)
            base + "/accounts/login/", headers={"Accept-Language": f"{language},en;q=0.5"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            page = response.read().decode()
        if f'<html lang="{language}">' not in page or words not in page:
            sys.exit(f"The sign-in page did not come back in {language}")
    print(f"The sign-in page speaks {', '.join(QUICK_EXIT)}")


def main(argv: list[str]) -> None:
    if argv[0] == "scan":
        scan(Path(argv[1]), [Path(p) for p in argv[2:]])
        return
    base, action, *rest = argv
    if action == "health":
        health(base)
    elif action == "languages":
        languages(base)
    elif action == "dispatcher-seen":
        health(base, dispatcher=True)
    elif action in {"signup", "signup-refused"}:
        email, password, *link = rest
        url, page = post_form(
            base,
            "/accounts/signup/",
            {"email": email, "password1": password, "password2": password},
            first=link[0] if link else None,
        )
        if action == "signup":
            signed_in(url, page, "sign-up" + (" with a sign-up link" if link else ""))
        elif 'action="/accounts/logout/' in page:
            sys.exit("sign-up was by invitation, yet a stranger got in")
        else:
            print("sign-up without an invitation: refused")
    elif action == "signin":
        email, password = rest
        url, page = post_form(base, "/accounts/login/", {"login": email, "password": password})
        signed_in(url, page, "sign-in")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])

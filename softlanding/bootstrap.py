"""Create the local data folder with a secret key, a key-encryption key and the Web Push
(VAPID) key pair, once.

Run by `make run` before anything else. It never overwrites: losing the key file makes every
encrypted field unreadable, so an existing one is always kept.
"""

import os
import secrets
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from notify.webpush import ensure_vapid_key
from vault.kek import create_if_missing

BASE_DIR = Path(__file__).resolve().parent.parent


def main(data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(data_dir, 0o700)
    # Where settings.py will look for them: a container keeps the key file on a volume of its
    # own, apart from the data. Relative paths are from the checkout, as in settings.py.
    secret = BASE_DIR / os.environ.get("SECRET_KEY_FILE", str(data_dir / "secret_key"))
    kek_file = BASE_DIR / os.environ.get("SOFTLANDING_KEK_FILE", str(data_dir / "kek"))
    if not os.environ.get("SECRET_KEY") and not secret.exists():
        secret.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(secret, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
        print(f"Created a secret key in {secret}")
    if create_if_missing(kek_file):
        print(f"Created a key-encryption key in {kek_file} — back it up separately.")
    # Same rule as settings.VAPID_PRIVATE_KEY_FILE: relative paths are from the checkout.
    vapid = BASE_DIR / os.environ.get("VAPID_PRIVATE_KEY_FILE", str(data_dir / "vapid_private.pem"))
    if ensure_vapid_key(vapid):
        print(f"Created the Web Push key pair in {vapid}")


if __name__ == "__main__":
    main(Path(os.environ.get("SOFTLANDING_DATA_DIR", "data")))

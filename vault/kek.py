"""The key-encryption key file.

Plain Python with no Django import, so that the bootstrap step can create the file before
settings exist. One key per line, ``<id> <base64 key>``; the first line is the current key.
Older lines stay only while a rotation is re-wrapping data keys.
"""

import base64
import os
import secrets
from pathlib import Path

KEY_BYTES = 32


class KeyFileError(Exception):
    pass


def new_key_line() -> tuple[str, bytes]:
    return secrets.token_hex(4), secrets.token_bytes(KEY_BYTES)


def read_keks(path: Path) -> tuple[str, dict[str, bytes]]:
    """(id of the current key, every key by id)."""
    try:
        text = path.read_text()
    except OSError as exc:
        raise KeyFileError(f"cannot read the key-encryption key file {path}: {exc}") from exc
    keys: dict[str, bytes] = {}
    current = ""
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        try:
            kek_id, encoded = line.split()
            key = base64.b64decode(encoded, validate=True)
        except ValueError as exc:
            raise KeyFileError(f"malformed line in {path}") from exc
        if len(key) != KEY_BYTES:
            raise KeyFileError(f"a key in {path} is not {KEY_BYTES} bytes long")
        keys[kek_id] = key
        current = current or kek_id
    if not current:
        raise KeyFileError(f"{path} holds no key")
    return current, keys


def write_keks(path: Path, keys: list[tuple[str, bytes]]) -> None:
    """Replace the file atomically, readable by its owner only."""
    body = "".join(f"{kek_id} {base64.b64encode(key).decode()}\n" for kek_id, key in keys)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(body)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def create_if_missing(path: Path) -> bool:
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    write_keks(path, [new_key_line()])
    return True

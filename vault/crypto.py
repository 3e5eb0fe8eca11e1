"""AES-256-GCM primitives and the ciphertext format.

A sealed value is ``v1.<base64url(key_id[16] | nonce[12] | ciphertext+tag)>``. The associated
data names the owner and the field, so a ciphertext copied to another row or column fails to
open instead of showing someone else's words.
"""

import base64
import binascii
import os
import uuid

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

VERSION = "v1"
NONCE_BYTES = 12


class DecryptionError(Exception):
    """A value could not be opened. Never fall back to showing what is stored."""


def associated_data(owner_id: int, label: str) -> bytes:
    return f"softlanding|{VERSION}|{label}|{owner_id}".encode()


def seal(key: bytes, key_id: uuid.UUID, plaintext: str, ad: bytes) -> str:
    nonce = os.urandom(NONCE_BYTES)
    body = AESGCM(key).encrypt(nonce, plaintext.encode(), ad)
    return f"{VERSION}." + base64.urlsafe_b64encode(key_id.bytes + nonce + body).decode()


def key_id_of(sealed: str) -> uuid.UUID:
    version, _, encoded = sealed.partition(".")
    if version != VERSION:
        raise DecryptionError("unknown ciphertext version")
    try:
        raw = base64.urlsafe_b64decode(encoded.encode())
    except (binascii.Error, ValueError) as exc:
        raise DecryptionError("malformed ciphertext") from exc
    if len(raw) < 16 + NONCE_BYTES + 16:
        raise DecryptionError("truncated ciphertext")
    return uuid.UUID(bytes=raw[:16])


def open_sealed(key: bytes, sealed: str, ad: bytes) -> str:
    key_id_of(sealed)
    raw = base64.urlsafe_b64decode(sealed.partition(".")[2].encode())
    nonce, body = raw[16 : 16 + NONCE_BYTES], raw[16 + NONCE_BYTES :]
    try:
        return AESGCM(key).decrypt(nonce, body, ad).decode()
    except (InvalidTag, UnicodeDecodeError) as exc:
        raise DecryptionError("ciphertext failed authentication") from exc


def wrap(kek: bytes, data_key: bytes, ad: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(kek).encrypt(nonce, data_key, ad)


def unwrap(kek: bytes, wrapped: bytes, ad: bytes) -> bytes:
    try:
        return AESGCM(kek).decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], ad)
    except InvalidTag as exc:
        raise DecryptionError("data key failed authentication") from exc

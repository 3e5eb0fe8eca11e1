"""Envelope encryption: a random data key per person, wrapped by the key-encryption key.

Unwrapped data keys are kept in a small in-process cache so a page that shows twenty notes
opens the key store once. Deleting a person removes their key from the store and the cache.
"""

import os
import threading
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction

from vault import crypto, kek
from vault.crypto import DecryptionError
from vault.models import DataKey
from vault.routers import KEY_STORE

INSTANCE_OWNER = 0
CACHE_SECONDS = 300
CACHE_MAX = 4096


@dataclass(frozen=True)
class _Key:
    key_id: uuid.UUID
    key: bytes
    loaded_at: float


_cache: dict[int, _Key] = {}
_lock = threading.Lock()


def _wrap_ad(owner_id: int, key_id: uuid.UUID) -> bytes:
    return f"softlanding|datakey|{owner_id}|{key_id}".encode()


def _keks() -> tuple[str, dict[str, bytes]]:
    return kek.read_keks(settings.SOFTLANDING_KEK_FILE)


def _remember(owner_id: int, entry: _Key) -> None:
    with _lock:
        if len(_cache) >= CACHE_MAX:
            _cache.clear()
        _cache[owner_id] = entry


def forget_cached_keys() -> None:
    with _lock:
        _cache.clear()


def _load(owner_id: int, *, create: bool) -> _Key | None:
    cached = _cache.get(owner_id)
    if cached and time.monotonic() - cached.loaded_at < CACHE_SECONDS:
        return cached
    row = DataKey.objects.using(KEY_STORE).filter(owner_id=owner_id).first()
    if row is None:
        if not create:
            return None
        row = _create(owner_id)
    _, keks = _keks()
    if row.kek_id not in keks:
        raise DecryptionError("the key that wraps this data key is not in the key file")
    key = crypto.unwrap(keks[row.kek_id], bytes(row.wrapped), _wrap_ad(owner_id, row.key_id))
    entry = _Key(row.key_id, key, time.monotonic())
    _remember(owner_id, entry)
    return entry


def _create(owner_id: int) -> DataKey:
    current, keks = _keks()
    key_id = uuid.uuid4()
    wrapped = crypto.wrap(keks[current], os.urandom(32), _wrap_ad(owner_id, key_id))
    try:
        with transaction.atomic(using=KEY_STORE):
            return DataKey.objects.using(KEY_STORE).create(
                owner_id=owner_id, key_id=key_id, kek_id=current, wrapped=wrapped
            )
    except IntegrityError:
        # Another process created this owner's key first; use theirs.
        return DataKey.objects.using(KEY_STORE).get(owner_id=owner_id)


def encrypt(owner_id: int, label: str, plaintext: str) -> str:
    entry = _load(owner_id, create=True)
    assert entry is not None
    return crypto.seal(entry.key, entry.key_id, plaintext, crypto.associated_data(owner_id, label))


def decrypt(owner_id: int, label: str, sealed: str) -> str:
    entry = _load(owner_id, create=False)
    if entry is None:
        raise DecryptionError("this owner has no data key")
    if crypto.key_id_of(sealed) != entry.key_id:
        raise DecryptionError("ciphertext was sealed under another key")
    return crypto.open_sealed(entry.key, sealed, crypto.associated_data(owner_id, label))


def has_key(owner_id: int) -> bool:
    return DataKey.objects.using(KEY_STORE).filter(owner_id=owner_id).exists()


def destroy_key(owner_id: int) -> None:
    """Make everything sealed for this owner unreadable, in the database and in backups."""
    DataKey.objects.using(KEY_STORE).filter(owner_id=owner_id).delete()
    with _lock:
        _cache.pop(owner_id, None)


def rotate_kek() -> tuple[str, int]:
    """Re-wrap every data key under a fresh key-encryption key; returns (new id, count).

    The new key is added to the file first and the old ones removed only after every row is
    re-wrapped, so a crash at any point leaves each row readable with the file as it is.
    """
    path = settings.SOFTLANDING_KEK_FILE
    _current, keks = kek.read_keks(path)
    new_id, new_key = kek.new_key_line()
    kek.write_keks(path, [(new_id, new_key), *keks.items()])
    count = 0
    for row in DataKey.objects.using(KEY_STORE).exclude(kek_id=new_id).iterator():
        ad = _wrap_ad(row.owner_id, row.key_id)
        data_key = crypto.unwrap(keks[row.kek_id], bytes(row.wrapped), ad)
        DataKey.objects.using(KEY_STORE).filter(pk=row.pk, kek_id=row.kek_id).update(
            kek_id=new_id, wrapped=crypto.wrap(new_key, data_key, ad)
        )
        count += 1
    kek.write_keks(path, [(new_id, new_key)])
    forget_cached_keys()
    return new_id, count

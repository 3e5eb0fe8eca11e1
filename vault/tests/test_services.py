import base64
import stat

import pytest
from django.conf import settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from softlanding.testing import DB
from vault import crypto, kek, services
from vault.crypto import DecryptionError
from vault.models import DataKey

pytestmark = DB
fixture_ok = hsettings(
    suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60, deadline=None
)


@fixture_ok
@given(text=st.text(max_size=2000))
def test_it_round_trips_any_text(text):
    sealed = services.encrypt(7, "checkins.checkin.note", text)
    assert text == services.decrypt(7, "checkins.checkin.note", sealed)


@fixture_ok
@given(text=st.text(min_size=1, max_size=200), data=st.data())
def test_any_changed_byte_raises(text, data):
    sealed = services.encrypt(7, "label", text)
    raw = bytearray(base64.urlsafe_b64decode(sealed.partition(".")[2]))
    index = data.draw(st.integers(0, len(raw) - 1))
    raw[index] ^= data.draw(st.integers(1, 255))
    tampered = "v1." + base64.urlsafe_b64encode(bytes(raw)).decode()
    with pytest.raises(DecryptionError):
        services.decrypt(7, "label", tampered)


def test_a_ciphertext_moved_to_another_owner_raises():
    sealed = services.encrypt(1, "label", "words of one person")
    services.encrypt(2, "label", "create the other key")
    with pytest.raises(DecryptionError):
        services.decrypt(2, "label", sealed)


def test_a_ciphertext_moved_to_another_field_raises():
    sealed = services.encrypt(1, "checkins.checkin.fun", "words")
    with pytest.raises(DecryptionError):
        services.decrypt(1, "checkins.checkin.hard", sealed)


def test_ciphertext_names_its_version_and_key():
    sealed = services.encrypt(3, "label", "x")
    assert sealed.startswith("v1.")
    assert crypto.key_id_of(sealed) == DataKey.objects.get(owner_id=3).key_id


@pytest.mark.parametrize("sealed", ["", "v1.", "v2.AAAA", "v1.not base64!", "plain text"])
def test_malformed_ciphertext_fails_closed(sealed):
    services.encrypt(3, "label", "x")
    with pytest.raises(DecryptionError):
        services.decrypt(3, "label", sealed)


def test_a_destroyed_key_makes_everything_unreadable():
    sealed = services.encrypt(4, "label", "goodbye")
    services.destroy_key(4)
    assert not DataKey.objects.filter(owner_id=4).exists()
    with pytest.raises(DecryptionError):
        services.decrypt(4, "label", sealed)


def test_data_keys_are_stored_wrapped():
    services.encrypt(5, "label", "x")
    row = DataKey.objects.get(owner_id=5)
    _, keks = kek.read_keks(settings.SOFTLANDING_KEK_FILE)
    assert len(bytes(row.wrapped)) == 12 + 32 + 16
    assert row.kek_id in keks


@pytest.fixture
def own_kek_file(tmp_path, settings):
    path = tmp_path / "kek"
    kek.create_if_missing(path)
    settings.SOFTLANDING_KEK_FILE = path
    services.forget_cached_keys()
    return path


def test_rotation_keeps_everything_readable(own_kek_file):
    sealed = {owner: services.encrypt(owner, "label", f"note {owner}") for owner in (1, 2, 3)}
    old_id, _ = kek.read_keks(own_kek_file)

    new_id, count = services.rotate_kek()

    assert count == 3
    current, keys = kek.read_keks(own_kek_file)
    assert current == new_id != old_id
    assert list(keys) == [new_id]
    assert set(DataKey.objects.values_list("kek_id", flat=True)) == {new_id}
    services.forget_cached_keys()
    for owner, value in sealed.items():
        assert services.decrypt(owner, "label", value) == f"note {owner}"
    assert stat.S_IMODE(own_kek_file.stat().st_mode) == 0o600


def test_a_wrong_key_file_cannot_open_data_keys(own_kek_file):
    sealed = services.encrypt(1, "label", "x")
    kek.write_keks(own_kek_file, [(kek.read_keks(own_kek_file)[0], b"\0" * 32)])
    services.forget_cached_keys()
    with pytest.raises(DecryptionError):
        services.decrypt(1, "label", sealed)

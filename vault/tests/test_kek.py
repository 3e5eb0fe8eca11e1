import stat

import pytest

from softlanding import bootstrap
from vault import kek


def test_bootstrap_creates_secrets_readable_by_owner_only(tmp_path):
    bootstrap.main(tmp_path / "data")
    for name in ("secret_key", "kek"):
        assert stat.S_IMODE((tmp_path / "data" / name).stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700


def test_bootstrap_puts_the_keys_where_the_settings_will_look(tmp_path, monkeypatch):
    """A container keeps the key file on a volume of its own, apart from the data."""
    monkeypatch.setenv("SOFTLANDING_KEK_FILE", str(tmp_path / "keys" / "kek"))
    monkeypatch.setenv("SECRET_KEY_FILE", str(tmp_path / "secrets" / "secret_key"))
    bootstrap.main(tmp_path / "data")
    assert kek.read_keks(tmp_path / "keys" / "kek")
    assert len((tmp_path / "secrets" / "secret_key").read_text()) > 50
    assert not (tmp_path / "data" / "kek").exists()
    assert not (tmp_path / "data" / "secret_key").exists()


def test_bootstrap_never_replaces_an_existing_key(tmp_path):
    bootstrap.main(tmp_path)
    before = (tmp_path / "kek").read_text()
    bootstrap.main(tmp_path)
    assert (tmp_path / "kek").read_text() == before


@pytest.mark.parametrize("content", ["", "abc\n", "id notbase64!\n", "id AAAA\n"])
def test_a_broken_key_file_is_refused(tmp_path, content):
    path = tmp_path / "kek"
    path.write_text(content)
    with pytest.raises(kek.KeyFileError):
        kek.read_keks(path)

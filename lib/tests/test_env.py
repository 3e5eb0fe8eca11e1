"""Settings from the environment: secrets from files, database URLs with their options."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from lib.env import database_from_url, env_secret, sibling_database_url


def test_a_secret_comes_from_its_variable_or_from_the_file_named_by_name_file(
    monkeypatch, tmp_path
):
    secret = tmp_path / "db_url"
    secret.write_text("postgres://app:pw@db/app\n")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("DATABASE_URL_FILE", str(secret))
    assert env_secret("DATABASE_URL") == "postgres://app:pw@db/app"
    monkeypatch.setenv("DATABASE_URL", "postgres://direct@db/app")
    assert env_secret("DATABASE_URL") == "postgres://direct@db/app"


def test_a_missing_secret_file_stops_the_start(monkeypatch, tmp_path):
    monkeypatch.delenv("METRICS_TOKEN", raising=False)
    monkeypatch.setenv("METRICS_TOKEN_FILE", str(tmp_path / "absent"))
    with pytest.raises(ImproperlyConfigured, match="METRICS_TOKEN_FILE"):
        env_secret("METRICS_TOKEN")


def test_postgres_url_options_such_as_sslmode_are_kept():
    db = database_from_url(
        "postgres://app:p%40ss@db.example.org:6543/soft"
        "?sslmode=verify-full&sslrootcert=/run/secrets/ca.pem&connect_timeout=5"
    )
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"]) == ("soft", "app", "p@ss")
    assert (db["HOST"], db["PORT"]) == ("db.example.org", "6543")
    assert db["OPTIONS"] == {
        "sslmode": "verify-full",
        "sslrootcert": "/run/secrets/ca.pem",
        "connect_timeout": "5",
    }


def test_a_socket_folder_is_read_from_an_encoded_host():
    db = database_from_url("postgresql://app@%2Frun%2Fpostgresql/soft")
    assert (db["HOST"], db["OPTIONS"]) == ("/run/postgresql", {})


def test_sqlite_urls_refuse_options_rather_than_ignore_them():
    assert database_from_url("sqlite:////srv/data/db.sqlite3")["NAME"] == "/srv/data/db.sqlite3"
    with pytest.raises(ImproperlyConfigured, match="no options"):
        database_from_url("sqlite:///db.sqlite3?mode=ro")


def test_the_key_store_beside_a_postgres_database_keeps_its_server_and_options():
    assert (
        sibling_database_url("postgres://app:pw@db:5432/soft?sslmode=require", "_keys")
        == "postgres://app:pw@db:5432/soft_keys?sslmode=require"
    )

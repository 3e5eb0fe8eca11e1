"""For the canary tests: which text columns hold a person's own words (encrypted) and which
are kept in clear and why, and the raw bytes a database holds, to prove that a canary string
is not among them."""

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connections, models

from vault.fields import EncryptedTextField


def raw_database_bytes(alias: str = "default") -> bytes:
    """The whole database as stored: a page-for-page copy of SQLite, or a pg_dump."""
    connection = connections[alias]
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / "copy.sqlite3"
            with sqlite3.connect(target) as copy:
                connection.connection.backup(copy)
            return target.read_bytes()
    if connection.vendor == "postgresql":
        params = connection.settings_dict
        pg_dump = shutil.which("pg_dump")
        if pg_dump is None:
            raise RuntimeError("pg_dump is needed to read a PostgreSQL database's raw contents")
        env = {**os.environ, "PGPASSWORD": params.get("PASSWORD") or ""}
        command = [
            pg_dump,
            "--no-owner",
            "--data-only",
            "-h",
            params["HOST"] or "localhost",
            "-p",
            str(params["PORT"] or 5432),
            "-U",
            params["USER"] or "postgres",
            params["NAME"],
        ]
        return subprocess.run(command, env=env, check=True, capture_output=True).stdout  # noqa: S603
    raise RuntimeError(f"unsupported database {connection.vendor}")


# Text columns kept in clear, each with why no person's own words can end up in it. A column
# with `choices` holds a closed vocabulary and needs no entry.
NOT_TYPED = {
    "accounts.Person.email": "the sign-in name: looked up in clear at every sign-in and reset",
    "accounts.Person.password": "an argon2 hash, never the password",
    "accounts.Person.time_zone": "a name from the tz database, checked against it",
    "accounts.Person.declined_time_zone": "a name from the tz database, checked against it",
    "accounts.Person.language": "a language code from settings.LANGUAGES",
    "accounts.AccessToken.token_hash": "a SHA-256 hash of a secret we generate",
    "accounts.AccessToken.hint": "the last characters of a secret we generate",
    "accounts.SignUpLink.secret_hash": "a hash of a secret we generate",
    "accounts.SubmissionKey.scope": "our own name for what a form or API call creates",
    "accounts.SubmissionKey.key_hash": "a hash of a one-time key a form or client sends",
    "accounts.SubmissionKey.fingerprint": "a keyed hash of what was sent, never the text",
    "vault.DataKey.kek_id": "the id of a key-encryption key we generate",
    "care.CareItem.key": "a catalogue key from our own file, or one we generate",
    "followups.FollowUp.lease_owner": "the name of a worker process",
    "followups.AnswerToken.digest": "a SHA-256 hash of a secret we generate",
    "partners.Invite.secret_hash": "a hash of a secret we generate",
    "partners.GuestLink.secret_hash": "a hash of a secret we generate",
    "partners.Wish.idea": "a key from our own list of ideas",
    "partners.SupportContact.verify_hash": "a hash of a secret we generate",
    "notify.Channel.endpoint_hash": "a keyed hash of the address, to find duplicates",
    "notify.Channel.disabled_reason": "our own words for why deliveries stopped",
    "notify.Delivery.error": "our own summary of a failed delivery, checked for canaries",
    "notify.Heartbeat.worker": "the name of a worker process",
}


def our_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        # Our apps sit at the top of the project; installed packages live further down.
        if Path(apps.get_app_config(model._meta.app_label).path).parent == settings.BASE_DIR
    ]


def plain_text_fields() -> set[str]:
    return {
        f"{model._meta.label}.{field.name}"
        for model in our_models()
        for field in model._meta.concrete_fields
        if isinstance(field, (models.CharField, models.TextField))
        and not isinstance(field, EncryptedTextField)
        and not field.choices
    }


def encrypted_fields() -> set[str]:
    return {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, EncryptedTextField)
    }

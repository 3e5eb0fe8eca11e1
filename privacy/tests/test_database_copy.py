"""`manage.py copy_database`: a whole instance into new databases, as stored, nothing decrypted."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

from checkins.models import CheckIn
from privacy.database_copy import SOURCES, TARGETS, models_of, targets
from softlanding.testing import make_checkin, make_connection
from vault.models import DataKey
from vault.routers import KEY_STORE

CANARY = "Zanzibar-copy-canary"


def migrated_like_this(data_url: str, keys_url: str) -> None:
    """New databases with this instance's tables and its migrations recorded as applied."""
    with targets(data_url, keys_url):
        for source in SOURCES:
            target = connections[TARGETS[source]]
            with target.schema_editor() as editor:
                for model in models_of(source):
                    if not model._meta.auto_created:
                        editor.create_model(model)
            recorder = MigrationRecorder(target)
            recorder.ensure_schema()
            for app, name in MigrationRecorder(connections[source]).applied_migrations():
                recorder.record_applied(app, name)


def raw_rows(model, alias):
    return list(model._base_manager.using(alias).order_by("pk").values_list())


@pytest.mark.django_db(databases=["default", "keys"])
def test_everything_arrives_as_stored_and_nothing_decrypted(tmp_path, alice, bob):
    make_connection(alice, bob)
    checkin = make_checkin(alice, fun=CANARY)
    data_url = f"sqlite:///{tmp_path / 'data.sqlite3'}"
    keys_url = f"sqlite:///{tmp_path / 'keys.sqlite3'}"
    migrated_like_this(data_url, keys_url)

    out = StringIO()
    call_command("copy_database", "--to", data_url, "--to-keys", keys_url, stdout=out)

    assert "Copied" in out.getvalue()
    with targets(data_url, keys_url):
        for source in SOURCES:
            for model in models_of(source):
                assert raw_rows(model, TARGETS[source]) == raw_rows(model, source), model
        copied = CheckIn._base_manager.using(TARGETS["default"]).get(pk=checkin.pk)
        assert copied.__dict__["fun"] == CheckIn.objects.get(pk=checkin.pk).__dict__["fun"]
        assert CANARY not in copied.__dict__["fun"]
        assert copied.created_at == checkin.created_at
        assert DataKey.objects.using(TARGETS[KEY_STORE]).count() == DataKey.objects.count()
    assert (tmp_path / "data.sqlite3").read_bytes().find(CANARY.encode()) == -1


@pytest.mark.django_db(databases=["default", "keys"])
def test_only_into_new_migrated_databases(tmp_path, alice):
    data_url = f"sqlite:///{tmp_path / 'data.sqlite3'}"
    keys_url = f"sqlite:///{tmp_path / 'keys.sqlite3'}"
    with pytest.raises(CommandError, match="not migrated"):
        call_command("copy_database", "--to", data_url, "--to-keys", keys_url)

    migrated_like_this(data_url, keys_url)
    call_command("copy_database", "--to", data_url, "--to-keys", keys_url, stdout=StringIO())
    with pytest.raises(CommandError, match="already holds people"):
        call_command("copy_database", "--to", data_url, "--to-keys", keys_url)

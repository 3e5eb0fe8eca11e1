"""Copying a whole instance into other databases, every row exactly as it is stored: the way
from SQLite to PostgreSQL (`manage.py copy_database`).

Encrypted fields travel as ciphertext and the data keys stay wrapped: nothing is decrypted, so
the key file that opens the old databases opens the new ones. (`dumpdata` cannot do this: it
writes every encrypted field decrypted, and `loaddata` refuses them.) Times written by
`auto_now` fields keep their stored values too, because rows are inserted as they are read.
"""

import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import connections, router, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Model
from django.db.utils import load_backend

from lib.env import database_from_url
from vault.models import DataKey
from vault.routers import KEY_STORE

SOURCES = ("default", KEY_STORE)
TARGETS = {"default": "copy_target", KEY_STORE: "copy_target_keys"}
BATCH = 500


class CopyError(Exception):
    """A copy that must not start; the message says why."""


def models_of(alias: str) -> list[type[Model]]:
    """Every table that lives in `alias`, many-to-many tables included."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed
        and not model._meta.proxy
        and router.allow_migrate_model(alias, model)
    ]


@contextmanager
def targets(data_url: str, keys_url: str) -> Iterator[None]:
    """The target databases as connections of their own, for as long as the copy lasts.

    Made here rather than added to the settings: they exist for this copy alone."""
    for alias, url in ((TARGETS["default"], data_url), (TARGETS[KEY_STORE], keys_url)):
        config = connections.configure_settings({"default": database_from_url(url)})["default"]
        connections[alias] = load_backend(config["ENGINE"]).DatabaseWrapper(config, alias)
    try:
        yield
    finally:
        for alias in TARGETS.values():
            connections[alias].close()
            del connections[alias]


def check(source: str, target: str) -> None:
    """The target has the same migrations applied as the source, and nobody in it yet."""
    applied = set(MigrationRecorder(connections[source]).applied_migrations())
    recorder = MigrationRecorder(connections[target])
    if not recorder.has_table() or set(recorder.applied_migrations()) != applied:
        raise CopyError(
            f"The target database for {source!r} is not migrated like this one. Run "
            "`manage.py migrate` and `manage.py migrate --database keys` with the new "
            "DATABASE_URL and KEYS_DATABASE_URL first, from this same version."
        )
    someone = apps.get_model(settings.AUTH_USER_MODEL) if source == "default" else DataKey
    if someone._base_manager.using(target).exists():
        raise CopyError(
            f"The target database for {source!r} already holds people or keys: "
            "copy only into new, empty databases."
        )


def copy_rows(model: type[Model], source: str, target: str) -> int:
    fields = model._meta.concrete_fields
    connection = connections[target]
    quote = connection.ops.quote_name
    # Names from our own models, quoted; the values go as parameters.
    insert = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(model._meta.db_table),
        ", ".join(quote(str(field.column)) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    rows = (
        model._base_manager.using(source)
        .order_by(model._meta.pk.attname)
        .values_list(*(field.attname for field in fields))
        .iterator(chunk_size=BATCH)
    )
    copied = 0
    with connection.cursor() as cursor:
        for batch in itertools.batched(rows, BATCH):
            cursor.executemany(
                insert,
                [
                    [
                        field.get_db_prep_save(value, connection)
                        for field, value in zip(fields, row, strict=True)
                    ]
                    for row in batch
                ],
            )
            copied += len(batch)
    return copied


def copy_instance(
    data_url: str, keys_url: str, report: Callable[[str, int], None] = lambda label, n: None
) -> int:
    """Copy both databases into the (migrated, empty) targets, all or nothing; rows copied."""
    total = 0
    with targets(data_url, keys_url):
        for source in SOURCES:
            check(source, TARGETS[source])
        with (
            transaction.atomic(using=TARGETS[KEY_STORE]),
            transaction.atomic(using=TARGETS["default"]),
        ):
            for source in SOURCES:
                target, models = TARGETS[source], models_of(source)
                connection = connections[target]
                with connection.cursor() as cursor:
                    # What `migrate` put there (content types, permissions) makes way for
                    # the rows it has here, ids and all.
                    tables = [model._meta.db_table for model in models]
                    for sql in connection.ops.sql_flush(no_style(), tables, allow_cascade=True):
                        cursor.execute(sql)
                for model in models:
                    copied = copy_rows(model, source, target)
                    report(model._meta.label, copied)
                    total += copied
                with connection.cursor() as cursor:
                    for sql in connection.ops.sequence_reset_sql(no_style(), models):
                        cursor.execute(sql)
    return total

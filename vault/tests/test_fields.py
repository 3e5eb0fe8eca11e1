import pytest
from django.db import connection, models
from django.test.utils import isolate_apps

from softlanding.canary import raw_database_bytes
from softlanding.testing import TRANSACTIONAL_DB
from vault.crypto import DecryptionError
from vault.fields import EncryptedTextField, Sealed

pytestmark = TRANSACTIONAL_DB


@pytest.fixture
def Note():
    with isolate_apps("privacy"):

        class Note(models.Model):
            owner_id = models.BigIntegerField()
            body = EncryptedTextField(owner="owner")
            other = EncryptedTextField(owner="owner")

            class Meta:
                app_label = "privacy"
                db_table = "vault_test_note"

        with connection.schema_editor() as editor:
            editor.create_model(Note)
        yield Note
        with connection.schema_editor() as editor:
            editor.delete_model(Note)


def raw_column(Note, pk, column="body"):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM vault_test_note WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_it_stores_ciphertext_and_reads_plaintext(Note):
    note = Note.objects.create(owner_id=1, body="I felt very close to them")
    assert note.body == "I felt very close to them"
    assert raw_column(Note, note.pk).startswith("v1.")
    assert "close" not in raw_column(Note, note.pk)
    assert Note.objects.get(pk=note.pk).body == "I felt very close to them"


def test_an_unchanged_value_is_not_sealed_again(Note):
    note = Note.objects.create(owner_id=1, body="same")
    before = raw_column(Note, note.pk)
    fresh = Note.objects.get(pk=note.pk)
    fresh.save()
    assert raw_column(Note, note.pk) == before


def test_an_empty_value_stays_empty(Note):
    note = Note.objects.create(owner_id=1)
    assert raw_column(Note, note.pk) == ""
    assert Note.objects.get(pk=note.pk).body == ""


def test_writing_plaintext_around_save_is_refused(Note):
    note = Note.objects.create(owner_id=1, body="x")
    with pytest.raises(TypeError):
        Note.objects.filter(pk=note.pk).update(body="plaintext")


def test_a_value_moved_to_another_row_raises(Note):
    mine = Note.objects.create(owner_id=1, body="mine")
    theirs = Note.objects.create(owner_id=2, body="theirs")
    Note.objects.filter(pk=theirs.pk).update(body=Sealed(raw_column(Note, mine.pk)))
    with pytest.raises(DecryptionError):
        _ = Note.objects.get(pk=theirs.pk).body


def test_a_value_moved_to_another_column_raises(Note):
    note = Note.objects.create(owner_id=1, body="words")
    Note.objects.filter(pk=note.pk).update(other=Sealed(raw_column(Note, note.pk)))
    with pytest.raises(DecryptionError):
        _ = Note.objects.get(pk=note.pk).other


def test_a_corrupted_value_raises_instead_of_showing_ciphertext(Note):
    note = Note.objects.create(owner_id=1, body="words")
    corrupted = raw_column(Note, note.pk)[:-3] + "AAA"
    Note.objects.filter(pk=note.pk).update(body=Sealed(corrupted))
    with pytest.raises(DecryptionError):
        _ = Note.objects.get(pk=note.pk).body


def test_a_canary_written_through_the_field_is_not_in_the_raw_database(Note):
    canary = "CANARY-7f3a9c-tearful-after-the-show"
    Note.objects.create(owner_id=1, body=canary, other=canary + " again")
    raw = raw_database_bytes("default")
    assert b"vault_test_note" in raw or b"v1." in raw  # the copy really holds the table
    assert canary.encode() not in raw
    assert canary.encode("utf-16-le") not in raw

"""Display names, pronouns and token names are sealed at rest; rows written in clear before
the migration are sealed in place, and going back opens them again."""

import importlib

from django.apps import apps

from accounts.models import AccessToken, Person
from accounts.services import create_token
from softlanding.testing import DB, make_person
from vault.fields import Sealed

migration = importlib.import_module("accounts.migrations.0006_encrypt_names_and_pronouns")


def _raw(model, pk: int, field: str) -> str:
    return model.objects.filter(pk=pk).values_list(field, flat=True).get()


@DB
def test_names_pronouns_and_token_names_are_stored_sealed():
    person = make_person("Robin", password=None, pronouns="they/them")
    token, _secret = create_token(person, "my phone")
    for model, pk, field in [
        (Person, person.pk, "display_name"),
        (Person, person.pk, "pronouns"),
        (AccessToken, token.pk, "name"),
    ]:
        raw = _raw(model, pk, field)
        assert raw.startswith("v1.")
        assert "Robin" not in raw and "they" not in raw and "phone" not in raw
    again = Person.objects.get(pk=person.pk)
    assert (again.display_name, again.pronouns) == ("Robin", "they/them")
    assert AccessToken.objects.get(pk=token.pk).name == "my phone"


@DB
def test_the_migration_seals_rows_written_in_clear_and_can_open_them_again():
    person = make_person("Robin", password=None, pronouns="she/her")
    token, _secret = create_token(person, "laptop")
    # As the columns were before: the words in clear.
    Person.objects.filter(pk=person.pk).update(
        display_name=Sealed("Robin"), pronouns=Sealed("she/her")
    )
    AccessToken.objects.filter(pk=token.pk).update(name=Sealed("laptop"))

    migration.seal(apps, None)

    assert _raw(Person, person.pk, "display_name").startswith("v1.")
    assert _raw(AccessToken, token.pk, "name").startswith("v1.")
    sealed = Person.objects.get(pk=person.pk)
    assert (sealed.display_name, sealed.pronouns) == ("Robin", "she/her")
    assert AccessToken.objects.get(pk=token.pk).name == "laptop"

    migration.open_again(apps, None)

    assert _raw(Person, person.pk, "display_name") == "Robin"
    assert _raw(Person, person.pk, "pronouns") == "she/her"
    assert _raw(AccessToken, token.pk, "name") == "laptop"

"""Display names, pronouns and token names are sealed at rest."""

from accounts.models import AccessToken, Person
from accounts.services import create_token
from softlanding.testing import DB, make_person


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

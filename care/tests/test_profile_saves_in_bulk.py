"""Saving the whole profile costs the same with one answer as with thirty: one consent check,
one read of the answers already there, one bulk update and one bulk insert."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from care import services
from care.models import Answer, CareItem, Preference
from consent.models import Consent
from softlanding.testing import DB
from softlanding.testing_counts import cost

pytestmark = DB


def _items(n: int) -> list[CareItem]:
    found = list(CareItem.objects.filter(key__isnull=False).order_by("position")[:n])
    assert len(found) == n
    return found


def _save(person, items, receive, give=None):
    services.set_preferences(person, {item: (receive, give) for item in items})


@pytest.mark.parametrize("existing", [False, True], ids=["new answers", "changed answers"])
def test_the_service_writes_in_bulk(alice, existing):
    one, thirty = _items(1), _items(31)[1:]
    if existing:
        _save(alice, one + thirty, Answer.NO)
    small = cost(lambda: _save(alice, one, Answer.YES, Answer.MAYBE))
    large = cost(lambda: _save(alice, thirty, Answer.YES, Answer.MAYBE))
    assert large.queries == small.queries
    saved = Preference.objects.filter(person=alice)
    assert saved.count() == 31
    assert {(p.receive, p.give) for p in saved} == {(Answer.YES, Answer.MAYBE)}
    consent = [sql for sql in large.sql if Consent._meta.db_table in sql]
    assert len(consent) == 1


def test_a_partial_answer_keeps_the_other_half(alice):
    water = _items(1)
    _save(alice, water, Answer.YES, Answer.NO)
    _save(alice, water, None, Answer.MAYBE)
    pref = Preference.objects.get(person=alice)
    assert (pref.receive, pref.give) == (Answer.YES, Answer.MAYBE)


def test_one_wrong_answer_saves_nothing(alice):
    water, hug = _items(2)
    with pytest.raises(ValidationError):
        services.set_preferences(alice, {water: (Answer.YES, None), hug: ("always", None)})
    assert not Preference.objects.filter(person=alice).exists()


def test_the_profile_form_and_the_api_cost_the_same_for_one_answer_or_thirty(client, alice):
    client.force_login(alice)

    def form(items):
        data = {f"receive-{item.code}": "yes" for item in items}
        return lambda: client.post(reverse("care:profile"), data)

    def api(items):
        body = {"items": [{"item": str(item.code), "give": "maybe"} for item in items]}
        return lambda: client.patch(
            "/api/v1/profile", json.dumps(body), content_type="application/json"
        )

    one, thirty = _items(1), _items(31)[1:]
    for send in (form, api):
        assert send(one)().status_code in (200, 302)  # the profile row exists from here on
        small, large = cost(send(one)), cost(send(thirty))
        assert large.queries == small.queries, "\n".join(large.sql)

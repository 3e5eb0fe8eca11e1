"""A check-in submit asks each question of the database once: consent, the encounter, and
whether a follow-up is waiting for the answer; the care items only when some were ticked."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from care.models import CareItem
from checkins import services
from checkins.forms import CheckInForm
from checkins.models import CheckIn
from consent.services import withdraw_consent
from followups.models import FollowUp, FollowUpState
from softlanding.testing import DB


def submit(client, encounter):
    url = f"/encounters/{encounter.code}/checkin/"
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {"pleasantness": "5", "feelings": ["calm"]})
    return response, [q["sql"] for q in queries]


@DB
def test_a_checkin_submit_asks_for_consent_and_the_encounter_once(client, alice):
    client.force_login(alice)
    encounter = services.log_encounter(alice, occurred_at=timezone.now(), kind="solo")
    response, queries = submit(client, encounter)
    assert response.status_code == 302
    assert len([q for q in queries if "consent_consent" in q]) == 1
    assert len([q for q in queries if q.lstrip().startswith('SELECT "checkins_encounter"')]) == 1
    assert CheckIn.objects.filter(person=alice).count() == 1


@DB
def test_a_checkin_with_no_followup_waiting_looks_once_and_touches_none(client, alice):
    client.force_login(alice)
    encounter = services.log_encounter(
        alice, occurred_at=timezone.now() - dt.timedelta(days=30), kind="solo"
    )
    FollowUp.objects.filter(person=alice).delete()
    _response, queries = submit(client, encounter)
    followup_queries = [q for q in queries if "followups_followup" in q]
    assert len(followup_queries) == 1
    assert "EXISTS" in followup_queries[0].upper() or "LIMIT 1" in followup_queries[0]


@DB
def test_a_followup_waiting_is_still_answered(client, alice):
    client.force_login(alice)
    encounter = services.log_encounter(alice, occurred_at=timezone.now(), kind="solo")
    FollowUp.objects.filter(person=alice).update(state=FollowUpState.SENT, sent_at=timezone.now())
    submit(client, encounter)
    assert FollowUp.objects.filter(person=alice, state=FollowUpState.ANSWERED).exists()


@DB
def test_consent_withdrawn_between_requests_counts_at_once(client, alice):
    client.force_login(alice)
    encounter = services.log_encounter(alice, occurred_at=timezone.now(), kind="solo")
    withdraw_consent(alice)
    response, _queries = submit(client, encounter)
    assert response.status_code == 302
    assert "consent" in response["Location"]
    assert not CheckIn.objects.filter(person=alice).exists()


@DB
def test_the_care_items_are_looked_up_only_when_ticked_or_shown(alice):
    built = []

    def care_items():
        built.append(1)
        return CareItem.objects.visible_to(alice)

    def form(data=None):
        return CheckInForm(data, care_items=care_items, asks_received=True)

    nothing_ticked = form({"pleasantness": "5"})
    assert nothing_ticked.is_valid()
    assert nothing_ticked.cleaned_data["care_given"] == []
    assert built == []
    water = CareItem.objects.get(key="water")
    ticked = form({"care_given": [str(water.code)], "care_received": [str(water.code)]})
    assert ticked.is_valid()
    assert ticked.cleaned_data["care_given"] == [water]
    assert len(built) == 2  # once for each field that was ticked
    shown = str(form()["care_given"])
    assert str(water.code) in shown and str(water.label) in shown
    assert len(built) == 3


@DB
def test_check_in_forms_share_only_the_fields_none_of_them_changes(alice):
    def as_declared() -> dict:
        return {
            name: (str(f.label), f.initial, f.required, dict(f.widget.attrs), f.help_text)
            for name, f in CheckInForm.base_fields.items()
        }

    def form(**asked):
        made = CheckInForm(
            {"pleasantness": "5"}, care_items=lambda: CareItem.objects.visible_to(alice), **asked
        )
        made.is_valid()
        str(made)  # shown, too
        return made

    declared = as_declared()
    first = form(share_default=["fun"], share_with=["Bob"], asks_received=True)
    second = form(share_default=[], share_with=["Bob", "Charlie"])
    assert first.fields["shared"].label == "Share with Bob"
    assert second.fields["shared"].label == "Share with the people on this encounter"
    # Nothing a form did reached the declared fields, which the next form starts from.
    assert as_declared() == declared
    for name in CheckInForm.CHANGED_PER_FORM & set(first.fields) & set(second.fields):
        assert first.fields[name] is not second.fields[name]
    for name, field in first.fields.items():
        if name not in CheckInForm.CHANGED_PER_FORM:
            assert field is CheckInForm.base_fields[name]  # shared
    assert list(first.fields) == [n for n in CheckInForm.base_fields if n != "winddown"]

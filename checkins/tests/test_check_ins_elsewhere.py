"""A person's check-ins "elsewhere" (on an encounter someone else logged, or one that is gone)
are marked so when they are made, and the mark always says what the encounter says."""

import json

from django.db.models import F, Q
from django.db.models.signals import pre_delete
from django.urls import reverse

from checkins import services
from checkins.models import CheckIn, Encounter
from privacy import export, importer
from softlanding.testing import (
    DB,
    NO_QUIET,
    answer_followup,
    make_checkin,
    make_connection,
    make_encounter,
    make_history,
    make_person,
)

pytestmark = DB


def _elsewhere_by_the_encounter() -> set[int]:
    """What "elsewhere" means, read from the encounter itself."""
    on_others = Q(encounter__isnull=True) | ~Q(encounter__person=F("person"))
    return set(CheckIn.objects.filter(on_others).values_list("pk", flat=True))


def _elsewhere_by_the_mark() -> set[int]:
    return set(CheckIn.objects.on_others_encounters().values_list("pk", flat=True))


def test_every_way_a_check_in_is_made_marks_it_as_the_encounter_says(client):
    alice = make_person("Alice", password=None, **NO_QUIET)
    bob = make_person("Bob", password=None, **NO_QUIET)
    connection = make_connection(alice, bob)
    together = make_encounter(alice, connections=[connection])
    make_checkin(alice, together, pleasantness=5)
    bobs = make_checkin(bob, together, pleasantness=4)
    answer_followup(bob, together, 24, pleasantness=3)
    answer_followup(alice, together, 24, pleasantness=6)
    make_checkin(bob, pleasantness=2)  # on his own encounter
    make_history(alice, 5)  # in bulk
    moved = make_person("Moved", password=None, **NO_QUIET)
    importer.import_document(moved, importer.parse(json.dumps(export.build_document(alice))))

    marked = _elsewhere_by_the_mark()
    assert marked == _elsewhere_by_the_encounter()
    assert CheckIn.objects.filter(pk__in=marked, person=bob).count() == 2
    assert not CheckIn.objects.filter(pk__in=marked).exclude(person=bob).exists()

    # Alice deletes the encounter: her check-ins go, Bob's stay his, still elsewhere.
    services.delete_encounter(together)
    assert _elsewhere_by_the_mark() == _elsewhere_by_the_encounter()
    bobs.refresh_from_db()
    assert bobs.encounter is None and bobs.pk in _elsewhere_by_the_mark()
    client.force_login(bob)
    page = client.get(reverse("checkins:checkin_list")).content.decode()
    assert reverse("checkins:checkin_detail", args=[bobs.code]) in page


def test_the_list_elsewhere_reads_the_check_ins_alone():
    """Found through its own index, without reading each check-in's encounter: a person with
    thousands of check-ins on their own encounters costs the dashboard no more."""
    sql = str(CheckIn.objects.filter(person_id=1).on_others_encounters()[:5].query)
    assert "JOIN" not in sql.upper()


def test_a_check_in_saved_while_its_encounter_is_deleted_goes_with_it():
    """The author deletes an encounter in one tab while a check-in on it is saved in another:
    the check-in lands after the author's check-ins were deleted and before the encounter was.
    It goes too, as the deletion promises; a partner's stays theirs."""
    alice = make_person("Alice", password=None, **NO_QUIET)
    bob = make_person("Bob", password=None, **NO_QUIET)
    encounter = make_encounter(alice, connections=[make_connection(alice, bob)])
    bobs = make_checkin(bob, encounter, pleasantness=4)
    saved_meanwhile = []

    def another_tab(sender, instance, **kwargs):
        if not saved_meanwhile:
            saved_meanwhile.append(services.add_checkin(alice, encounter, pleasantness=5))

    pre_delete.connect(another_tab, sender=Encounter)
    try:
        services.delete_encounter(encounter)
    finally:
        pre_delete.disconnect(another_tab, sender=Encounter)
    assert saved_meanwhile
    assert not CheckIn.objects.filter(person=alice).exists()
    assert CheckIn.objects.filter(pk=bobs.pk, encounter=None).exists()

"""A kind reads in the reader's language, on an encounter and on a check-in."""

from django.utils import translation

from checkins.models import CheckIn
from softlanding.testing import DB, make_checkin, make_encounter


@DB
def test_a_kind_reads_in_the_readers_language(alice):
    encounter = make_encounter(alice, kind="casual")
    checkin = make_checkin(alice, encounter)
    assert encounter.get_kind_display() == "Casual"
    with translation.override("de"):
        assert encounter.get_kind_display() == checkin.get_encounter_kind_display() != "Casual"
    assert CheckIn(encounter_kind="").get_encounter_kind_display() == ""

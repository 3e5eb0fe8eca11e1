"""A person in Tokyo, with the clock moved: a follow-up that would ask at 23:30 their time waits
for the end of their quiet hours, 08:00 their time, and the real dispatcher sends it then. The
pages show every time on their clock, and the API gives each with its offset."""

import datetime as dt
import zoneinfo

import time_machine
from django.urls import reverse

from checkins.models import Encounter
from followups.dispatcher import Dispatcher
from followups.models import FollowUp, FollowUpState
from notify.models import Notification
from softlanding.testing import DB, make_person

pytestmark = DB
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


def tokyo(day, hour, minute=0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=TOKYO)


def sent_at(moment: dt.datetime, dispatcher: Dispatcher) -> int:
    with time_machine.travel(moment, tick=False):
        return dispatcher.run_once()


def test_a_follow_up_due_at_23_30_in_tokyo_arrives_at_08_00_there(client):
    kai = make_person("Kai", time_zone="Asia/Tokyo")
    assert (kai.quiet_hours_start, kai.quiet_hours_end) == (dt.time(22), dt.time(8))
    client.force_login(kai)
    with time_machine.travel(tokyo(1, 20, 31), tick=False):
        # The page takes the time as Kai's own clock shows it.
        client.post(
            reverse("checkins:encounter_new"), {"occurred_at": "2026-03-01T20:30", "kind": "solo"}
        )
    encounter = Encounter.objects.get(person=kai)
    assert encounter.occurred_at == tokyo(1, 20, 30)
    first = FollowUp.objects.get(person=kai, offset_hours=3)  # 23:30 in Tokyo, in quiet hours
    assert first.due_at == tokyo(2, 8)

    dispatcher = Dispatcher(poll=0, worker="tokyo-test")
    assert sent_at(tokyo(1, 23, 30), dispatcher) == 0
    assert sent_at(tokyo(2, 3), dispatcher) == 0
    assert sent_at(tokyo(2, 7, 59), dispatcher) == 0
    assert not Notification.objects.filter(person=kai).exists()
    assert sent_at(tokyo(2, 8), dispatcher) == 1
    first.refresh_from_db()
    assert (first.state, first.sent_at) == (FollowUpState.SENT, tokyo(2, 8))
    assert Notification.objects.get(person=kai).followup_id == first.pk

    with time_machine.travel(tokyo(2, 8, 5), tick=False):
        pages = {
            "dashboard": client.get("/").content.decode(),
            "follow-ups": client.get(reverse("checkins:followups")).content.decode(),
            "inbox": client.get(reverse("notify:inbox")).content.decode(),
            "encounters": client.get(reverse("checkins:encounter_list")).content.decode(),
            "encounter": client.get(
                reverse("checkins:encounter_detail", args=[encounter.code])
            ).content.decode(),
        }
        edit = client.get(reverse("checkins:encounter_edit", args=[encounter.code]))
        api = client.get("/api/v1/follow-ups").json()["items"]
    for name in ("dashboard", "follow-ups", "inbox"):
        assert "Mon 2 Mar, 08:00" in pages[name], name
    assert "Sun 1 Mar 2026, 20:30" in pages["encounters"]
    assert "Sunday 1 March 2026, 20:30" in pages["encounter"]
    # Nothing on a page shows the same moments on a UTC clock.
    for name, page in pages.items():
        assert "23:00" not in page and "11:30" not in page, name
    # The form to change the time shows it as Kai's clock did, as it takes it back.
    assert 'value="2026-03-01T20:30"' in edit.content.decode()
    # The API gives moments, each with its offset (UTC's "Z"): the same whatever zone reads it.
    asked = next(item for item in api if item["offset_hours"] == 3)
    assert (asked["sent_at"], asked["encounter_at"]) == (
        "2026-03-01T23:00:00Z",
        "2026-03-01T11:30:00Z",
    )
    assert dt.datetime.fromisoformat(asked["sent_at"]) == tokyo(2, 8)

    # The same moments, on the clock of the zone they switch to.
    kai.time_zone = "Europe/Berlin"
    kai.save()
    assert "Mon 2 Mar, 00:00" in client.get(reverse("notify:inbox")).content.decode()


def test_quiet_hours_they_chose_count_in_their_zone_too(client):
    kai = make_person(
        "Kai", time_zone="Asia/Tokyo", quiet_hours_start=dt.time(21), quiet_hours_end=dt.time(9)
    )
    client.force_login(kai)
    with time_machine.travel(tokyo(1, 19), tick=False):
        client.post(
            reverse("checkins:encounter_new"), {"occurred_at": "2026-03-01T18:30", "kind": "solo"}
        )
    assert FollowUp.objects.get(person=kai, offset_hours=3).due_at == tokyo(2, 9)
    dispatcher = Dispatcher(poll=0, worker="tokyo-test")
    assert sent_at(tokyo(2, 8, 59), dispatcher) == 0
    assert sent_at(tokyo(2, 9), dispatcher) == 1

"""Once a follow-up is answered, its "a check-in is waiting" notice asks nothing any more: it
is read, and opening it says it was answered, not that it passed."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from checkins import services as checkins
from followups import services as followups
from followups.models import FollowUp, FollowUpState
from notify.models import Notification
from softlanding.testing import DB, NO_QUIET, make_encounter, make_person

pytestmark = DB


def _waiting(person, encounter) -> Notification:
    followup = FollowUp.objects.filter(person=person, encounter=encounter).first()
    assert followup is not None
    now = timezone.now()
    FollowUp.objects.filter(pk=followup.pk).update(
        state=FollowUpState.SENT, sent_at=now, due_at=now - dt.timedelta(minutes=1)
    )
    return Notification.objects.create(
        person=person, kind=Notification.Kind.FOLLOWUP, followup=followup
    )


def test_a_check_in_made_on_its_own_reads_the_notice_and_says_thank_you(client):
    carol = make_person("Carol", password=None, **NO_QUIET)
    show = make_encounter(carol, kind="on_camera", hours_ago=20)
    notice = _waiting(carol, show)
    checkins.add_checkin(carol, show, pleasantness=3)
    notice.refresh_from_db()
    assert notice.read_at is not None
    client.force_login(carol)
    page = client.get(reverse("notify:open", args=[notice.code]), follow=True)
    text = page.content.decode()
    assert "answered this one already" in text and "already passed" not in text


def test_answering_the_follow_up_itself_reads_its_notice(client):
    carol = make_person("Carol", password=None, **NO_QUIET)
    show = make_encounter(carol, kind="on_camera", hours_ago=20)
    notice = _waiting(carol, show)
    followups.answer(notice.followup, pleasantness=5)
    notice.refresh_from_db()
    assert notice.read_at is not None
    client.force_login(carol)
    page = client.get(reverse("checkins:followup", args=[notice.followup.code]), follow=True)
    assert "answered this one already" in page.content.decode()

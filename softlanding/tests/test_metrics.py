"""/metrics: absent without METRICS_TOKEN, refused without the right token, and only aggregate
numbers whose labels are our own closed vocabularies (never a person)."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from followups.models import FollowUp
from notify import services as channels
from notify.models import Delivery
from privacy.backup_tools import STAMP
from softlanding.testing import DB, make_checkin, make_person

pytestmark = DB

TOKEN = "s3cret-metrics-token-0123456789"
ALLOWED_LABELS = {"kind", "status"}


@pytest.fixture
def token(settings, tmp_path):
    settings.METRICS_TOKEN = TOKEN
    settings.BACKUP_DIR = tmp_path / "backups"


def scrape(client, auth: str | None = f"Bearer {TOKEN}"):
    headers = {"HTTP_AUTHORIZATION": auth} if auth is not None else {}
    return client.get("/metrics", **headers)


def test_without_a_token_configured_there_is_no_endpoint(client, settings):
    settings.METRICS_TOKEN = ""
    assert scrape(client).status_code == 404


@pytest.mark.usefixtures("token")
@pytest.mark.parametrize(
    ("auth", "status"),
    [
        (None, 401),
        ("Basic dXNlcjpwYXNz", 401),
        ("Bearer ", 401),
        ("Bearer wrong", 403),
        (f"Bearer {TOKEN}x", 403),
        (f"Bearer {TOKEN[:-1]}", 403),
    ],
)
def test_it_refuses_without_the_right_token(client, auth, status):
    response = scrape(client, auth)
    assert response.status_code == status
    assert b"softlanding_" not in response.content


@pytest.mark.usefixtures("token")
def test_it_counts_without_any_per_person_label(client, alice, bob):
    for person in (alice, bob):
        channels.add_channel(person, kind="email", target=f"{person.pk}@example.org")
    make_checkin(alice)
    FollowUp.objects.update(due_at=timezone.now() - dt.timedelta(hours=1))
    Delivery.objects.all().delete()
    notification = channels.notify(alice, "followup", followup=FollowUp.objects.first())
    Delivery.objects.filter(notification=notification).update(status="failed")

    response = scrape(client)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    text = response.content.decode()
    samples = dict(line.rsplit(" ", 1) for line in text.splitlines() if not line.startswith("#"))
    assert samples["softlanding_people"] == "2"
    assert int(samples["softlanding_followups_due"]) >= 1
    assert samples["softlanding_followups_late"] == samples["softlanding_followups_due"]
    assert samples['softlanding_deliveries{kind="email",status="failed"}'] == "1"
    assert samples['softlanding_deliveries{kind="push",status="sent"}'] == "0"
    assert samples["softlanding_task_queue_depth"].isdigit()
    assert "softlanding_backup_age_seconds" not in samples  # no backup yet

    labels = set(re.findall(r"[{,](\w+)=", text))
    assert labels <= ALLOWED_LABELS
    for person in (alice, bob):
        for what in (str(person.code), person.email, str(person.display_name)):
            assert what not in text
    assert not re.search(r'="\d+"', text)  # no id as a label value


@pytest.mark.usefixtures("token")
def test_it_tells_the_last_backup_s_age(client, settings):
    make_person("Someone")
    two_hours_ago = (timezone.now() - dt.timedelta(hours=2)).astimezone(dt.UTC)
    for kind in ("data", "keys"):
        folder = settings.BACKUP_DIR / kind
        folder.mkdir(parents=True)
        (folder / f"{two_hours_ago.strftime(STAMP)}.sqlite3").write_bytes(b"")
    text = scrape(client).content.decode()
    age = re.search(r'^softlanding_backup_age_seconds\{kind="data"\} (\d+)$', text, re.M)
    assert age and 7200 <= int(age[1]) < 7300

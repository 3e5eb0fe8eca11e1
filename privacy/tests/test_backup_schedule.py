"""Backups written by the housekeeping process when BACKUP_SCHEDULE says so, on a moving
clock, with the retentions already there; /healthz tells the last one's age."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from privacy.backup_schedule import backup_if_due, backup_state
from softlanding.testing import TRANSACTIONAL_DB, make_person

pytestmark = TRANSACTIONAL_DB


@pytest.fixture
def backup_dir(settings, tmp_path):
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.BACKUP_KEEP_DAYS = 3
    settings.KEY_BACKUP_KEEP_DAYS = 2
    return settings.BACKUP_DIR


def files(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_off_by_default_writes_nothing(backup_dir, settings):
    assert settings.BACKUP_SCHEDULE == "off"
    make_person("Alice")
    call_command("housekeeping", "--once")
    assert not backup_dir.exists()
    assert backup_state() == ("off", None)


def test_daily_backups_come_once_a_day_and_keep_the_retentions(backup_dir, settings):
    settings.BACKUP_SCHEDULE = "daily"
    make_person("Alice")
    start = timezone.now().replace(hour=3, minute=0, second=0, microsecond=0)
    with time_machine.travel(start, tick=False) as clock:
        call_command("housekeeping", "--once")
        assert len(files(backup_dir / "data")) == len(files(backup_dir / "keys")) == 1
        # The hourly passes of the same day find the backup fresh.
        for _hour in range(23):
            clock.shift(dt.timedelta(hours=1))
            assert backup_if_due() == 0
        assert backup_state() == ("ok", 23 * 3600)
        # A day after the first, the next one; and so on for a week.
        for _day in range(6):
            clock.shift(dt.timedelta(hours=1))
            assert backup_if_due() == 2
            clock.shift(dt.timedelta(hours=23))
    # Kept 3 days of data backups (and the one on the edge), 2 of the key store.
    assert len(files(backup_dir / "data")) == 4
    assert len(files(backup_dir / "keys")) == 3


def test_a_backup_made_by_hand_counts_and_a_stale_one_is_late(backup_dir, settings):
    settings.BACKUP_SCHEDULE = "daily"
    make_person("Alice")
    assert backup_state()[0] == "never"
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        call_command("backup")
        assert backup_if_due() == 0
        clock.shift(dt.timedelta(days=2, minutes=1))
        assert backup_state() == ("late", 2 * 86400 + 60)


def test_healthz_tells_the_last_backup_s_age(backup_dir, settings, client):
    make_person("Alice")
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        body = client.get("/healthz").json()
        assert (body["backup"], body["backup_seconds_ago"]) == ("off", None)
        call_command("backup")
        clock.shift(dt.timedelta(hours=5))
        body = client.get("/healthz").json()
        assert (body["backup"], body["backup_seconds_ago"]) == ("off", 5 * 3600)
        settings.BACKUP_SCHEDULE = "hourly"
        response = client.get("/healthz")
        assert response.status_code == 200  # pages still work: degraded, not down
        assert (response.json()["backup"], response.json()["status"]) == ("late", "degraded")

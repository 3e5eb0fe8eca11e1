import datetime as dt

import time_machine
from django.db import OperationalError, connections
from django.utils import timezone

from followups.dispatcher import Dispatcher
from softlanding.testing import DB

pytestmark = DB


def test_it_is_ok_when_both_databases_answer_and_a_dispatcher_beats(client, settings, tmp_path):
    settings.BACKUP_DIR = tmp_path
    with time_machine.travel(timezone.now(), tick=False):  # a slow machine is not a late beat
        Dispatcher(worker="w1").run_once()
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "key_store": "ok",
        "dispatcher": "ok",
        "dispatcher_seen_seconds_ago": 0,
        "backup": "off",
        "backup_seconds_ago": None,
    }


def test_a_silent_dispatcher_degrades_but_pages_still_work(client):
    response = client.get("/healthz")
    assert (response.status_code, response.json()["dispatcher"]) == (200, "never_seen")
    assert response.json()["status"] == "degraded"
    with time_machine.travel(timezone.now() - dt.timedelta(minutes=5)):
        Dispatcher(worker="w1").run_once()
    body = client.get("/healthz").json()
    assert (body["status"], body["dispatcher"]) == ("degraded", "late")
    assert body["dispatcher_seen_seconds_ago"] >= 299


def test_it_is_unavailable_when_the_key_store_is_down(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("gone")

    monkeypatch.setattr(connections["keys"], "cursor", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["key_store"] == "unavailable"

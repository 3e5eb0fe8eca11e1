from django.db import OperationalError, connections

from softlanding.testing import DB

pytestmark = DB


def test_it_is_ok_when_both_databases_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "key_store": "ok"}


def test_it_is_unavailable_when_the_key_store_is_down(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("gone")

    monkeypatch.setattr(connections["keys"], "cursor", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["key_store"] == "unavailable"

"""A client generated from the OpenAPI document, with openapi-python-client's default settings,
works against the app: the document is generated without a warning (no enum names that collide),
and both good answers and error answers parse into their models."""

import datetime as dt
import importlib
import os
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest

from accounts.services import create_token
from softlanding.testing import DB, make_person, requests_in_the_test_transaction
from softlanding.wsgi import application

BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def generated(tmp_path_factory, django_db_blocker):
    """Generate the client once for the module, offline, from the document the app serves."""
    folder = tmp_path_factory.mktemp("client")
    with django_db_blocker.unblock():
        document = httpx.Client(
            transport=httpx.WSGITransport(app=application), base_url="http://testserver"
        ).get("/api/v1/openapi.json")
    assert document.status_code == 200
    (folder / "openapi.json").write_bytes(document.content)
    # The generator formats its output with ruff, found on the PATH of this environment.
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    run = subprocess.run(
        [BIN / "openapi-python-client", "generate", "--path", "openapi.json", "--meta", "none"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    assert "Warning" not in output and "Error" not in output, output
    (package,) = [path for path in folder.iterdir() if (path / "client.py").exists()]
    sys.path.insert(0, str(folder))
    try:
        yield lambda name: importlib.import_module(f"{package.name}.{name}")
    finally:
        sys.path.remove(str(folder))


@pytest.fixture
def client(generated, db):
    _token, secret = create_token(make_person("Client", password=None), "generated client")
    transport = httpx.WSGITransport(app=application)
    with requests_in_the_test_transaction():
        yield generated("client").AuthenticatedClient(
            base_url="http://testserver",
            token=secret,
            raise_on_unexpected_status=True,
            httpx_args={"transport": transport},
        )


def _module(generated, tag: str, name: str):
    return generated(f"api.{tag}.{name}")


@DB
def test_a_generated_client_reads_and_changes_settings(generated, client):
    me = _module(generated, "me", "accounts_api_me").sync(client=client)
    assert isinstance(me, generated("models").PersonOut)
    assert me.display_name == "Client"

    models = generated("models")
    # The three zones whose names used to collide: GMT0, GMT+0 and GMT-0.
    for zone in ("Etc/GMT0", "Etc/GMT+0", "Etc/GMT-0"):
        patch = models.PersonPatch(time_zone=models.PersonPatchTimeZone(zone))
        changed = _module(generated, "me", "accounts_api_update_me").sync(client=client, body=patch)
        assert isinstance(changed, models.PersonOut)
        assert changed.time_zone.value == zone


@DB
def test_a_generated_client_logs_an_encounter_and_a_check_in(generated, client):
    models = generated("models")
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    body = models.EncounterIn(occurred_at=now, kind=models.EncounterInKind.PARTNERED)
    encounter = _module(generated, "encounters", "checkins_api_log_encounter").sync(
        client=client, body=body
    )
    assert isinstance(encounter, models.EncounterOut)
    assert encounter.kind.value == "partnered"

    feelings = [models.CheckInInFeelingsItem("calm")]
    checkin = _module(generated, "encounters", "checkins_api_add_checkin").sync(
        encounter.code,
        client=client,
        body=models.CheckInIn(pleasantness=6, energy=4, feelings=feelings),
    )
    assert isinstance(checkin, models.CheckInOut)
    assert [feeling.value for feeling in checkin.feelings] == ["calm"]


@DB
def test_error_answers_parse_as_details(generated, client):
    models = generated("models")
    tomorrow = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    refused = _module(generated, "encounters", "checkins_api_log_encounter").sync_detailed(
        client=client,
        body=models.EncounterIn(occurred_at=tomorrow, kind=models.EncounterInKind.SOLO),
    )
    assert refused.status_code == 400
    assert isinstance(refused.parsed, models.Detail)
    assert "occurred_at" in refused.parsed.detail

    too_long = _module(generated, "me", "accounts_api_update_me").sync_detailed(
        client=client, body=models.PersonPatch(display_name="x" * 61)
    )
    assert too_long.status_code == 422
    assert isinstance(too_long.parsed, models.Detail)
    (error,) = too_long.parsed.errors
    assert list(error.loc)[-1] == "display_name"
    assert error.msg and error.type_

    missing = _module(generated, "encounters", "checkins_api_encounter").sync_detailed(
        uuid.uuid4(), client=client
    )
    assert missing.status_code == 404
    assert missing.parsed.detail

    stranger = generated("client").Client(
        base_url="http://testserver",
        raise_on_unexpected_status=True,
        httpx_args={"transport": httpx.WSGITransport(app=application)},
    )
    with requests_in_the_test_transaction():
        unsigned = _module(generated, "me", "accounts_api_me").sync_detailed(client=stranger)
    assert unsigned.status_code == 401
    assert isinstance(unsigned.parsed, models.Detail)

"""Schemathesis over the whole OpenAPI document, in process: no 5xx, responses match."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from accounts.services import create_token
from softlanding.testing import DB, make_person
from softlanding.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def bearer(db):
    _token, secret = create_token(make_person("Fuzz"), "fuzz")
    return {"Authorization": f"Bearer {secret}"}


@DB
@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_never_fails_and_matches_its_schema(case, bearer):
    response = case.call_and_validate(headers=bearer)
    assert response.status_code < 500

"""Schemathesis over the whole OpenAPI document, in process: no 5xx, responses match.

One check is left out: "schema-valid data must be accepted". Our services have rules a
schema cannot say (a time must not be in the future); they answer 400 with a detail.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from accounts.services import create_token
from softlanding.testing import DB, make_person
from softlanding.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(autouse=True)
def _keep_the_test_transaction():
    # Schemathesis calls the WSGI app directly. Like Django's test client, keep the end of
    # each request from closing the connection that holds the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


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
    response = case.call_and_validate(headers=bearer, excluded_checks=[positive_data_acceptance])
    assert response.status_code < 500

"""Schemathesis over the whole OpenAPI document, in process: no 5xx, responses match, and
data the schema calls valid is accepted, but for the few rules listed below that a schema
cannot say."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from accounts.services import create_token
from softlanding.testing import DB, make_person, requests_in_the_test_transaction
from softlanding.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

# Operations that may refuse data the schema calls valid, each with the rule no schema can
# say. They answer 400 (or 403/404) with a detail; every other operation must accept it.
MAY_REFUSE_VALID_DATA: dict[str, str] = {
    "POST /api/v1/encounters": "The time may not be in the future; a schema knows no 'now'.",
    "POST /api/v1/invites/accept": "Only the secret of an open invite works; it is random.",
    "POST /api/v1/support-contacts": "An e-mail address or a notification URL, one of the two.",
    "POST /api/v1/channels": "A push target is the subscription a browser made, not any text.",
    "POST /api/v1/imports": "Only an export this app wrote can be read back.",
    "POST /api/v1/channels/email": "Only a sign-in address its owner confirmed.",
    "POST /api/v1/channels/messenger": "The server must be found, and on the internet.",
}
# And one rule for every operation: text may not hold a NUL character, which PostgreSQL cannot
# store. It is said once, in the document's description of a 400, not as a pattern on each of
# the many text fields; such a request gets that 400 with its detail.


def holds_nul(case) -> bool:
    # repr() spells a NUL as \x00 at any depth of a body's lists and objects.
    parts = [case.body, case.query, case.path_parameters, case.headers]
    return any("\\x00" in repr(part) for part in parts if part)


@pytest.fixture(autouse=True)
def _keep_the_test_transaction():
    with requests_in_the_test_transaction():
        yield


@pytest.fixture
def bearer(db):
    _token, secret = create_token(make_person("Fuzz"), "fuzz")
    return {"Authorization": f"Bearer {secret}"}


@DB
@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_never_fails_matches_its_schema_and_accepts_what_it_calls_valid(case, bearer):
    # The Host header belongs to the server, not to this document: a wrong one is refused
    # before the API is reached (ALLOWED_HOSTS), so it is not part of what is fuzzed here.
    for name in [name for name in case.headers or {} if name.lower() == "host"]:
        del case.headers[name]
    may_refuse = case.operation.label in MAY_REFUSE_VALID_DATA or holds_nul(case)
    excluded = [positive_data_acceptance] if may_refuse else []
    response = case.call_and_validate(headers=bearer, excluded_checks=excluded)
    assert response.status_code < 500

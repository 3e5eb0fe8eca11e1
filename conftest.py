import pytest

from softlanding.testing import make_person
from vault.services import forget_cached_keys


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives real Chromium (make test-browser)")


@pytest.fixture(autouse=True)
def _fresh_key_cache():
    # Data keys are cached per process; each test's database starts without them.
    forget_cached_keys()
    yield
    forget_cached_keys()


@pytest.fixture
def alice(db):
    return make_person("Alice")


@pytest.fixture
def bob(db):
    return make_person("Bob")


@pytest.fixture
def charlie(db):
    return make_person("Charlie")

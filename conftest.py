import pytest
from django.test.utils import override_settings

from softlanding.testing import make_person
from vault.services import forget_cached_keys


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives real Chromium (make test-browser)")


@pytest.fixture(autouse=True, scope="session")
def _static_files_without_manifest():
    # The hashed manifest exists only after collectstatic; tests render from the sources.
    plain = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=plain, WHITENOISE_USE_FINDERS=True):
        yield


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

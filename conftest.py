import pytest
from aiosmtpd.controller import Controller
from django.test.utils import override_settings

from softlanding.far_ends import Inbox, PushService, free_port, start_sink
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


@pytest.fixture
def smtp_inbox():
    """A real SMTP server on the loopback address, and the settings that send to it."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    mailers = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 5},
        }
    }
    with override_settings(MAILERS=mailers, ACCOUNT_EMAIL_VERIFICATION="mandatory"):
        yield inbox
    controller.stop()


@pytest.fixture
def sink():
    """An Apprise json:// URL to a local HTTP sink; what it got is in far_ends.Sink.received."""
    server = start_sink()
    yield f"json://127.0.0.1:{server.server_port}/hook"
    server.shutdown()


@pytest.fixture
def push_service():
    service = PushService()
    yield service
    service.close()

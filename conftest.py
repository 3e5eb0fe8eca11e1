import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.test.utils import override_settings
from django.utils import translation

from softlanding.far_ends import Inbox, PushService, free_port, running_sink
from softlanding.testing import make_person
from vault.services import forget_cached_keys

# Argon2 is slow on purpose; the tests sign people up and in by the hundred. The tests about
# hashing itself are marked and get the project's own hashers back.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives real Chromium (make test-browser)")
    config.addinivalue_line(
        "markers", "real_password_hasher: hashes passwords with the project's argon2 settings"
    )


@pytest.fixture(autouse=True, scope="session")
def _project_password_hashers():
    """Every test hashes with the fast hasher; the project's own are kept for the marked ones."""
    project = list(settings.PASSWORD_HASHERS)
    with override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS):
        yield project


@pytest.fixture(autouse=True)
def _real_password_hasher(request, _project_password_hashers):
    if request.node.get_closest_marker("real_password_hasher") is None:
        yield
        return
    with override_settings(PASSWORD_HASHERS=_project_password_hashers):
        yield


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
def _source_language():
    # A request through the test client leaves its person's language active in this thread, as
    # a server thread keeps it until its next request's LocaleMiddleware sets one: each test
    # starts in the source language, whatever ran before it.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


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
    """A real SMTP server on this machine; Django sends to it, and sign-up needs verifying."""
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
    """A notification service on this machine: its json:// address; `Sink.received` holds
    what was posted to it."""
    with running_sink() as url:
        yield url


@pytest.fixture
def push_service():
    service = PushService()
    yield service
    service.close()

"""Soft Landing settings, read from the environment.

Defaults make a fresh clone run (`make run` creates the data folder and its secrets). A server
started without a secret key or key-encryption key refuses to start instead of inventing one.
Every variable read here is listed in the README's settings table (a test keeps them in step).
"""

from email.utils import parseaddr
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from lib.env import (
    database_from_url,
    env_bool,
    env_int,
    env_list,
    env_secret,
    env_str,
    sibling_database_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = BASE_DIR / env_str("SOFTLANDING_DATA_DIR", "data")  # relative to the checkout

DEBUG = env_bool("DEBUG", False)
HTTPS = env_bool("SOFTLANDING_HTTPS", False)
INSTANCE_NAME = env_str("INSTANCE_NAME", "Soft Landing")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
QUICK_EXIT_URL = env_str("QUICK_EXIT_URL", "https://www.bbc.com/weather")

SECRET_KEY = env_secret("SECRET_KEY", default_file=DATA_DIR / "secret_key")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Set SECRET_KEY or SECRET_KEY_FILE, or run `make run` once "
        "to create a local data folder."
    )

SOFTLANDING_KEK_FILE = BASE_DIR / env_str("SOFTLANDING_KEK_FILE", str(DATA_DIR / "kek"))
if not SOFTLANDING_KEK_FILE.exists():
    raise ImproperlyConfigured(
        f"The key-encryption key file {SOFTLANDING_KEK_FILE} does not exist. Set "
        "SOFTLANDING_KEK_FILE, or run `make run` once to create a local data folder."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "vault",
    "consent",
    "accounts",
    "notify",
    "care",
    "partners",
    "checkins",
    "alerts",
    "followups",
    "insights",
    "privacy",
    "softlanding.apps.SoftLandingConfig",
]

MIDDLEWARE = [
    "softlanding.middleware.IsolationHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "softlanding.middleware.ApiErrorsAsJsonMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    # Staff accounts set up a passkey or an authenticator app before anything else.
    "accounts.middleware.StaffTwoStepMiddleware",
    "accounts.middleware.PersonPreferencesMiddleware",
    "consent.middleware.ConsentOnceMiddleware",
    "softlanding.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "softlanding.nul.RefuseNulMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "softlanding.middleware.RefusalsAsPagesMiddleware",
]

ROOT_URLCONF = "softlanding.urls"
CSRF_FAILURE_VIEW = "softlanding.errors.csrf_failure"
WSGI_APPLICATION = "softlanding.wsgi.application"
ASGI_APPLICATION = "softlanding.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "softlanding.context_processors.instance",
                "softlanding.context_processors.header_counts",
            ],
            # `when`: dates and times in the reader's language (lib/dates.py).
            "builtins": ["lib.dates"],
        },
    },
]

# Databases. The data keys live in their own database ("keys") so that the key store can be
# backed up with a shorter retention than the data, and a deleted person's key really goes.
# Each URL may come from a file (DATABASE_URL_FILE, …): it holds the database's password.
DATABASE_URL = env_secret("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'softlanding.sqlite3'}"
_default_keys_url = (
    f"sqlite:///{DATA_DIR / 'keys.sqlite3'}"
    if DATABASE_URL.startswith("sqlite")
    else sibling_database_url(DATABASE_URL, "_keys")
)
KEYS_DATABASE_URL = env_secret("KEYS_DATABASE_URL") or _default_keys_url
DATABASES = {
    "default": database_from_url(DATABASE_URL),
    "keys": database_from_url(KEYS_DATABASE_URL),
}
DATABASE_ROUTERS = ["vault.routers.KeyStoreRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache shared by every process: login rate limits must hold across workers.
REDIS_URL = env_secret("REDIS_URL")  # or REDIS_URL_FILE: it may hold a password
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "lib.redis_cache.FastRedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "softlanding_cache",
        }
    }

# With Redis, sessions and the signed-in person are read from it instead of the database on
# every request (accounts/backends.py); signing out, ending a session, erasure, a password
# change or deactivation still count from the next request on.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)
SIGNED_IN_PERSON_FROM_CACHE = bool(REDIS_URL)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_USER_MODEL = "accounts.Person"
AUTHENTICATION_BACKENDS = [
    "accounts.backends.CachedModelBackend",
    "accounts.backends.CachedAuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# E-mail: printed to the console unless an SMTP server is configured. With real e-mail,
# nobody gets in before they have proved the address is theirs.
_smtp_host = env_str("EMAIL_HOST")
if _smtp_host:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _smtp_host,
                "port": env_int("EMAIL_PORT", 587),
                "username": env_str("EMAIL_HOST_USER") or None,
                "password": env_secret("EMAIL_HOST_PASSWORD") or None,
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": 10,
            },
        }
    }
else:
    # Printed readably: decoded, the text part alone, each link on a line of its own.
    MAILERS = {"default": {"BACKEND": "notify.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Soft Landing <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_FORMS = {"signup": "accounts.forms.SignUpForm"}
ACCOUNT_EMAIL_VERIFICATION = "mandatory" if _smtp_host else "optional"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# A short notice whenever how someone signs in changes (password, address, two-step sign-in),
# so that a stranger's change does not go unseen (ASVS 5.0, level 2).
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/ip,5/5m/key",
    "login": "30/m/ip",
    "signup": "10/h/ip",
    "reset_password": "5/h/ip,3/h/key",
    "confirm_email": "3/10m/key",
}
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = INSTANCE_NAME
MFA_PASSKEY_LOGIN_ENABLED = True

# Who may make an account: anyone ("open"), only someone holding a partner's invite or an
# operator's sign-up link from `manage.py invite` ("invite"), or nobody new ("closed").
# Enforced by accounts.adapters.AccountAdapter.is_open_for_signup, every sign-up path's gate.
SIGNUP = env_str("SIGNUP", "open").strip().lower()
if SIGNUP not in {"open", "invite", "closed"}:
    raise ImproperlyConfigured(f"SIGNUP must be open, invite or closed, not {SIGNUP!r}")
# Sessions are listed and revocable; we do not record every page view (less data kept,
# and no write on every request).
USERSESSIONS_TRACK_ACTIVITY = False

# Internationalisation. Every user-facing string is translatable.
LANGUAGE_CODE = "en"
# Adding a language: one line here and one folder, locale/<code>/, filled by `make messages`.
# Each name is written in its own language, so a person can find theirs whatever is shown.
LANGUAGES = [
    ("en", "English"),
    ("de", "Deutsch"),
    ("es", "Español"),
    ("fr", "Français"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "softlanding.staticfiles.StaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Nothing is loaded from another origin; no inline script or style.
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.NONE],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "worker-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
# Flash messages travel in a cookie named and flagged like the session's (__Host-, Secure).
MESSAGE_STORAGE = "lib.messages.HostCookieFallbackStorage"
if HTTPS:
    # Behind a TLS-terminating proxy. __Host- cookies are bound to this exact origin.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LANGUAGE_COOKIE_SECURE = True

SILENCED_SYSTEM_CHECKS: list[str] = []
if HTTPS and not SECURE_HSTS_PRELOAD:
    # Preloading is a one-way decision an operator makes for the whole domain.
    SILENCED_SYSTEM_CHECKS.append("security.W021")

# Logs carry no personal content: request paths hold only opaque codes, and our own log
# lines name ids, never text. Errors are mailed to ADMINS only when configured.
ADMINS = [("Operator", a) for a in env_list("ADMINS")]
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {
        "redact": {"()": "lib.privacy_logging.RedactSecrets"},
        "no_template_context": {"()": "lib.privacy_logging.NoTemplateContext"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["redact"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.security.DisallowedHost": {"level": "ERROR"},
        "django.request": {"handlers": ["console", "mail_admins"], "propagate": False},
        "django.template": {"filters": ["no_template_context"]},
        # At DEBUG these spell out whole notification URLs (tokens, topics, paths).
        "apprise": {"level": "WARNING"},
        "urllib3": {"level": "WARNING"},
    },
}
DEFAULT_EXCEPTION_REPORTER = "lib.privacy_logging.NoPersonalDataReporter"
DEFAULT_EXCEPTION_REPORTER_FILTER = "lib.privacy_logging.NoPersonalDataFilter"

NINJA_PAGINATION_PER_PAGE = 50

# Let people send notifications to private or local addresses (a self-hoster's own ntfy on
# the home network). Off by default: it opens the server's network to anyone with an account.
NOTIFY_ALLOW_PRIVATE_HOSTS = env_bool("NOTIFY_ALLOW_PRIVATE_HOSTS", False)

# Web Push: the server's VAPID key pair (created at first run, mode 0600) and the contact the
# push services see in every message's signed claims (a mailto: or https: address).
VAPID_PRIVATE_KEY_FILE = BASE_DIR / env_str(
    "VAPID_PRIVATE_KEY_FILE", str(DATA_DIR / "vapid_private.pem")
)
VAPID_CONTACT = env_str("VAPID_CONTACT", "mailto:" + parseaddr(DEFAULT_FROM_EMAIL)[1])

# A JSON file of crisis lines that overrides or extends care/crisis_lines.json per country.
CRISIS_LINES_FILE = env_str("CRISIS_LINES_FILE")

# Backups (`manage.py backup`): the data and the key store are written separately, each with its
# own retention. A deleted person's words stay unreadable in every data backup once the key-store
# backups older than the deletion are gone, so keep KEY_BACKUP_KEEP_DAYS short.
BACKUP_DIR = BASE_DIR / env_str("BACKUP_DIR", str(DATA_DIR / "backups"))  # relative to the checkout
BACKUP_KEEP_DAYS = env_int("BACKUP_KEEP_DAYS", 30)
KEY_BACKUP_KEEP_DAYS = env_int("KEY_BACKUP_KEEP_DAYS", 7)
if BACKUP_KEEP_DAYS < 1 or KEY_BACKUP_KEEP_DAYS < 1:
    raise ImproperlyConfigured("BACKUP_KEEP_DAYS and KEY_BACKUP_KEEP_DAYS must be at least 1")

# Operators' tools. Backups written by the housekeeping process: "off" (cron or a timer runs
# `manage.py backup`), "hourly" or "daily"; each keeps the retentions above.
BACKUP_SCHEDULE = env_str("BACKUP_SCHEDULE", "off").strip().lower()
if BACKUP_SCHEDULE not in {"off", "hourly", "daily"}:
    raise ImproperlyConfigured(
        f"BACKUP_SCHEDULE must be off, hourly or daily, not {BACKUP_SCHEDULE!r}"
    )
# A bearer token that opens /metrics (Prometheus' text format, aggregate counts only). Without
# it the endpoint does not exist.
METRICS_TOKEN = env_secret("METRICS_TOKEN")

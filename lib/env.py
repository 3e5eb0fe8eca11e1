"""Small helpers that read settings from the environment and fail loudly.

A value that is present but malformed raises at start-up instead of being silently
replaced by a default: a typo in a deployment should stop the server, not weaken it.
"""

import os
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit, urlunsplit

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name) or default


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_secret(name: str, default_file: Path | None = None) -> str:
    """A secret from NAME, or from the file that NAME_FILE (or default_file) points at."""
    value = env_str(name)
    if value:
        return value
    path_value = os.environ.get(f"{name}_FILE")
    path = Path(path_value) if path_value else default_file
    if path is None or not path.exists():
        if path_value:
            raise ImproperlyConfigured(f"{name}_FILE points at {path_value}, which does not exist")
        return ""
    return path.read_text().strip()


def database_from_url(url: str, *, sqlite_timeout: int = 20) -> dict:
    """Django DATABASES entry for sqlite:///path or postgres://user:pass@host:port/name.

    A PostgreSQL URL's query (``?sslmode=verify-full&sslrootcert=/run/ca.pem``) is handed to
    libpq as connection options: a deployment that needs TLS to its database must get it, not
    a connection that silently drops the option.
    """
    parts = urlsplit(url)
    options = dict(parse_qsl(parts.query, keep_blank_values=True))
    if parts.scheme == "sqlite":
        if options:
            # Nothing of a SQLite URL's query would be used: say so rather than ignore it.
            raise ImproperlyConfigured(
                f"A sqlite:// database URL takes no options, not {sorted(options)}"
            )
        # sqlite:///relative/path or sqlite:////absolute/path, as everywhere else.
        name = unquote(parts.netloc + parts.path[1:])
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": name,
            "OPTIONS": {
                # Writers queue for the lock up front instead of failing mid-transaction.
                "transaction_mode": "IMMEDIATE",
                "timeout": sqlite_timeout,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            # Opening a connection costs more than most requests; keep it for a minute.
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    if parts.scheme in {"postgres", "postgresql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            # A socket folder is written URL-encoded: postgres://user@%2Frun%2Fpostgresql/name
            "HOST": unquote(parts.hostname or ""),
            "PORT": str(parts.port or ""),
            "OPTIONS": options,
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    raise ImproperlyConfigured(f"Unsupported database URL scheme {parts.scheme!r}")


def sibling_database_url(url: str, suffix: str) -> str:
    """The URL of a database named like `url`'s plus `suffix`, with the same server and
    options: postgres://h/soft?sslmode=require -> postgres://h/soft_keys?sslmode=require."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + suffix))

"""The databases the bench measures, each made fresh: SQLite, PostgreSQL when it is reachable,
and the Redis cache in front of them when there is one; then the signed-in person they hold
(seeded by bench/prepare.py)."""

import json
import os
import secrets
import shutil
import sqlite3
import string
import urllib.parse
from dataclasses import dataclass

import psycopg
import redis
from config import BENCH_DIR, HOST, PY, ROOT, run
from psycopg import sql

POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/softlanding_bench"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
# As scripts/run starts it by default (WEB_THREADS), by database: granian's own default of up to
# 256 threads per worker runs PostgreSQL out of connections under this very bench, and on
# SQLite more threads only queue more writers for its one write lock (docs/performance.md).
THREADS = {"SQLite": 2, "PostgreSQL": 8}


@dataclass(frozen=True)
class Target:
    name: str
    env: dict[str, str]
    version: str

    @property
    def threads(self) -> int:
        return THREADS[self.name]


@dataclass(frozen=True)
class Seed:
    session: str
    csrf: str
    encounters: list[str]
    insights_session: str


def fresh_redis() -> str | None:
    """The bench's Redis database, emptied, or None when there is no Redis to use."""
    try:
        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
        client.flushdb()  # a fresh database reuses ids that a stale cached person would hold
    except redis.RedisError as exc:
        print(f"Redis at {REDIS_URL} is unreachable: measuring without it ({exc})")
        return None
    return REDIS_URL


def base_env(data_dir: str, **settings: str) -> dict[str, str]:
    """Only what the bench sets, so that a developer's own settings cannot skew the figures."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
    env = {name: os.environ[name] for name in keep if name in os.environ}
    env |= {
        "SOFTLANDING_DATA_DIR": data_dir,
        "STATIC_ROOT": str(BENCH_DIR / "staticfiles"),
        "ALLOWED_HOSTS": HOST,
        "LOG_LEVEL": "WARNING",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    return env | settings


def with_redis(settings: dict[str, str], redis_url: str | None) -> dict[str, str]:
    return settings | {"REDIS_URL": redis_url} if redis_url else settings


def sqlite_target(redis_url: str | None = None) -> Target:
    env = base_env(".bench/sqlite", **with_redis({}, redis_url))
    return Target("SQLite", env, f"SQLite {sqlite3.sqlite_version}")


def fresh_postgres(name: str) -> tuple[str, str] | None:
    """NAME and NAME_keys made anew on the bench server: (the URL of NAME, a version label),
    or None when the server cannot be reached."""
    url = urllib.parse.urlsplit(POSTGRES_URL)
    maintenance = url._replace(path="/postgres").geturl()
    try:
        with psycopg.connect(maintenance, autocommit=True, connect_timeout=5) as conn:
            for db in (name, f"{name}_keys"):
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(db))
                )
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db)))
            version = conn.execute("SHOW server_version").fetchone()
    except psycopg.OperationalError as exc:
        print(f"PostgreSQL at {url.hostname}:{url.port} is unreachable, skipping it: {exc}")
        return None
    label = f"PostgreSQL {version[0].split()[0] if version else '?'}"
    return url._replace(path=f"/{name}").geturl(), label


def postgres_target(redis_url: str | None = None) -> Target | None:
    made = fresh_postgres(urllib.parse.urlsplit(POSTGRES_URL).path.lstrip("/"))
    if made is None:
        return None
    url, label = made
    env = base_env(".bench/postgres", **with_redis({"DATABASE_URL": url}, redis_url))
    return Target("PostgreSQL", env, label)


def prepare(target: Target) -> Seed:
    shutil.rmtree(ROOT / target.env["SOFTLANDING_DATA_DIR"], ignore_errors=True)
    if "REDIS_URL" in target.env:
        fresh_redis()
    prepared = json.loads(run([PY, "bench/prepare.py"], target.env))
    # Any 32 letters and digits make a valid unmasked CSRF secret, like Django's own.
    csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
    return Seed(prepared["session"], csrf, prepared["encounters"], prepared["insights_session"])

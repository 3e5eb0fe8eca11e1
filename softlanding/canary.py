"""Read the raw bytes a database holds, to prove that a canary string is not among them."""

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from django.db import connections


def raw_database_bytes(alias: str = "default") -> bytes:
    """The whole database as stored: a page-for-page copy of SQLite, or a pg_dump."""
    connection = connections[alias]
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / "copy.sqlite3"
            with sqlite3.connect(target) as copy:
                connection.connection.backup(copy)
            return target.read_bytes()
    if connection.vendor == "postgresql":
        params = connection.settings_dict
        pg_dump = shutil.which("pg_dump")
        if pg_dump is None:
            raise RuntimeError("pg_dump is needed to read a PostgreSQL database's raw contents")
        env = {**os.environ, "PGPASSWORD": params.get("PASSWORD") or ""}
        command = [
            pg_dump,
            "--no-owner",
            "--data-only",
            "-h",
            params["HOST"] or "localhost",
            "-p",
            str(params["PORT"] or 5432),
            "-U",
            params["USER"] or "postgres",
            params["NAME"],
        ]
        return subprocess.run(command, env=env, check=True, capture_output=True).stdout  # noqa: S603
    raise RuntimeError(f"unsupported database {connection.vendor}")

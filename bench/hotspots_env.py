"""The environment of the bench's SQLite run, set before bench/hotspots.py starts Django
(unless bench/run.py already set one)."""

import os

# bench/ is on the path: Python puts a script's own folder first.
from config import BENCH_DIR
from targets import base_env

# bench/run.py passes each database's own environment (`--split`); run by hand, the SQLite one.
if "SOFTLANDING_DATA_DIR" not in os.environ:
    if not (BENCH_DIR / "sqlite" / "softlanding.sqlite3").exists():
        raise SystemExit("Run `make bench` first: it prepares the data this profiles.")
    os.environ.update(base_env(".bench/sqlite"))

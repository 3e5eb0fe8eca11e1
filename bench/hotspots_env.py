"""The environment of the bench's SQLite run, set before bench/hotspots.py starts Django."""

import os

# bench/ is on the path: Python puts a script's own folder first.
from run import BENCH_DIR, base_env

if not (BENCH_DIR / "sqlite" / "softlanding.sqlite3").exists():
    raise SystemExit("Run `make bench` first: it prepares the data this profiles.")
os.environ.update(base_env(".bench/sqlite"))

"""Django, set up on import, for the bench's helpers that run inside it.

Imported first by bench/prepare.py and bench/dispatcher_seed.py (with `# isort: split` after
it), so that their own imports of models find the apps ready. The project's folder is put on
the path first, which is why bootstrap is loaded by name. Settings refuse to load without the
secret key and the key file; bootstrap's notes go to stderr, as stdout carries JSON answers."""

import contextlib
import os
import sys
from importlib import import_module

import django

# bench/ is on the path: Python puts a script's own folder first.
from config import ROOT

sys.path.insert(0, str(ROOT))
with contextlib.redirect_stdout(sys.stderr):
    import_module("softlanding.bootstrap").main(
        ROOT / os.environ.get("SOFTLANDING_DATA_DIR", "data")
    )
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "softlanding.settings")
django.setup()

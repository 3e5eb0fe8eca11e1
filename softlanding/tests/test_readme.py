"""The README's settings table lists exactly what settings.py reads from the environment."""

import re
from pathlib import Path

from django.conf import settings

from softlanding.testing import variables_read_by_settings

# Read by the Makefile and scripts/run rather than by settings.py.
RUNTIME_ONLY = {"HOST", "PORT", "WEB_WORKERS", "WEB_THREADS", "TEST_DATABASE_URL"}


def variables_in_readme() -> set[str]:
    text = Path(settings.BASE_DIR, "README.md").read_text()
    table = text.split("<!-- settings-table -->")[1]
    return set(re.findall(r"^\| `([A-Z0-9_]+)` \|", table, flags=re.M))


def test_readme_lists_every_setting():
    read = variables_read_by_settings()
    assert len(read) > 15
    assert read - variables_in_readme() == set()


def test_readme_lists_nothing_that_is_not_read():
    assert variables_in_readme() - variables_read_by_settings() - RUNTIME_ONLY == set()

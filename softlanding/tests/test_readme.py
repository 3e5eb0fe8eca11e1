"""The README's settings table lists exactly what settings.py reads from the environment."""

import ast
import re
from pathlib import Path

from django.conf import settings

HELPERS = {"env_str", "env_bool", "env_int", "env_list", "env_secret"}
# Read by the Makefile and scripts/run rather than by settings.py.
RUNTIME_ONLY = {"HOST", "PORT", "WEB_WORKERS", "WEB_THREADS", "TEST_DATABASE_URL"}


def variables_read_by_settings() -> set[str]:
    tree = ast.parse(Path(settings.BASE_DIR, "softlanding", "settings.py").read_text())
    names = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in HELPERS
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            names.add(node.args[0].value)
            if node.func.id == "env_secret":
                names.add(node.args[0].value + "_FILE")
    return names


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

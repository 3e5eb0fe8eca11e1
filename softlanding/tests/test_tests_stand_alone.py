"""Test modules share builders and fixtures through softlanding.testing and conftest.py only:
a test module that imports another would run that module's tests' setup (and fixtures) twice
and ties two files together that should move freely."""

import ast
import os
from pathlib import Path

from django.conf import settings

SKIPPED = {"node_modules", "migrations", "staticfiles", "test-results"}  # and hidden folders


def checked_files() -> list[Path]:
    found = []
    for folder, subfolders, files in os.walk(settings.BASE_DIR):
        subfolders[:] = [n for n in subfolders if n not in SKIPPED and not n.startswith(".")]
        found += [
            Path(folder) / name
            for name in files
            if name.endswith(".py") and (name.startswith("test_") or name == "conftest.py")
        ]
    return found


def imported_modules(path: Path) -> set[str]:
    found = set()
    # Imports sit at the top of a module (ruff's import-outside-toplevel is on).
    for node in ast.parse(path.read_text(), filename=str(path)).body:
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names if node.module is None}
    return found


def is_a_test_module(name: str) -> bool:
    return any(part.startswith("test_") or part == "conftest" for part in name.split("."))


def test_no_test_module_imports_another():
    offenders = {
        str(path.relative_to(settings.BASE_DIR)): sorted(
            name for name in imported_modules(path) if is_a_test_module(name)
        )
        for path in checked_files()
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_the_check_sees_an_import_of_a_test_module(tmp_path):
    sample = tmp_path / "test_sample.py"
    sample.write_text(
        "from partners.tests.test_services import connect\n"
        "from .test_followups import sign_in\n"
        "from tests.browser.conftest import PHONE\n"
        "from softlanding.testing import make_person\n"
    )
    assert sorted(filter(is_a_test_module, imported_modules(sample))) == [
        ".test_followups",
        "partners.tests.test_services",
        "tests.browser.conftest",
    ]

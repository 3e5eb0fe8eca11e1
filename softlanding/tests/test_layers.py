"""Every module keeps to the layers of `softlanding/layers.py`: production code imports only
its own app and lower layers; tests may import any app, but only at the top of the module."""

import ast
from pathlib import Path

import pytest

from softlanding.layers import LAYERS, layer_of

ROOT = Path(__file__).resolve().parents[2]
SKIP = {".venv", ".tools", ".git", "node_modules", ".test-data"}


def _modules() -> list[Path]:
    return sorted(
        path for path in ROOT.rglob("*.py") if not SKIP.intersection(path.relative_to(ROOT).parts)
    )


def _is_test(relative: Path) -> bool:
    return (
        "tests" in relative.parts or relative.name == "conftest.py" or relative.parts[0] == "tests"
    )


def _imported(tree: ast.Module):
    """(line, module name, at top level) for each import, `import_module("…")` included."""
    top = {id(node) for node in tree.body}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, id(node) in top
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module, id(node) in top
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name | ast.Attribute)
            and getattr(node.func, "id", getattr(node.func, "attr", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            # Loading a module by name is an import too (app configs load their receivers so).
            yield node.lineno, node.args[0].value, True


def violations(relative: Path, source: str) -> list[str]:
    """What in this module goes against the layers, as readable lines."""
    app = relative.parts[0] if len(relative.parts) > 1 else ""
    own = layer_of(app)
    test = _is_test(relative)
    found = []
    for line, module, at_top in _imported(ast.parse(source)):
        target = module.split(".")[0]
        theirs = layer_of(target)
        if theirs is None or target == app:
            if test and not at_top and theirs is not None:
                found.append(f"{relative}:{line} imports {module} inside a function")
            continue
        if test:
            if not at_top:
                found.append(f"{relative}:{line} imports {module} inside a function")
        elif own is None or theirs >= own:
            found.append(f"{relative}:{line} {app or relative} imports {module} (a higher layer)")
    return found


def test_every_app_is_in_one_layer():
    named = [app for apps in LAYERS for app in apps]
    assert len(named) == len(set(named))
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")}
    assert packages - {"tests"} <= set(named), "an app without a layer"


def test_no_module_imports_against_the_layers():
    found = []
    for path in _modules():
        relative = path.relative_to(ROOT)
        found += violations(relative, path.read_text())
    assert found == []


@pytest.mark.parametrize(
    ("path", "source"),
    [
        ("care/services.py", "from partners.models import Connection\n"),
        ("notify/inbox.py", "def f():\n    from checkins.models import Encounter\n"),
        ("consent/services.py", "import accounts.models\n"),
        ("partners/apps.py", "from importlib import import_module\nimport_module('alerts.x')\n"),
        ("vault/fields.py", "from vault import crypto\nfrom consent import services\n"),
        ("care/tests/test_x.py", "def test():\n    from privacy import export\n"),
    ],
)
def test_an_import_against_the_order_is_found(path, source):
    assert violations(Path(path), source)


@pytest.mark.parametrize(
    ("path", "source"),
    [
        ("partners/services.py", "from care.models import CareItem\nfrom partners import x\n"),
        ("care/tests/test_x.py", "from privacy import export\n"),
        ("softlanding/urls.py", "import alerts.urls\n"),
        ("lib/env.py", "def f():\n    import os\n"),
    ],
)
def test_imports_along_the_order_pass(path, source):
    assert violations(Path(path), source) == []

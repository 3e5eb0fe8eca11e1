"""Words we never use: no promise that a low "passes", no partner assumed to exist."""

from pathlib import Path

import pytest

from softlanding.layers import LAYERS
from softlanding.testing import NEVER_SAID

ROOT = Path(__file__).resolve().parents[2]
# Every app of ours, as the layers list them (the bench speaks to no one).
APPS = [app for layer in LAYERS for app in layer if app != "bench"]
NEVER = NEVER_SAID


def shipped_text_files():
    for folder in [*APPS, "templates"]:
        for path in (ROOT / folder).rglob("*"):
            # Tests and their helpers (softlanding/testing*.py) name the words to look for.
            shipped = "tests" not in path.parts and not path.name.startswith("testing")
            if path.suffix in {".html", ".txt", ".py"} and shipped:
                yield path


@pytest.mark.parametrize("phrase", NEVER)
def test_no_template_or_string_says(phrase):
    found = [
        str(path.relative_to(ROOT))
        for path in shipped_text_files()
        if phrase in path.read_text().lower()
    ]
    assert found == []

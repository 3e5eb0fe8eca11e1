"""Words we never use: no promise that a low "passes", no partner assumed to exist."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ["accounts", "care", "checkins", "lib", "notify", "partners", "privacy", "softlanding"]
NEVER = ["it passes", "it will pass", "your partner"]


def shipped_text_files():
    for folder in [*APPS, "templates"]:
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in {".html", ".txt", ".py"} and "tests" not in path.parts:
                yield path


@pytest.mark.parametrize("phrase", NEVER)
def test_no_template_or_string_says(phrase):
    found = [
        str(path.relative_to(ROOT))
        for path in shipped_text_files()
        if phrase in path.read_text().lower()
    ]
    assert found == []

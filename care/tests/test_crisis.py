import json

import pytest

from care import crisis


@pytest.fixture(autouse=True)
def fresh():
    crisis._load.cache_clear()
    yield
    crisis._load.cache_clear()


def test_every_shipped_line_names_its_source_and_when_it_was_checked():
    data = crisis.all_lines()
    assert data["international"]["url"].startswith("https://")
    assert len(data["countries"]) >= 5
    for code, entry in data["countries"].items():
        assert len(code) == 2 and code.isupper()
        assert entry["emergency"]
        assert entry["source"].startswith("https://")
        assert len(entry["last_verified"]) == 10
        assert entry["lines"]
        for line in entry["lines"]:
            assert line["name"]
            assert line.get("phone") or line.get("text")


def test_the_operator_can_override_and_extend(tmp_path, settings):
    override = tmp_path / "lines.json"
    override.write_text(
        json.dumps(
            {
                "countries": {
                    "GB": {
                        "emergency": "999",
                        "lines": [{"name": "Local line", "phone": "0100"}],
                        "source": "https://example.org",
                        "last_verified": "2026-11-01",
                    },
                    "PT": {
                        "emergency": "112",
                        "lines": [{"name": "Linha", "phone": "0200"}],
                        "source": "https://example.pt",
                        "last_verified": "2026-11-01",
                    },
                }
            }
        )
    )
    settings.CRISIS_LINES_FILE = str(override)
    assert crisis.lines_for("GB")["entry"]["lines"][0]["name"] == "Local line"
    assert crisis.lines_for("PT")["entry"]["emergency"] == "112"
    assert crisis.lines_for("US")["entry"]["emergency"] == "911"


def test_a_country_without_lines_falls_back_to_the_directory():
    result = crisis.lines_for("AQ")
    assert result["entry"] is None
    assert result["international"]["name"]

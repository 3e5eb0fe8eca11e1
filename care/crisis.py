"""Crisis lines for a country: our curated file, overridden or extended by the operator's.

Every entry carries its source and the date it was last checked, because a wrong number is
worse than none. Countries without an entry get the international directory.
"""

import functools
import json
from pathlib import Path

from django.conf import settings
from django.utils.translation.trans_real import parse_accept_lang_header

BUILT_IN = Path(__file__).with_name("crisis_lines.json")

# The catalogue's context for a line's hours ("24/7"), collected by `make messages`.
HOURS_CONTEXT = "crisis line hours"


@functools.cache
def _load(override: str) -> dict:
    data = json.loads(BUILT_IN.read_text())
    if override:
        extra = json.loads(Path(override).read_text())
        data["countries"].update(extra.get("countries", {}))
        if "international" in extra:
            data["international"] = extra["international"]
    return data


def all_lines() -> dict:
    return _load(settings.CRISIS_LINES_FILE)


def lines_for(country: str) -> dict:
    """{"country": code or "", "entry": {...} or None, "international": {...}}."""
    data = all_lines()
    entry = data["countries"].get(country or "")
    return {
        "country": country if entry else "",
        "entry": entry,
        "international": data["international"],
    }


def browser_region(request) -> str:
    """The region a browser names in its languages ("en-GB" → "GB"), for a person who has not
    said where they live: a crisis line of their own country on the first screen beats the
    international directory. Read from the request, never kept."""
    for language, _quality in parse_accept_lang_header(
        request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    ):
        parts = language.split("-")
        if len(parts) >= 2 and len(parts[-1]) == 2 and parts[-1].isalpha():
            return parts[-1].upper()
    return ""

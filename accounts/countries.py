"""Countries and territories (ISO 3166-1 alpha-2), from the IANA time zone database.

Used to choose crisis lines; the data (accounts/countries.json, beside this loader) was
generated once from tzdata's iso3166.tab and zone1970.tab. Names are shown translated, with
the same `gettext_lazy` as any label.
"""

import json
from pathlib import Path

from django.utils.translation import gettext_lazy as _

_DATA = json.loads((Path(__file__).with_name("countries.json")).read_text(encoding="utf-8"))

COUNTRIES = [(code, _(name)) for code, name in _DATA["countries"].items()]

# The country a time zone most likely means, to suggest one at sign-up.
COUNTRY_OF_ZONE: dict[str, str] = _DATA["country_of_zone"]

"""Countries and territories (ISO 3166-1 alpha-2), from the IANA time zone database.

Used to choose crisis lines; the data (accounts/countries.json, beside this loader) was
generated once from tzdata's iso3166.tab and zone1970.tab. Names are shown translated, with
`pgettext_lazy` in the context "country".
"""

import json
from pathlib import Path

from django.utils.translation import pgettext_lazy

_DATA = json.loads((Path(__file__).with_name("countries.json")).read_text(encoding="utf-8"))

# The catalogue's context for country names (collected by `make messages` from the JSON).
COUNTRY_CONTEXT = "country"

# Code → name as in the data (English, the catalogue's source).
SOURCE_NAMES: dict[str, str] = _DATA["countries"]

COUNTRIES = [(code, pgettext_lazy(COUNTRY_CONTEXT, name)) for code, name in SOURCE_NAMES.items()]

# The country a time zone most likely means, to suggest one at sign-up.
COUNTRY_OF_ZONE: dict[str, str] = _DATA["country_of_zone"]

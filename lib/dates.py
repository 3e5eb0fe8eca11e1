"""Dates and times in the reader's language: the `when` template filter.

A hand-written pattern such as "D j M, H:i" is right only in English: German writes
"Fr., 4. Dez., 17:30", French "ven. 4 déc., 17:30". So each style's pattern (Django's date
format characters) is a message of the catalogue, and a language brings its own order and
punctuation with its folder. The filter is a template builtin (settings.TEMPLATES), like `date`.
"""

import datetime as dt

from django import template
from django.utils import formats
from django.utils.translation import pgettext_lazy

register = template.Library()

# Translators: each value is a pattern of Django's date format characters
# (https://docs.djangoproject.com/en/stable/ref/templates/builtins/#date): D short weekday,
# l weekday, j day, M short month, F month, Y year, H:i hours and minutes. Reorder them and
# add the punctuation your language uses; letters to print as they are need a backslash.
STYLES = {
    "day_time": pgettext_lazy("date format: short weekday, day, short month, time", "D j M, H:i"),
    "day": pgettext_lazy("date format: short weekday, day, short month", "D j M"),
    "day_year_time": pgettext_lazy(
        "date format: short weekday, day, short month, year, time", "D j M Y, H:i"
    ),
    "long_day_time": pgettext_lazy("date format: weekday, day, month, time", "l j F, H:i"),
    "long_day_year_time": pgettext_lazy(
        "date format: weekday, day, month, year, time", "l j F Y, H:i"
    ),
    "date_time": pgettext_lazy("date format: day, month, year, time", "j F Y, H:i"),
    "date": pgettext_lazy("date format: day, month, year", "j F Y"),
    "day_month": pgettext_lazy("date format: day, short month", "j M"),
    "month_year": pgettext_lazy("date format: short month, year", "M Y"),
    "time": pgettext_lazy("date format: time of day", "H:i"),
}


def when(value: dt.date | dt.datetime | None, style: str) -> str:
    """`value` written in the active language's pattern for `style` (a key of STYLES)."""
    if value is None or value == "":
        return ""
    return formats.date_format(value, str(STYLES[style]))


# Like `date`, the filter sees datetimes already in the person's time zone.
register.filter("when", when, expects_localtime=True)

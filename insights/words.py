"""The plain words insights are said in, shared by the page and the API: what each number
rests on, and what it can and cannot say. What came together is never called a cause."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from checkins.models import Kind
from insights.figures import ENOUGH, CareTendency
from insights.together import Together


def kind_label(kind: str) -> str:
    return str(dict(Kind.choices).get(kind, kind))


def hours_label(hours: int) -> str:
    if hours == 0:
        return _("Right after")
    return _("+%(hours)d h") % {"hours": hours}


def times(count: int) -> str:
    return ngettext("%(count)d time", "%(count)d times", count) % {"count": count}


def tendency_words(tendency: CareTendency) -> str:
    """One warm sentence on what the numbers can say, and no more."""
    if tendency.with_times < ENOUGH:
        return _("%(times)s — too few to tell yet.") % {"times": times(tendency.with_times)}
    if tendency.without_times < ENOUGH:
        return _("Almost always part of it (%(times)s without) — too few to compare.") % {
            "times": times(tendency.without_times)
        }
    return {
        "better": _("The days after tended to go better when this was part of it."),
        "lower": _("The days after tended to feel lower when this was part of it."),
        "same": _("The days after went about the same with it and without it."),
    }[tendency.tendency]


def together_for_viewer(together: Together, viewer) -> list[dict]:
    """The two people of a connection's insights, in the same order for both; each named as
    the viewer knows them."""
    return [
        {
            "name": _("You")
            if person.person_id == viewer.pk
            else together.connection.name_for(viewer),
            "person": person,
        }
        for person in together.people
    ]

"""The next-time list of a connection. Nobody learns what the other picked unless both did."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from consent.services import require_consent
from partners.ideas import IDEA_KEYS, IDEAS
from partners.models import Connection, Wish
from partners.services import is_sharing


def set_picks(connection: Connection, person, ideas) -> None:
    """The person's private picks from the idea catalogue, replacing their earlier ones."""
    require_consent(person)
    ideas = set(ideas)
    if ideas - IDEA_KEYS:
        raise ValidationError(_("Please choose from the ideas shown."))
    mine = Wish.objects.filter(connection=connection, person=person).exclude(idea="")
    mine.exclude(idea__in=ideas).delete()
    have = set(mine.values_list("idea", flat=True))
    Wish.objects.bulk_create(
        [Wish(connection=connection, person=person, idea=idea) for idea in ideas - have]
    )


def add_wish(connection: Connection, person, *, text: str, shared: bool) -> Wish:
    require_consent(person)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Please write a few words.")})
    if len(text) > 1000:
        raise ValidationError({"text": _("Please keep it under 1000 characters.")})
    return Wish.objects.create(connection=connection, person=person, text=text, shared=shared)


def remove_wish(wish: Wish) -> None:
    wish.delete()


def next_time(connection: Connection, viewer) -> dict:
    """What the viewer may see: matches, their own picks and words, the other's shared words."""
    wishes = list(Wish.objects.filter(connection=connection))
    mine = [w for w in wishes if w.person_id == viewer.pk]
    theirs = [w for w in wishes if w.person_id != viewer.pk] if is_sharing(connection) else []
    my_ideas = {w.idea for w in mine if w.idea}
    their_ideas = {w.idea for w in theirs if w.idea}
    labels = dict(IDEAS)
    return {
        "matches": [labels[key] for key, _l in IDEAS if key in my_ideas & their_ideas],
        "my_ideas": sorted(my_ideas),
        "my_words": [w for w in mine if not w.idea],
        "their_words": [w for w in theirs if not w.idea and w.shared],
    }

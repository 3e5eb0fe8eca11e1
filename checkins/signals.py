"""What checkins tells the apps above it (follow-ups, alerts), which it may not import.

Every signal is sent inside the transaction of the change, so what a receiver writes is kept
or lost together with it. Receivers are connected in their app's ``ready``."""

from django.dispatch import Signal

# A new encounter (`encounter`, `person` its author): its author's follow-ups are planned.
encounter_logged = Signal()
# The encounter's time changed (`encounter`, `in_sight`: ids of the people who still see it).
encounter_moved = Signal()
# The encounter's kind or time changed (`encounter`, `in_sight`, `known`: the fields as they
# are now known): what the people in sight keep about it is brought up to date.
encounter_changed = Signal()
# The encounter is about to be deleted (`encounter`): what is its author's goes with it.
encounter_deleting = Signal()
# A check-in was stored (`checkin`, `person`, `encounter`, `is_author`, `answers_followups`).
checkin_saved = Signal()
# A page or an API answer of checkins gathers the parts that higher apps show on it: sent with
# a page name as `sender` (and `person` plus what the page is about); each receiver answers a
# dict of names for the page's context.
page_parts = Signal()


def gather(page: str, person, **about) -> dict:
    """The parts the higher apps add to one page, merged."""
    parts: dict = {}
    for _receiver, answer in page_parts.send(sender=page, person=person, **about):
        if isinstance(answer, dict):
            parts.update(answer)
    return parts

"""Ideas for next time, from gentle to adventurous. A pick stays private until both pick it.

Keys are stable: wishes refer to them.
"""

from django.utils.translation import gettext_lazy as _

IDEAS = [
    ("slow_morning", _("A slow morning in bed, no plans")),
    ("bath_together", _("A bath or shower together")),
    ("massage_swap", _("Taking turns giving a massage")),
    ("longer_cuddle", _("A longer cuddle afterwards")),
    ("talk_before", _("Talking about what we'd like before we start")),
    ("check_in_during", _("Checking in with each other during, not just after")),
    ("new_place", _("Somewhere new: another room, a hotel, outdoors in private")),
    ("lights_music", _("Candles, soft light or a playlist")),
    ("eyes_closed", _("Blindfold or eyes closed")),
    ("take_the_lead", _("One of us takes the lead, then we swap")),
    ("toys", _("Bringing in a toy")),
    ("dress_up", _("Dressing up or a bit of role play")),
    ("words", _("More words: saying what feels good")),
    ("teasing", _("Teasing and taking our time")),
    ("restraint", _("Soft restraints, with a safeword")),
    ("sensation", _("Playing with sensation: ice, feathers, warmth")),
    ("impact", _("Light impact play, agreed in advance")),
    ("power", _("A power-exchange scene we plan together")),
    ("photos", _("Private photos just for us, agreed in advance")),
    ("date_first", _("A date first, then see where it goes")),
    ("aftercare_plan", _("Planning our aftercare before we start")),
    ("rest_day", _("A gentle day together afterwards")),
]
IDEA_KEYS = {key for key, _label in IDEAS}

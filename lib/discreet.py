"""Discreet mode's words: one vocabulary swap for everything a glance could catch.

While discreet words are on, every translated string (templates, forms, model labels, messages,
e-mail subjects and push titles) is looked up here first and, when it reveals what the app is
for, replaced by a neutral sentence that still makes sense to the person — which is then
translated as usual. So the swap happens once, in front of the translation catalogue, and any
language gets it by translating the neutral sentences too.

The neutral vocabulary (docs/architecture.md, "Discreet mode"):

    encounter → entry        partner → person / someone     aftercare → care
    drop → low moment        sex or play → (left out)       intimate → private
    on camera → after work   "Check-in", "Inbox", "Profile" and "Settings" stay as they are.

The person's own words (notes, nicknames) are theirs and are never changed.
"""

import contextlib
from collections.abc import Iterator

from django.conf import settings
from django.utils.translation import gettext, ngettext_lazy, trans_real
from django.utils.translation import gettext_noop as _

# The name tabs, the header and notifications wear instead of the instance's own.
NEUTRAL_NAME = _("Notes")


def instance_name(discreet: bool) -> str:
    """The name to sign with: the neutral one for a person in discreet mode."""
    return gettext(NEUTRAL_NAME) if discreet else settings.INSTANCE_NAME


NEUTRAL: dict[str, str] = {
    # The menu, headings, buttons and the footer.
    "Encounters": _("Entries"),
    "Encounter": _("Entry"),
    "Partners": _("People"),
    "Log an encounter": _("Add an entry"),
    "All encounters": _("All entries"),
    "Edit encounter": _("Edit entry"),
    "Delete encounter": _("Delete entry"),
    "Delete this encounter?": _("Delete this entry?"),
    "Back to the encounter": _("Back to the entry"),
    "Back to partners": _("Back to people"),
    "About aftercare": _("Guide"),
    "What is aftercare?": _("What is this for?"),
    "Aftercare card": _("Care card"),
    "My aftercare": _("My care"),
    "%(name)s's aftercare": _("%(name)s's care"),
    "Your aftercare profile": _("Your care profile"),
    "My aftercare profile": _("My care profile"),
    "Share my aftercare profile": _("Share my care profile"),
    "Set up your aftercare profile first": _("Set up your care profile first"),
    "A partner": _("Someone"),
    "Share with the people on this encounter": _("Share with the people on this entry"),
    "About drop": _("About low moments"),
    "When I drop, you might notice": _("When I feel low, you might notice"),
    "New to aftercare? A short read.": _("New here? A short read."),
    # Kinds of entry.
    "With a partner": _("With someone"),
    "On camera": _("After work"),
    "Please choose what kind of encounter it was.": _("Please choose what kind of entry it was."),
    # Settings and forms.
    "After an encounter, ask how I am": _("After an entry, ask how I am"),
    "follow-ups after an encounter": _("follow-ups after an entry"),
    "tell the partners I chose automatically": _("tell the people I chose automatically"),
    "delete encounters and check-ins older than": _("delete entries and check-ins older than"),
    "Your drop plan: what to do, who to call, what to remember.": _(
        "Your plan for low moments: what to do, who to call, what to remember."
    ),
    "Shown to partners you share your profile with.": _(
        "Shown to the people you share your profile with."
    ),
    "How can you (or others) tell you're dropping?": _(
        "How can you (or others) tell you're feeling low?"
    ),
    "What helps when you drop?": _("What helps when you feel low?"),
    "Swap what you wore on camera for something that's just yours.": _(
        "Swap what you wore at work for something that's just yours."
    ),
    # Pages.
    "What you like to receive, what you are glad to give, and what helps when you drop. "
    'Answer as much or as little as you like; anything you leave is "not sure". '
    "Each answer saves as you tap.": _(
        "What you like to receive, what you are glad to give, and what helps when you feel "
        'low. Answer as much or as little as you like; anything you leave is "not sure". '
        "Each answer saves as you tap."
    ),
    "Encrypted with your own key. Only you see this, unless you share your profile with a "
    "partner.": _(
        "Encrypted with your own key. Only you see this, unless you share your profile with "
        "someone."
    ),
    "Begin with your aftercare profile: a few taps on what you like afterwards, what you're "
    "glad to give, and what helps if you drop. It takes a couple of minutes and you can change "
    "it any time.": _(
        "Begin with your care profile: a few taps on what you like, what you're glad to give, "
        "and what helps if you feel low. It takes a couple of minutes and you can change it "
        "any time."
    ),
    "When you log an encounter, it shows up here — only for you.": _(
        "When you add an entry, it shows up here — only for you."
    ),
    "The encounter of %(when)s, its note and your check-ins on it will be deleted for good. "
    "Anyone else's own check-ins and follow-ups stay theirs.": _(
        "The entry of %(when)s, its note and your check-ins on it will be deleted for good. "
        "Anyone else's own check-ins and follow-ups stay theirs."
    ),
    "Nothing logged yet. After sex or play — together, casual, on camera or solo — log it here "
    "and check in with yourself.": _("Nothing here yet. Add an entry and check in with yourself."),
    "About your encounter of %(when)s.": _("About your entry of %(when)s."),
    "After an encounter we ask again, a few hours and a day or two later — the drop often comes "
    "when nobody is looking. Answer when you like; one that goes unanswered is simply let go, "
    "with no reminder.": _(
        "After an entry we ask again, a few hours and a day or two later — a low moment often "
        "comes when nobody is looking. Answer when you like; one that goes unanswered is simply "
        "let go, with no reminder."
    ),
    "You haven't written a drop plan yet, and that's all right. When you feel up to it, a few "
    "words now can help you next time.": _(
        "You haven't written a plan for low moments yet, and that's all right. When you feel up "
        "to it, a few words now can help you next time."
    ),
    "Write your drop plan": _("Write your plan for low moments"),
    "Added to the care noted on this encounter.": _("Added to the care noted on this entry."),
    "Turning the camera off isn't aftercare yet. Tick each one as you do it — there's no right "
    "number.": _(
        "A little time for yourself. Tick each one as you do it — there's no right number."
    ),
    "You haven't chosen anyone to tell. You can, on a connection's page or by adding a support "
    "contact.": _(
        "You haven't chosen anyone to tell. You can, on a person's page or by adding a support "
        "contact."
    ),
    "Connect with the people you play with to get on the same page. Each of you chooses what "
    "to share, and either of you can pause or end it at any moment.": _(
        "Connect with people you are close to, to get on the same page. Each of you chooses "
        "what to share, and either of you can pause or end it at any moment."
    ),
    "A casual partner without an account? Send a guest check-in.": _(
        "Someone without an account? Send a guest check-in."
    ),
    "For a casual partner without an account: a one-time link to a short, warm check-in. It "
    "works for 72 hours or until they answer. Only you see the answer, and it is deleted after "
    "30 days.": _(
        "For someone without an account: a one-time link to a short, warm check-in. It works "
        "for 72 hours or until they answer. Only you see the answer, and it is deleted after "
        "30 days."
    ),
    "That encounter is no longer shared with you.": _("That entry is no longer shared with you."),
    "You can only nudge someone you share this encounter with.": _(
        "You can only nudge someone you share this entry with."
    ),
    # Follow-up history.
    "Planned after your encounter": _("Planned after your entry"),
    "Asked now, because the encounter was logged later": _(
        "Asked now, because the entry was added later"
    ),
    "Moved, because the encounter's time changed": _("Moved, because the entry's time changed"),
    "Not needed: the encounter was deleted": _("Not needed: the entry was deleted"),
    "Not needed: the encounter is no longer shared with you": _(
        "Not needed: the entry is no longer shared with you"
    ),
    # Next-time ideas: the person picked them, so a hint is enough for them to recognise one.
    "Dressing up or a bit of role play": _("Dressing up"),
    "Light impact play, agreed in advance": _("Something stronger, agreed in advance"),
    "A power-exchange scene we plan together": _("Something bolder we plan together"),
    "Planning our aftercare before we start": _("Planning our care before we start"),
    # Privacy, consent and data.
    "Please give your consent first: we store nothing intimate without it.": _(
        "Please give your consent first: we store nothing private without it."
    ),
    "Not sure yet? You can look around first; we won't store anything intimate until you agree.": _(
        "Not sure yet? You can look around first; we won't store anything private until you agree."
    ),
    "Keep what you tell us about your intimate life (encounters, how you felt, your aftercare "
    "wishes) so that you can look after yourself, encrypted with a key of your own.": _(
        "Keep what you tell us (entries, how you felt, your care wishes) so that you can look "
        "after yourself, encrypted with a key of your own."
    ),
    "Show parts of it to a partner or a support contact only when you choose to share them, "
    "one item at a time.": _(
        "Show parts of it to someone you connect with or a support contact only when you "
        "choose to share them, one item at a time."
    ),
    "Soft Landing helps you look after yourself and the people you are close to after sex or "
    "play. To do that it has to keep things that are very private. We only do that with your "
    "clear permission, for these purposes and nothing else:": _(
        "This app helps you look after yourself and the people you are close to. To do that it "
        "has to keep things that are very private. We only do that with your clear permission, "
        "for these purposes and nothing else:"
    ),
    "Everything you write in your own words — notes, answers, your drop plan and boundaries, "
    "nicknames, names of support contacts, notification addresses and URLs, your own care "
    "items, guests' messages, and your downloads — is encrypted with a key of your own, which "
    "is itself locked by a key the server keeps in a separate file. Numbers and choices (how "
    "you felt on a scale, which feeling words, times, what kind of encounter) are stored as "
    "they are, so the app can work with them, but only ever shown to you and to whom you "
    "chose.": _(
        "Everything you write in your own words — notes, answers, your plan for low moments "
        "and boundaries, nicknames, names of support contacts, notification addresses and "
        "URLs, your own care items, guests' messages, and your downloads — is encrypted with a "
        "key of your own, which is itself locked by a key the server keeps in a separate file. "
        "Numbers and choices (how you felt on a scale, which feeling words, times, what kind of "
        "entry) are stored as they are, so the app can work with them, but only ever shown to "
        "you and to whom you chose."
    ),
    "A partner sees only what you share with them, one item at a time: your profile if you "
    "share it, the check-in answers you tick, a next-time wish if you share it. Your shared "
    "plan shows what you both would like and are glad to give; nobody ever sees the other's "
    "“no”. Ending a connection hides everything at once, including what was shared before; "
    "pausing does too, until you resume.": _(
        "Someone you connect with sees only what you share with them, one item at a time: your "
        "profile if you share it, the check-in answers you tick, a next-time wish if you share "
        "it. Your shared plan shows what you both would like and are glad to give; nobody ever "
        "sees the other's “no”. Ending a connection hides everything at once, including what "
        "was shared before; pausing does too, until you resume."
    ),
    "Your check-ins on encounters someone else logged": _(
        "Your check-ins on entries someone else added"
    ),
    "What you said is yours. It stays here, with your follow-ups, even when the "
    "encounter is no longer shared with you.": _(
        "What you said is yours. It stays here, with your follow-ups, even when the entry "
        "is no longer shared with you."
    ),
    "None yet. When someone names you on an encounter and you check in, it shows up "
    "here — only for you.": _(
        "None yet. When someone names you on an entry and you check in, it shows up here "
        "— only for you."
    ),
    "For each care act: how your follow-ups went (pleasantness from 1 to 7) after "
    "encounters with it and without it. Nothing is said until it rests on at least "
    "five times each way.": _(
        "For each care act: how your follow-ups went (pleasantness from 1 to 7) after "
        "entries with it and without it. Nothing is said until it rests on at least five "
        "times each way."
    ),
    "Once some follow-ups are answered after encounters where care was noted, you'll "
    "see here how they went.": _(
        "Once some follow-ups are answered after entries where care was noted, you'll see "
        "here how they went."
    ),
    "You haven't logged one of your own yet. Your check-ins on encounters someone "
    "else logged are below.": _(
        "You haven't added one of your own yet. Your check-ins on entries someone else "
        "added are below."
    ),
    # A plural's two forms: the catalogue holds them as one entry, marked below.
    "%(n)s encounter": "%(n)s entry",
    "%(n)s encounters": "%(n)s entries",
    "Everything goes, for good: your encounters, check-ins, profile and connections. Download "
    "your data first if you'd like to keep it.": _(
        "Everything goes, for good: your entries, check-ins, profile and connections. Download "
        "your data first if you'd like to keep it."
    ),
    "One file with everything about you: settings, consents, profile, encounters, check-ins, "
    "follow-ups, your side of each connection, and what partners shared with you. As JSON (to "
    "move to another server) or as spreadsheets (CSV). A download link works for a day.": _(
        "One file with everything about you: settings, consents, profile, entries, check-ins, "
        "follow-ups, your side of each connection, and what others shared with you. As JSON "
        "(to move to another server) or as spreadsheets (CSV). A download link works for a day."
    ),
    "Bring your profile, encounters, check-ins and follow-ups with you. Your connections stay "
    "behind: once you're settled in, <a href=\"%(connections_url)s\">invite the people you're "
    "connected with</a> again.": _(
        "Bring your profile, entries, check-ins and follow-ups with you. Your connections stay "
        'behind: once you\'re settled in, <a href="%(connections_url)s">invite the people '
        "you're connected with</a> again."
    ),
    "Your aftercare profile, your own care items, your encounters (when, what kind, which care "
    "happened, a private note), your check-ins, and your follow-ups with their history.": _(
        "Your care profile, your own care items, your entries (when, what kind, which care "
        "happened, a private note), your check-ins, and your follow-ups with their history."
    ),
    "Your connections, what you call each partner, what you chose to share, your next-time "
    "wishes, guest links and guests' answers, support contacts.": _(
        "Your connections, what you call each person, what you chose to share, your next-time "
        "wishes, guest links and guests' answers, support contacts."
    ),
    "You can also choose, in your settings, to have encounters and check-ins deleted "
    "automatically after some months.": _(
        "You can also choose, in your settings, to have entries and check-ins deleted "
        "automatically after some months."
    ),
    "On “Your data” you can download everything (JSON or spreadsheets), import it on another "
    "server, or delete your account. Single encounters and check-ins can be deleted at any "
    "time, at once and completely. Withdrawing consent stops follow-ups and sharing straight "
    "away.": _(
        "On “Your data” you can download everything (JSON or spreadsheets), import it on "
        "another server, or delete your account. Single entries and check-ins can be deleted at "
        "any time, at once and completely. Withdrawing consent stops follow-ups and sharing "
        "straight away."
    ),
}


# Marks the neutral plural for the catalogue as one entry with both forms (a plain string in
# NEUTRAL above would be read as two unrelated sentences); never shown from here.
NEUTRAL_PLURALS = (ngettext_lazy("%(n)s entry", "%(n)s entries", "n"),)


class _DiscreetTranslation:
    """Puts the neutral sentence in front of the person's own language catalogue."""

    def __init__(self, inner):
        self._inner = inner

    def gettext(self, message: str) -> str:
        return self._inner.gettext(NEUTRAL.get(message, message))

    def ngettext(self, singular: str, plural: str, number: int) -> str:
        return self._inner.ngettext(
            NEUTRAL.get(singular, singular), NEUTRAL.get(plural, plural), number
        )

    def __getattr__(self, name):
        return getattr(self._inner, name)


# Django keeps the active catalogue in this thread-local; there is no public way to put a
# wrapper in front of it. test_discreet.py fails if a Django upgrade changes that.
_ACTIVE = trans_real._active  # type: ignore[attr-defined]


def is_on() -> bool:
    return isinstance(getattr(_ACTIVE, "value", None), _DiscreetTranslation)


@contextlib.contextmanager
def speaking(language: str, *, discreet: bool) -> Iterator[None]:
    """Translate into `language`, in discreet words if asked, and afterwards put back exactly
    what was active before (a discreet page that renders a notification stays discreet)."""
    had_one = hasattr(_ACTIVE, "value")
    before = getattr(_ACTIVE, "value", None)
    inner = trans_real.translation(language)
    _ACTIVE.value = _DiscreetTranslation(inner) if discreet else inner
    try:
        yield
    finally:
        if had_one:
            _ACTIVE.value = before
        else:
            del _ACTIVE.value

"""State changes of a person's account, shared by the pages and the API."""

from importlib import import_module

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from accounts.models import AccessToken, Person, hash_token
from accounts.signals import schedule_changed

SETTINGS_FIELDS = (
    "display_name",
    "pronouns",
    "time_zone",
    "declined_time_zone",
    "country",
    "language",
    "quiet_hours_start",
    "quiet_hours_end",
    "follow_up_hours",
    "tell_automatically",
    "retention_months",
    "discreet_mode",
    "quick_exit_signs_out",
)


# Settings that shape when follow-ups are asked: changing one moves what is still scheduled.
SCHEDULE_FIELDS = {"time_zone", "quiet_hours_start", "quiet_hours_end", "follow_up_hours"}


def update_settings(person: Person, **changes) -> Person:
    unknown = set(changes) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValueError(f"not a setting: {', '.join(sorted(unknown))}")
    if "time_zone" in changes and changes["time_zone"] != person.time_zone:
        # "Keep" was said of the zone saved then; with another one saved, ask afresh.
        changes.setdefault("declined_time_zone", "")
    for name, value in changes.items():
        setattr(person, name, value)
    person.full_clean(exclude=["password", "email"])
    person.save(update_fields=list(changes))
    if set(changes) & SCHEDULE_FIELDS:
        schedule_changed.send(sender=Person, person=person)
    return person


def create_token(person: Person, name: str) -> tuple[AccessToken, str]:
    """A new token and its secret, which is shown once and never stored."""
    secret = AccessToken.generate()
    token = AccessToken.objects.create(
        person=person, name=name, token_hash=hash_token(secret), hint=secret[-4:]
    )
    return token, secret


def revoke_token(token: AccessToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def person_for_token(secret: str) -> Person | None:
    token = (
        AccessToken.objects.active()
        .select_related("person")
        .filter(token_hash=hash_token(secret))
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Touch at most once a minute: a busy script should not turn every read into a write.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.person


def end_sessions(person: Person) -> None:
    """Sign the person out everywhere, from their very next request."""
    keys = list(UserSession.objects.filter(user=person).values_list("session_key", flat=True))
    # Through the session engine, so that a cached copy (Redis) goes with the row.
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    for key in keys:
        store.delete(key)
    Session.objects.filter(session_key__in=keys).delete()


@transaction.atomic
def set_active(person: Person, active: bool) -> None:
    """An operator's pause on an account (`manage.py accounts disable|enable`). Disabled, the
    person cannot sign in, their sessions end at once and their access tokens stop working;
    nothing of theirs is deleted, and enabling gives it all back."""
    person.is_active = active
    person.save(update_fields=["is_active"])
    if not active:
        end_sessions(person)

"""Prepare the bench's data folder and databases, and sign in the person the bench acts as.

Run by bench/run.py with the bench's environment (SOFTLANDING_DATA_DIR, DATABASE_URL) against
empty databases; prints the session key and the encounter codes as JSON. Everything happens in
one process because each Django start costs seconds. The data goes through the same services
as the pages, so it is encrypted and consented exactly like a real person's.
"""

import datetime as dt
import json
from importlib import import_module

import django_ready  # noqa: F401 - sets Django up: the imports below need it

# isort: split
from config import INSIGHTS_ANSWERS, INSIGHTS_ENCOUNTERS

# isort: split
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.management import call_command
from django.db import connections
from django.utils import timezone

from accounts.models import Person
from care import services as care
from checkins import services
from softlanding.testing import make_history, make_person

ENCOUNTERS = 50


def prepare_databases() -> None:
    call_command("migrate", interactive=False, verbosity=0)
    call_command("migrate", database="keys", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    # DEBUG is off, so the server needs the manifest; this only copies what changed.
    call_command("collectstatic", interactive=False, verbosity=0)


def seed() -> list[str]:
    """A consented person with a profile and fifty encounters, each checked in on."""
    person = make_person("Bench")
    care.update_profile(
        person, drop_helps="A blanket and quiet music.", self_care="A long shower, then tea."
    )
    care.complete_profile(person)
    now = timezone.now()
    codes = []
    for n in range(ENCOUNTERS):
        encounter = services.log_encounter(
            person,
            occurred_at=now - dt.timedelta(days=2 * n, hours=n % 5),
            kind="partnered",
            note=f"Evening number {n}, slow and close.",
        )
        services.add_checkin(
            person,
            encounter,
            pleasantness=4 + n % 3,
            energy=3 + n % 4,
            feelings=["calm", "close"],
            fun="Laughing together afterwards.",
        )
        codes.append(str(encounter.code))
    return codes


def seed_insights() -> None:
    """A second person with two years of history, for the insights page: rows in bulk (the
    page reads only clear columns, so no note or answer text is needed)."""
    person = make_person("Insights")
    make_history(person, INSIGHTS_ENCOUNTERS, answers=INSIGHTS_ANSWERS)


def session_for(email: str) -> str:
    """A session key signed in as that person, as if they had used the login form."""
    person = Person.objects.get(email=email)
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(person.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = person.get_session_auth_hash()
    session.create()
    assert session.session_key
    return session.session_key


def analyze() -> None:
    """PostgreSQL's planner chooses by its statistics, which autovacuum gathers within a
    minute or so of many rows arriving; the bench measures right after seeding thousands, so
    it gathers them itself, as a running server would have them. SQLite keeps none unless
    asked (the app never asks), so it is left as it would be."""
    for alias in ("default", "keys"):
        if connections[alias].vendor == "postgresql":
            with connections[alias].cursor() as cursor:
                cursor.execute("ANALYZE")


if __name__ == "__main__":
    prepare_databases()
    codes = seed()
    seed_insights()
    analyze()
    print(
        json.dumps(
            {
                "session": session_for("bench@example.org"),
                "insights_session": session_for("insights@example.org"),
                "encounters": codes,
            }
        )
    )

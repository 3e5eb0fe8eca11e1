import datetime as dt
import functools
import hashlib
import secrets
import uuid
import zoneinfo

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.countries import COUNTRIES
from lib.moments import outside_quiet_hours
from vault.fields import OWN_ROW, EncryptedTextField


@functools.cache
def time_zone_names() -> frozenset[str]:
    # Read from the tz database once: listing it walks every file in it.
    return frozenset(zoneinfo.available_timezones())


def zone_label(name: str) -> str:
    """A zone's name as people read it: "America/New York"."""
    return name.replace("_", " ")


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, zone_label(name)) for name in sorted(time_zone_names())]


def known_time_zone(name: str | None) -> str | None:
    """The name when the tz database knows it, else None: what a browser reports is a hint."""
    return name if name in time_zone_names() else None


def validate_time_zone(value: str) -> None:
    if known_time_zone(value) is None:
        raise ValidationError(_("Please choose a time zone from the list."), code="time_zone")


# Hours after an encounter at which a follow-up asks how the person is (DESIGN.md §3).
FOLLOW_UP_CHOICES = (3, 24, 48, 72)


def _months(n: int) -> str:
    return ngettext("%(n)s month", "%(n)s months", n) % {"n": n}


# Lazy, so that each page writes "1 Monat" or "12 mois" in its own language, not the language
# active when this module was imported.
RETENTION_CHOICES = [(n, lazy(_months, str)(n)) for n in (1, 3, 6, 12, 24)]


def default_follow_up_hours() -> list[int]:
    return [3, 24, 48]


def validate_follow_up_hours(value) -> None:
    if not isinstance(value, list) or not set(value) <= set(FOLLOW_UP_CHOICES):
        raise ValidationError(
            _("Please choose from %(hours)s hours.")
            % {"hours": ", ".join(str(h) for h in FOLLOW_UP_CHOICES)}
        )


class PersonManager(BaseUserManager["Person"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra) -> "Person":
        person = self.model(email=self.normalize_email(email), **extra)
        person.set_password(password)
        person.save(using=self._db)
        return person

    def create_superuser(self, email: str, password: str | None = None, **extra) -> "Person":
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class Person(AbstractBaseUser, PermissionsMixin):
    """A user account, with the settings that shape how Soft Landing reaches them."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = EncryptedTextField(_("what should we call you?"), max_length=60, owner=OWN_ROW)
    pronouns = EncryptedTextField(_("pronouns"), max_length=40, owner=OWN_ROW)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    # A zone one of their devices was set to when they chose to keep their own: the offer to
    # switch is not made again for it (it is theirs on every device, so it is kept here).
    declined_time_zone = models.CharField(
        _("device time zone not to offer"),
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
    )
    country = models.CharField(_("country"), max_length=2, blank=True, choices=COUNTRIES)
    language = models.CharField(_("language"), max_length=16, default="en")
    quiet_hours_start = models.TimeField(_("quiet from"), default=dt.time(22, 0))
    quiet_hours_end = models.TimeField(_("quiet until"), default=dt.time(8, 0))
    follow_up_hours = models.JSONField(
        _("follow-ups after an encounter"),
        default=default_follow_up_hours,
        blank=True,
        validators=[validate_follow_up_hours],
    )
    tell_automatically = models.BooleanField(
        _("tell the partners I chose automatically"),
        default=False,
        help_text=_(
            "When a check-in shows you could use some care, tell them without asking first."
        ),
    )
    retention_months = models.PositiveSmallIntegerField(
        _("delete encounters and check-ins older than"),
        null=True,
        blank=True,
        choices=RETENTION_CHOICES,
        help_text=_("Older ones are deleted for good, once a day. Leave empty to keep them."),
    )
    discreet_mode = models.BooleanField(
        _("discreet mode"),
        default=False,
        help_text=_("Hide the app's purpose on screens other people might glance at."),
    )
    quick_exit_signs_out = models.BooleanField(
        _("quick exit signs me out"),
        default=True,
        help_text=_("So that the Back button cannot bring these pages back."),
    )
    # When the person answered "How should we reach you?" (a channel, "only here", or "not
    # now"): the step and its card on the dashboard are offered until then, and never again.
    reach_answered_at = models.DateTimeField(null=True, blank=True, editable=False)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = PersonManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []  # Django reads it as a plain class attribute

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.display_name or str(_("you"))

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            return super().save(*args, **kwargs)
        # Their own words are sealed under their own key, which is found by the row's id:
        # insert without them first, then seal them.
        typed = {name: getattr(self, name) for name in ("display_name", "pronouns")}
        for name in typed:
            setattr(self, name, "")
        super().save(*args, **kwargs)
        for name, value in typed.items():
            setattr(self, name, value)
        if changed := [name for name, value in typed.items() if value]:
            super().save(using=kwargs.get("using"), update_fields=changed)

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    @property
    def time_zone_label(self) -> str:
        return zone_label(self.time_zone)

    def outside_quiet_hours(self, when: dt.datetime) -> dt.datetime:
        """The same moment, or the end of this person's quiet hours if it falls in them."""
        return outside_quiet_hours(when, self.tz, self.quiet_hours_start, self.quiet_hours_end)


TOKEN_PREFIX = "sl_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class AccessTokenQuerySet(models.QuerySet["AccessToken"]):
    def active(self) -> "AccessTokenQuerySet":
        return self.filter(revoked_at__isnull=True, person__is_active=True)

    def for_person(self, person: Person) -> "AccessTokenQuerySet":
        return self.filter(person=person, revoked_at__isnull=True).order_by("-created_at")


class AccessToken(models.Model):
    """A personal access token for scripts and apps. Only its SHA-256 hash is stored."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="access_tokens")
    name = EncryptedTextField(_("name"), max_length=60)
    token_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = AccessTokenQuerySet.as_manager()

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def generate() -> str:
        return TOKEN_PREFIX + secrets.token_urlsafe(32)


class SubmissionKey(models.Model):
    """A one-time key sent with something a person created (a form's hidden key, an API
    client's Idempotency-Key), so that sending it twice creates it once. It holds hashes and
    the code of what was made — never what was sent."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=40)  # what was made: "encounter", "checkin", …
    key_hash = models.CharField(max_length=64)
    # Keyed by the server's secret and the client's key: tells a repeat from a different body
    # sent with the same key, and cannot be turned back into the body.
    fingerprint = models.CharField(max_length=64)
    made_code = models.UUIDField(null=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "scope", "key_hash"], name="one_submission_per_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} submission"


class SignUpLinkQuerySet(models.QuerySet["SignUpLink"]):
    def open(self) -> "SignUpLinkQuerySet":
        return self.filter(used_at__isnull=True, expires_at__gt=timezone.now())


class SignUpLink(models.Model):
    """An operator's invitation to make an account, for instances where sign-up is by invite
    only (SIGNUP=invite). It opens the sign-up form once, until it expires; only a hash of its
    secret is stored, and nothing says whom it was for."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    objects = SignUpLinkQuerySet.as_manager()

    def __str__(self) -> str:
        return f"sign-up link {self.code}"

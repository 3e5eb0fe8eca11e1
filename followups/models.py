import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from checkins.models import Kind


class FollowUpState(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    SENT = "sent", _("Waiting for you")
    ANSWERED = "answered", _("Answered")
    MISSED = "missed", _("Passed")
    CANCELLED = "cancelled", _("Not needed")


class FollowUpQuerySet(models.QuerySet["FollowUp"]):
    def for_person(self, person) -> "FollowUpQuerySet":
        return self.filter(person=person)

    def open(self) -> "FollowUpQuerySet":
        return self.filter(state__in=[FollowUpState.SCHEDULED, FollowUpState.SENT])

    def waiting(self) -> "FollowUpQuerySet":
        """Asked and not answered yet: what the installed app's badge counts."""
        return self.filter(state=FollowUpState.SENT)


class FollowUp(models.Model):
    """A check-in the schedule asks for, some hours after an encounter. The due time is a
    column and the dispatcher claims due rows with a lease (see followups.dispatcher)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followups"
    )
    # A partner's follow-ups are their own: kept, detached and still running, when the
    # encounter's author deletes it.
    encounter = models.ForeignKey(
        "checkins.Encounter",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="followups",
    )
    # The encounter as this person knew it (see CheckIn): what the series is counted from,
    # and what a follow-up says it is about, whoever may still see the encounter itself.
    encounter_kind = models.CharField(max_length=16, choices=Kind.choices, blank=True)
    encounter_at = models.DateTimeField(null=True, blank=True)
    # Hours after the encounter; 0 is the one asked at once for an encounter logged late.
    offset_hours = models.PositiveSmallIntegerField()
    due_at = models.DateTimeField()
    state = models.CharField(
        max_length=16, choices=FollowUpState.choices, default=FollowUpState.SCHEDULED
    )
    lease_owner = models.CharField(max_length=64, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_ok = models.BooleanField(null=True)
    checkin = models.ForeignKey(
        "checkins.CheckIn", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [
            # What the dispatcher scans: only rows still to send.
            models.Index(
                fields=["due_at"],
                condition=models.Q(state="scheduled"),
                name="followup_due",
            ),
            # What the missed sweep scans.
            models.Index(
                fields=["sent_at"], condition=models.Q(state="sent"), name="followup_waiting"
            ),
            models.Index(fields=["person", "-due_at"]),
            # The badge on every page: one person's waiting follow-ups, counted on the index.
            models.Index(
                fields=["person"], condition=models.Q(state="sent"), name="followup_waiting_for"
            ),
        ]

    def __str__(self) -> str:
        return f"follow-up {self.code}"

    @property
    def is_open(self) -> bool:
        return self.state in (FollowUpState.SCHEDULED, FollowUpState.SENT)


class FollowUpEvent(models.Model):
    """One change of a follow-up's state, with why: the history the person can read."""

    class Reason(models.TextChoices):
        SCHEDULED = "scheduled", _("Planned after your encounter")
        LATE_LOG = "late_log", _("Asked now, because the encounter was logged later")
        DELIVERED = "delivered", _("Sent to you")
        ANSWERED = "answered", _("You answered")
        MISSED = "missed", _("Passed without an answer — that's all right")
        SNOOZED = "snoozed", _("Snoozed")
        SKIPPED = "skipped", _("Skipped")
        RESCHEDULED = "rescheduled", _("Moved, because the encounter's time changed")
        TWO_OK = "two_ok", _("Not needed: you were OK twice in a row")
        ENCOUNTER_GONE = "encounter_gone", _("Not needed: the encounter was deleted")
        NOT_SHARED = "not_shared", _("Not needed: the encounter is no longer shared with you")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("Stopped: you withdrew your consent")
        MOVED = "moved", _("Not asked: it was long past when your data moved here")

    followup = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="events")
    state = models.CharField(max_length=16, choices=FollowUpState.choices)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    due_at = models.DateTimeField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.state} ({self.reason})"


class AnswerTokenQuerySet(models.QuerySet["AnswerToken"]):
    def unspent(self) -> "AnswerTokenQuerySet":
        return self.filter(used_at__isnull=True)


class AnswerToken(models.Model):
    """What lets a notification answer its follow-up without a sign-in: one per message sent
    (push, e-mail), good for one answer to that one follow-up, and for nothing else. Only a
    hash of it is kept; it is spent on first use and worthless once the follow-up closes
    (answered, skipped, passed or stopped), which `followups.by_token` checks on every use."""

    followup = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    objects = AnswerTokenQuerySet.as_manager()

    def __str__(self) -> str:
        return f"answer token for {self.followup_id}"

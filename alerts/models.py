import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Alert(models.Model):
    """A person's "I could use some care", told to the partners and support contacts they
    chose. Carries no score and no answer: only that it happened, and to whom."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alerts"
    )
    checkin = models.ForeignKey(
        "checkins.CheckIn", null=True, blank=True, on_delete=models.SET_NULL, related_name="alerts"
    )
    automatic = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"alert {self.code}"


class AlertRecipient(models.Model):
    """Who was told, and how it went. A partner is told in the app (and their channels);
    a support contact by e-mail or their notification URL."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Sending")
        SENT = "sent", _("Told")
        FAILED = "failed", _("Could not be reached")

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="recipients")
    connection = models.ForeignKey(
        "partners.Connection",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="alert_recipients",
    )
    partner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="alerts_received",
    )
    support_contact = models.ForeignKey(
        "partners.SupportContact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    told_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return "alert recipient"


class Nudge(models.Model):
    """ "Thinking of you — how are you feeling?", sent by one side of a connection to the
    other about an encounter they shared. It opens a check-in for the one who receives it."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="nudges_sent"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="nudges_received"
    )
    connection = models.ForeignKey(
        "partners.Connection", on_delete=models.CASCADE, related_name="nudges"
    )
    encounter = models.ForeignKey(
        "checkins.Encounter", on_delete=models.CASCADE, related_name="nudges"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"nudge {self.code}"

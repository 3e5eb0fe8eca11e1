"""Where reminders and alerts go: the in-app inbox (always), and the channels a person adds.

A notification stores what it is about (a kind and a link to the thing), never its words: the
words come from small templates when it is shown or sent (see notify.messages), so no text a
person could be recognised by sits in this table or in a task row.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vault.fields import EncryptedTextField


class Channel(models.Model):
    class Kind(models.TextChoices):
        EMAIL = "email", _("E-mail")
        PUSH = "push", _("Notifications on this device")
        APPRISE = "apprise", _("Another app (ntfy, Matrix, Signal, Telegram, …)")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channels"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # The e-mail address, the Apprise URL, or the browser's push subscription (JSON).
    target = EncryptedTextField()
    # What the person calls it ("phone", "Firefox on Linux"): their words, so encrypted.
    label = EncryptedTextField()
    # For push: a hash of the endpoint, so one device is one channel, whoever subscribed last.
    endpoint_hash = models.CharField(max_length=64, blank=True, db_index=True)
    enabled = models.BooleanField(default=True)
    disabled_reason = models.CharField(max_length=200, blank=True)
    failures = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} channel"


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)

    def unread_for(self, person) -> "NotificationQuerySet":
        """The person's inbox lines not yet read (a partial index holds exactly these)."""
        return self.filter(person=person).unread()


class Notification(models.Model):
    """One line in a person's inbox, and what their channels were sent about it."""

    class Kind(models.TextChoices):
        FOLLOWUP = "followup", _("A check-in is waiting")
        DROP_ALERT = "drop_alert", _("Someone could use some care")
        NUDGE = "nudge", _("Someone is thinking of you")
        GUEST_ANSWER = "guest_answer", _("Someone answered your check-in link")
        TEST = "test", _("A test message")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    followup = models.ForeignKey(
        "followups.FollowUp", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    alert = models.ForeignKey(
        "alerts.AlertRecipient",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    nudge = models.ForeignKey(
        "alerts.Nudge", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    guest_answer = models.ForeignKey(
        "partners.GuestAnswer", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["person", "-created_at"]),
            models.Index(
                fields=["person"], condition=models.Q(read_at__isnull=True), name="unread"
            ),
        ]

    def __str__(self) -> str:
        return f"notification {self.code}"


class Delivery(models.Model):
    """One attempt to reach a person through one channel, with its outcome."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Sending")
        SENT = "sent", _("Delivered")
        FAILED = "failed", _("Failed")

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Why it failed, in words that never name the person or the message.
    error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["channel", "-created_at"])]

    def __str__(self) -> str:
        return f"delivery {self.pk}"


class Heartbeat(models.Model):
    """The last sign of life of each dispatcher process, reported by /healthz."""

    worker = models.CharField(max_length=64, unique=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.worker

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from care.catalogue import FEELINGS
from care.models import CareItem
from partners.models import SHAREABLE_ANSWERS, Connection, ConnectionSide
from vault.fields import EncryptedTextField


class Kind(models.TextChoices):
    PARTNERED = "partnered", _("With a partner")
    CASUAL = "casual", _("Casual")
    ON_CAMERA = "on_camera", _("On camera")
    SOLO = "solo", _("Solo")


SELF_CARE_KINDS = {Kind.ON_CAMERA, Kind.SOLO}
SCALE = [MinValueValidator(1), MaxValueValidator(7)]


class EncounterQuerySet(models.QuerySet["Encounter"]):
    def for_person(self, person) -> "EncounterQuerySet":
        return self.filter(person=person)

    def shared_with(self, person) -> "EncounterQuerySet":
        """Encounters someone else logged that name a connection of this person's that
        shares (not ended, paused by neither side). Each at most once."""
        theirs = Connection.objects.sharing().filter(sides__person=person)
        named = Encounter.connections.through.objects.filter(
            encounter=OuterRef("pk"), connection__in=theirs
        )
        return self.filter(Exists(named)).exclude(person=person)

    def with_mood(self) -> "EncounterQuerySet":
        """The author's latest pleasantness and whether they checked in, as two columns:
        a list row needs no check-in objects, however many an encounter gathered."""
        own = CheckIn.objects.filter(encounter=OuterRef("pk"), person=OuterRef("person"))
        return self.annotate(
            latest_mood=Subquery(own.order_by("-created_at").values("pleasantness")[:1]),
            checked_in=Exists(own),
        )

    def with_details(self) -> "EncounterQuerySet":
        """Care acts and check-ins in two extra queries, whatever the number of encounters."""
        return self.prefetch_related(
            Prefetch("care_acts", queryset=CareItem.objects.in_catalogue_order()),
            Prefetch(
                "checkins",
                queryset=CheckIn.objects.order_by("created_at").prefetch_related(
                    Prefetch("care_given", queryset=CareItem.objects.in_catalogue_order())
                ),
            ),
            "connections__sides__person",
        )


class Encounter(models.Model):
    """Something that happened. No intoxication fields, nothing that reads as evidence."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="encounters"
    )
    occurred_at = models.DateTimeField(_("When"))
    kind = models.CharField(_("What kind"), max_length=16, choices=Kind.choices)
    care_acts = models.ManyToManyField(CareItem, blank=True, related_name="+")
    connections = models.ManyToManyField(
        "partners.Connection", blank=True, related_name="encounters"
    )
    note = EncryptedTextField(_("A private note"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EncounterQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["person", "-occurred_at"])]

    def __str__(self) -> str:
        return f"encounter {self.code}"

    def sharing_connections_of(self, person) -> list:
        """The connections named on it that share (`Connection.is_sharing`) and that this
        person is part of. Uses the prefetched connections and sides."""
        return [
            c
            for c in self.connections.all()
            if c.is_sharing and any(s.person_id == person.pk for s in c.sides.all())
        ]

    def is_shared_live_with(self, person) -> bool:
        """Named on a connection of this person's that still shares (not ended or paused):
        `shared_with` for a loaded encounter."""
        return bool(self.sharing_connections_of(person))

    def is_in_sight_of(self, person) -> bool:
        """Its author's, or named on a connection of this person's that still shares."""
        return self.person_id == person.pk or self.is_shared_live_with(person)

    @property
    def is_self_care_kind(self) -> bool:
        return self.kind in SELF_CARE_KINDS


class CheckInQuerySet(models.QuerySet["CheckIn"]):
    def for_person(self, person) -> "CheckInQuerySet":
        return self.filter(person=person)

    def on_others_encounters(self) -> "CheckInQuerySet":
        """Check-ins about an encounter someone else logged, or one that is gone."""
        return self.filter(Q(encounter__isnull=True) | ~Q(encounter__person=F("person")))

    def shared_with(self, viewer, *, through=None) -> "CheckInQuerySet":
        """Other people's check-ins the viewer may see: the encounter names a connection that
        shares between the viewer and the check-in's author, the author shares check-in
        answers across it, and the check-in shares at least one answer. `through` keeps to
        one connection. Each row carries `shared_through`, the id of the connection."""
        carriers = ConnectionSide.objects.showing_checkins_to(viewer).filter(
            person=OuterRef("person"), connection__encounters=OuterRef("encounter")
        )
        if through is not None:
            carriers = carriers.filter(connection=through)
        return (
            self.exclude(shared=[])
            .annotate(shared_through=Subquery(carriers.values("connection_id")[:1]))
            .filter(shared_through__isnull=False)
        )

    def with_care(self) -> "CheckInQuerySet":
        """The care given, in one extra query for any number of check-ins."""
        return self.prefetch_related(
            Prefetch("care_given", queryset=CareItem.objects.in_catalogue_order())
        )


class CheckIn(models.Model):
    """A person's answers about one encounter. Private unless its author shares them."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # A partner's check-in belongs to the partner: when the encounter's author deletes the
    # encounter, it stays, detached (see services.delete_encounter).
    encounter = models.ForeignKey(
        Encounter, null=True, blank=True, on_delete=models.SET_NULL, related_name="checkins"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkins"
    )
    # The encounter as this person knew it: their own check-in still reads whole once the
    # encounter is out of their sight (the connection ended or paused, the author deleted it).
    encounter_kind = models.CharField(max_length=16, choices=Kind.choices, blank=True)
    encounter_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    pleasantness = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCALE)
    energy = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCALE)
    feelings = models.JSONField(default=list, blank=True)
    wants_care = models.BooleanField(default=False)
    fun = EncryptedTextField(_("What was fun?"))
    next_time = EncryptedTextField(_("What would you like next time?"))
    not_right = EncryptedTextField(_("Anything that didn't feel right?"))
    need_now = EncryptedTextField(_("What do you need right now?"))
    # The care this person gave. Received care is on the encounter, written by its author;
    # giving is each person's own answer, so a partner checking in records theirs here too,
    # and shares it like any other answer.
    care_given = models.ManyToManyField(CareItem, blank=True, related_name="+")
    # Which answers its author shares with the partners of the encounter (see partners).
    shared = models.JSONField(default=list, blank=True)
    # Why this check-in raised a drop signal, if it did: rule names only, never answers.
    drop_reasons = models.JSONField(default=list, blank=True)

    objects = CheckInQuerySet.as_manager()
    # Set on the rows of `CheckIn.objects.shared_with`: the connection that carries it.
    shared_through: int

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["person", "-created_at"])]

    def __str__(self) -> str:
        return f"check-in {self.code}"

    @property
    def raised_drop(self) -> bool:
        return bool(self.drop_reasons)

    @property
    def feeling_labels(self) -> list[str]:
        labels = {key: label for key, label, _low in FEELINGS}
        return [str(labels.get(key, key)) for key in self.feelings]

    def shown_answers(self) -> list[dict]:
        """What its author shows a partner: the answers in `shared`, each as {"key",
        "label", "value"}; mood is pleasantness and energy. Whether the partner may see
        them at all is `CheckIn.objects.shared_with`."""
        labels = dict(SHAREABLE_ANSWERS)
        values = {
            "mood": {"pleasantness": self.pleasantness, "energy": self.energy},
            "feelings": ", ".join(self.feeling_labels),
            "wants_care": self.wants_care,
            "fun": self.fun,
            "next_time": self.next_time,
            "not_right": self.not_right,
            "need_now": self.need_now,
        }
        if "care_given" in self.shared:
            values["care_given"] = ", ".join(str(item.label) for item in self.care_given.all())
        return [
            {"key": key, "label": str(labels[key]), "value": values[key]}
            for key in self.shared
            if key in values
        ]


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


class FollowUp(models.Model):
    """A check-in the schedule asks for, some hours after an encounter. The due time is a
    column and the dispatcher claims due rows with a lease (see notify.dispatcher)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followups"
    )
    # A partner's follow-ups are their own: kept, detached and still running, when the
    # encounter's author deletes it.
    encounter = models.ForeignKey(
        Encounter, null=True, blank=True, on_delete=models.SET_NULL, related_name="followups"
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
        CheckIn, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
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


class Alert(models.Model):
    """A person's "I could use some care", told to the partners and support contacts they
    chose. Carries no score and no answer: only that it happened, and to whom."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alerts"
    )
    checkin = models.ForeignKey(
        CheckIn, null=True, blank=True, on_delete=models.SET_NULL, related_name="alerts"
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

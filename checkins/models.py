import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Prefetch, Q, Subquery
from django.utils.translation import gettext_lazy as _

from care.catalogue import FEELINGS
from care.models import CareItem
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
        """Partnered encounters that name a live connection of this person's."""
        return self.filter(
            connections__sides__person=person, connections__ended_at__isnull=True
        ).exclude(person=person)

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

    def is_shared_live_with(self, person) -> bool:
        """Named on a connection of this person's that still shares (not ended or paused).
        Uses the prefetched connections and sides."""
        return any(
            c.is_sharing and any(s.person_id == person.pk for s in c.sides.all())
            for c in self.connections.all()
        )

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

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery
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
_KIND_LABELS = dict(Kind.choices)


def kind_label(kind: str) -> str:
    """A kind's words in the active language, or the kind as it is if it is none of ours.
    What `get_kind_display` answers; Django's own builds a dict of every choice on each call,
    for each row of a list."""
    return str(_KIND_LABELS.get(kind, kind))


SCALE = [MinValueValidator(1), MaxValueValidator(7)]


class EncounterQuerySet(models.QuerySet["Encounter"]):
    def for_person(self, person) -> "EncounterQuerySet":
        return self.filter(person=person)

    def shared_with(self, person, *, sharing=None) -> "EncounterQuerySet":
        """Encounters someone else logged that name a connection of this person's that
        shares (not ended, paused by neither side). Each at most once. ``sharing``: the ids
        of those connections (`Connection.objects.sharing_ids_of`), when already known."""
        theirs = Connection.objects.sharing_of(person) if sharing is None else sharing
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

    def with_names_connections(self) -> "EncounterQuerySet":
        """Whether it names any connection, as a column (`names_connections`)."""
        named = Encounter.connections.through.objects.filter(encounter=OuterRef("pk"))
        return self.annotate(names_connections=Exists(named))

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
        person is part of. Uses the prefetched connections and sides; none are read when
        the encounter was loaded knowing it names none (`with_names_connections`)."""
        if not getattr(self, "names_connections", True):
            return []
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

    def get_kind_display(self) -> str:  # type: ignore[no-redef]  # in place of Django's
        return kind_label(self.kind)


def sharing_answer(key: str, path: str = "") -> Q:
    """Check-ins that share this answer, reached from another model by ``path`` (for example
    ``"checkin__"`` from a follow-up). ``shared`` is a JSON list of answer keys."""
    return Q(**{f"{path}shared__icontains": f'"{key}"'})


class CheckInQuerySet(models.QuerySet["CheckIn"]):
    def for_person(self, person) -> "CheckInQuerySet":
        return self.filter(person=person)

    def on_others_encounters(self) -> "CheckInQuerySet":
        """Check-ins about an encounter someone else logged, or one that is gone."""
        return self.filter(on_own_encounter=False)

    def bulk_create(self, objs, *args, **kwargs):
        # Rows made in bulk skip save(): they learn whose encounter they are on here.
        objs = list(objs)
        for checkin in objs:
            checkin.on_own_encounter = checkin.is_on_own_encounter()
        return super().bulk_create(objs, *args, **kwargs)

    def sharing_answer(self, key: str) -> "CheckInQuerySet":
        """Check-ins whose author shares this answer ("mood", …); see `sharing_answer`."""
        return self.filter(sharing_answer(key))

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
    # Whether the encounter was its author's own, fixed when the check-in is made: an own
    # encounter takes its author's check-ins with it when deleted, anyone else's stay theirs
    # (detached), so it never changes. Check-ins "elsewhere" are then found through an index
    # however many own ones a person has, where the join had to read them all.
    on_own_encounter = models.BooleanField(default=False, editable=False)

    objects = CheckInQuerySet.as_manager()
    # Set on the rows of `CheckIn.objects.shared_with`: the connection that carries it.
    shared_through: int

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["person", "-created_at"]),
            models.Index(
                fields=["person", "-created_at"],
                condition=Q(on_own_encounter=False),
                name="checkin_elsewhere",
            ),
        ]

    def __str__(self) -> str:
        return f"check-in {self.code}"

    def save(self, *args, **kwargs):
        if self._state.adding:
            self.on_own_encounter = self.is_on_own_encounter()
        super().save(*args, **kwargs)

    def is_on_own_encounter(self) -> bool:
        encounter = self.encounter
        return encounter is not None and encounter.person_id == self.person_id

    @property
    def raised_drop(self) -> bool:
        return bool(self.drop_reasons)

    def get_encounter_kind_display(self) -> str:  # type: ignore[no-redef]  # as above
        return kind_label(self.encounter_kind)

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

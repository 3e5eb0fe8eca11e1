import functools
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from care.catalogue import CATEGORIES, ITEMS
from vault.fields import EncryptedTextField

CATEGORY_CHOICES = CATEGORIES


@functools.cache
def catalogue_words() -> dict[str, tuple]:
    return {key: (label, hint) for key, _category, label, hint, _self in ITEMS}


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    MAYBE = "maybe", _("Maybe")
    NO = "no", _("No")
    UNSURE = "unsure", _("Not sure")


class CareItemQuerySet(models.QuerySet["CareItem"]):
    def in_catalogue_order(self) -> "CareItemQuerySet":
        return self.order_by("position", "created_at")

    def visible_to(self, person) -> "CareItemQuerySet":
        """The built-in catalogue plus the person's own items, in catalogue order."""
        return self.filter(
            Q(person__isnull=True) | Q(person=person), retired=False
        ).in_catalogue_order()


class CareItem(models.Model):
    """A care act: built in (``key`` set, words from the catalogue) or a person's own."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    key = models.SlugField(max_length=40, null=True, blank=True, unique=True)
    category = models.CharField(max_length=16, choices=CATEGORY_CHOICES)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="own_care_items",
    )
    own_label = EncryptedTextField(owner="person")
    self_care = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=10_000)
    retired = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CareItemQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(key__isnull=True) ^ Q(person__isnull=True), name="built_in_xor_own"
            )
        ]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def is_own(self) -> bool:
        return self.person_id is not None

    @property
    def label(self):
        if self.key:
            return catalogue_words().get(self.key, (self.key, ""))[0]
        return self.own_label

    @property
    def hint(self):
        if self.key:
            return catalogue_words().get(self.key, ("", ""))[1]
        return ""


class AftercareProfile(models.Model):
    """What a person likes after sex or play, in their own words. All text is encrypted."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="aftercare_profile"
    )
    time_needed = EncryptedTextField(_("How long do you usually need?"))
    drop_signs = EncryptedTextField(_("How can you (or others) tell you're dropping?"))
    drop_helps = EncryptedTextField(_("What helps when you drop?"))
    self_care = EncryptedTextField(_("What do you do for yourself?"))
    boundaries = EncryptedTextField(_("Please don't…"))
    ask_again_if_fine = models.BooleanField(
        _("If I say I'm fine but seem off, ask me again."), default=False
    )
    next_day_checkin = models.BooleanField(_("I'd like a check-in the next day."), default=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return "aftercare profile"


class Preference(models.Model):
    """One care item in a person's profile: would they like to receive it, glad to give it."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="care_preferences"
    )
    item = models.ForeignKey(CareItem, on_delete=models.CASCADE, related_name="preferences")
    receive = models.CharField(max_length=8, choices=Answer.choices, default=Answer.UNSURE)
    give = models.CharField(max_length=8, choices=Answer.choices, default=Answer.UNSURE)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "item"], name="one_preference_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.receive}/{self.give}"

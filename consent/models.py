from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Raise this when the purposes below change in substance: everyone is asked again.
CONSENT_VERSION = 1

PURPOSES = [
    (
        "store",
        _(
            "Keep what you tell us about your intimate life (encounters, how you felt, your "
            "aftercare wishes) so that you can look after yourself, encrypted with a key of "
            "your own."
        ),
    ),
    (
        "remind",
        _(
            "Use it to check in with you in the hours and days afterwards, at times you set, "
            "with reminders that never say what they are about."
        ),
    ),
    (
        "share",
        _(
            "Show parts of it to a partner or a support contact only when you choose to share "
            "them, one item at a time."
        ),
    ),
]


class ConsentQuerySet(models.QuerySet["Consent"]):
    def current_for(self, person) -> "ConsentQuerySet":
        return self.filter(person=person, version=CONSENT_VERSION, withdrawn_at__isnull=True)


class Consent(models.Model):
    """A person's explicit consent (GDPR art. 9(2)(a)) to the purposes of one version."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents"
    )
    version = models.PositiveSmallIntegerField()
    purposes = models.JSONField()
    adult_confirmed = models.BooleanField()
    given_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-given_at"]

    def __str__(self) -> str:
        return f"consent v{self.version}"

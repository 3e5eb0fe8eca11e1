import hashlib
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lib.compiled import Compiled
from vault.fields import EncryptedTextField

# Check-in answers a person can share, one by one. "mood" is pleasantness and energy.
SHAREABLE_ANSWERS = [
    ("mood", _("How I felt")),
    ("feelings", _("Feeling words")),
    ("wants_care", _("Whether I wanted care")),
    ("fun", _("What was fun")),
    ("next_time", _("What I'd like next time")),
    ("not_right", _("What didn't feel right")),
    ("need_now", _("What I needed")),
    ("care_given", _("The care I gave")),
]
# Nothing is ticked until the person chooses: sharing is always their own act.
DEFAULT_SHARED_ANSWERS: list[str] = []


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_invite_secret() -> str:
    # Ten characters from an alphabet without look-alikes, easy to read out or type.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


class InviteQuerySet(models.QuerySet["Invite"]):
    def open(self) -> "InviteQuerySet":
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invite(models.Model):
    """An expiring invitation to connect. Only a hash of its secret is stored."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invites"
    )
    secret_hash = models.CharField(max_length=64, unique=True)
    nickname = EncryptedTextField(_("What do you call them?"))
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InviteQuerySet.as_manager()

    def __str__(self) -> str:
        return f"invite {self.code}"


# What may cross a connection is decided here, once, in two spellings side by side: as a
# query (`Connection.objects.sharing()`, `ConnectionSide.objects.…`) for lists, and as a
# property on loaded rows (`Connection.is_sharing`) for a page that has them already.
# softlanding/tests/test_sharing.py holds both, and every path that shows one person
# another's answers, to the rule in docs/architecture.md.


class ConnectionQuerySet(models.QuerySet["Connection"]):
    def for_person(self, person) -> "ConnectionQuerySet":
        """Connections the person is part of, ended ones included (they see that it ended)."""
        return self.filter(sides__person=person).distinct()

    def active_for(self, person) -> "ConnectionQuerySet":
        return self.for_person(person).filter(ended_at__isnull=True)

    def sharing(self) -> "ConnectionQuerySet":
        """The connections anything crosses: not ended, and paused by neither side. Sharing
        is computed when read, so this hides what was shared before, too."""
        paused = ConnectionSide.objects.filter(connection=OuterRef("pk"), paused_at__isnull=False)
        return self.filter(ended_at__isnull=True).exclude(Exists(paused))

    def sharing_of(self, person) -> "ConnectionQuerySet":
        """The person's connections that share."""
        return self.sharing().filter(sides__person=person)

    def sharing_ids_of(self, person) -> list[int]:
        """The ids of the person's connections that share: most people's list is empty, and
        a page can then skip what would only be shared through them. The sharing rule's
        query is costly to build: it is compiled once per process (lib.compiled)."""
        return [pk for (pk,) in SHARING_IDS.rows(person.pk)]

    def sharing_insights(self) -> "ConnectionQuerySet":
        """Connections that share and on which both sides chose insights together."""
        holding_back = ConnectionSide.objects.filter(
            connection=OuterRef("pk"), share_insights=False
        )
        return self.sharing().exclude(Exists(holding_back))


SHARING_IDS = Compiled(lambda person: Connection.objects.sharing_of(person).values_list("pk"), int)


class Connection(models.Model):
    """A link between two people. Each side keeps its own nickname and sharing choices."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = ConnectionQuerySet.as_manager()

    def __str__(self) -> str:
        return f"connection {self.code}"

    @property
    def is_ended(self) -> bool:
        return self.ended_at is not None

    @property
    def is_sharing(self) -> bool:
        """`Connection.objects.sharing()` for a loaded connection (uses its loaded sides)."""
        return self.ended_at is None and all(s.paused_at is None for s in self.sides.all())

    @property
    def is_sharing_insights(self) -> bool:
        """`Connection.objects.sharing_insights()` for a loaded connection."""
        return self.is_sharing and all(s.share_insights for s in self.sides.all())

    def side_of(self, person) -> "ConnectionSide":
        return next(s for s in self.sides.all() if s.person_id == person.pk)

    def other_side_of(self, person) -> "ConnectionSide":
        return next(s for s in self.sides.all() if s.person_id != person.pk)

    def name_for(self, viewer) -> str:
        """What the viewer calls the other side of the connection (sides prefetched)."""
        sides = {side.person_id: side for side in self.sides.all()}
        mine = sides.get(viewer.pk)
        other = next((s for pid, s in sides.items() if pid != viewer.pk), None)
        if mine is None:
            return gettext("someone")
        if self.ended_at is not None:
            return mine.nickname or gettext("a past connection")
        return mine.name_of(other)


class ConnectionSideQuerySet(models.QuerySet["ConnectionSide"]):
    def sharing(self) -> "ConnectionSideQuerySet":
        """Sides of the connections that share (see `ConnectionQuerySet.sharing`)."""
        return self.filter(connection__in=Connection.objects.sharing())

    def facing(self, viewer) -> "ConnectionSideQuerySet":
        """The other person's side of each of the viewer's connections."""
        return self.filter(connection__sides__person=viewer).exclude(person=viewer)

    def sharing_checkins(self) -> "ConnectionSideQuerySet":
        """Sides whose person shares check-in answers across them."""
        return self.filter(share_checkins=True)

    def showing_checkins_to(self, viewer) -> "ConnectionSideQuerySet":
        """The sides across which someone shows the viewer their check-ins: the other side
        of a connection of the viewer's that shares, its person sharing check-in answers."""
        return self.sharing().sharing_checkins().facing(viewer)

    def telling_drops_of(self, person) -> "ConnectionSideQuerySet":
        """Whom the person's drop alerts reach: the other side of each of their connections
        that shares, where the person turned drop alerts on."""
        theirs = ConnectionSide.objects.filter(person=person, share_drop_alerts=True)
        return self.sharing().facing(person).filter(connection__in=theirs.values("connection"))


class ConnectionSide(models.Model):
    """One person's side of a connection: what they call the other, and what they share."""

    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="sides")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="connection_sides"
    )
    nickname = EncryptedTextField(_("What do you call them?"))
    share_profile = models.BooleanField(_("My aftercare profile"), default=False)
    # On only with at least one answer in shared_answers (partners.services keeps them agreeing).
    share_checkins = models.BooleanField(_("My check-in answers"), default=False)
    shared_answers = models.JSONField(default=list)
    share_drop_alerts = models.BooleanField(
        _("Tell them when I could use some care"), default=False
    )
    # Insights from what both already share, shown to both alike: only when both sides say so.
    share_insights = models.BooleanField(_("Insights we both see"), default=False)
    paused_at = models.DateTimeField(null=True, blank=True)

    objects = ConnectionSideQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["connection", "person"], name="one_side_each")
        ]

    def __str__(self) -> str:
        return "connection side"

    def shows_answer(self, key: str) -> bool:
        """Whether this side's person shows the other one this check-in answer ("mood", …)."""
        return self.share_checkins and key in self.shared_answers

    def name_of(self, other: "ConnectionSide | None" = None) -> str:
        """What this side calls the other person: their own nickname, else the name the other
        chose for themselves (only while the connection lasts)."""
        if self.nickname:
            return self.nickname
        if other is not None and other.person.display_name:
            return other.person.display_name
        # Nobody is assumed to have a partner, or only one.
        return gettext("someone you're connected with")


class GuestLinkQuerySet(models.QuerySet["GuestLink"]):
    def open(self) -> "GuestLinkQuerySet":
        return self.filter(
            answered_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class GuestLink(models.Model):
    """A one-time link for a casual partner without an account. Only its hash is stored."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="guest_links"
    )
    nickname = EncryptedTextField(_("What do you call them?"))
    secret_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = GuestLinkQuerySet.as_manager()

    def __str__(self) -> str:
        return f"guest link {self.code}"


class GuestAnswer(models.Model):
    """What a guest chose to say. Readable only by the person who made the link (it is sealed
    with their key) and deleted after 30 days."""

    link = models.OneToOneField(GuestLink, on_delete=models.CASCADE, related_name="answer")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="guest_answers"
    )
    feeling = models.PositiveSmallIntegerField(null=True, blank=True)
    message = EncryptedTextField(_("Anything you'd like them to know?"))
    wants_to_hear_back = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return "guest answer"


class Wish(models.Model):
    """A "next time" wish for one connection: an idea from the catalogue (revealed only when
    both picked it) or a person's own words (shown only if its author shares them)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="wishes")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wishes"
    )
    idea = models.CharField(max_length=40, blank=True)
    text = EncryptedTextField()
    shared = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "person", "idea"],
                condition=~Q(idea=""),
                name="one_pick_per_idea",
            )
        ]

    def __str__(self) -> str:
        return "wish"


class SupportContact(models.Model):
    """Someone the person trusts (a friend, a studio's welfare contact) who may receive a
    content-free "please check on me" — and only when the person says so."""

    class When(models.TextChoices):
        ASK_ME = "ask_me", _("Only when I tap to tell them")
        AUTOMATIC = "automatic", _("Automatically, when a check-in shows I could use some care")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="support_contacts"
    )
    name = EncryptedTextField(_("Their name"))
    email = EncryptedTextField(_("Their e-mail address"))
    notify_url = EncryptedTextField(_("Or a notification URL (ntfy, Matrix, Telegram, …)"))
    may_tell = models.CharField(
        _("When may they be told?"), max_length=16, choices=When.choices, default=When.ASK_ME
    )
    verify_hash = models.CharField(max_length=64, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return "support contact"

"""Connections between people: invites, sharing choices, pausing and ending."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consent.services import require_consent
from partners.models import (
    DEFAULT_SHARED_ANSWERS,
    SHAREABLE_ANSWERS,
    Connection,
    ConnectionSide,
    Invite,
    hash_secret,
    new_invite_secret,
)

INVITE_LIFETIME = dt.timedelta(days=7)
SIDE_SETTINGS = (
    "nickname",
    "share_profile",
    "share_checkins",
    "shared_answers",
    "share_drop_alerts",
    "share_insights",
)


def normalise_secret(secret: str) -> str:
    return "".join(ch for ch in secret.upper() if ch.isalnum())


def create_invite(person, *, nickname: str = "") -> tuple[Invite, str]:
    """A new invite and its secret, which is shown to the inviter and stored only hashed."""
    require_consent(person)
    secret = new_invite_secret()
    invite = Invite.objects.create(
        person=person,
        secret_hash=hash_secret(secret),
        nickname=nickname[:80],
        expires_at=timezone.now() + INVITE_LIFETIME,
    )
    return invite, secret


def open_invite(secret: str) -> Invite | None:
    return (
        Invite.objects.open()
        .select_related("person")
        .filter(secret_hash=hash_secret(normalise_secret(secret)))
        .first()
    )


def revoke_invite(invite: Invite) -> None:
    if invite.accepted_at is None and invite.revoked_at is None:
        invite.revoked_at = timezone.now()
        invite.save(update_fields=["revoked_at"])


def connected(a, b) -> Connection | None:
    return (
        Connection.objects.active_for(a)
        .filter(sides__person=b)
        .filter(pk__in=Connection.objects.active_for(b).values("pk"))
        .first()
    )


@transaction.atomic
def accept_invite(person, secret: str, *, nickname: str = "") -> Connection:
    require_consent(person)
    invite = open_invite(secret)
    if invite is None:
        raise ValidationError(
            _("That invite has expired or was already used. Ask for a new one — it's quick.")
        )
    if invite.person_id == person.pk:
        raise ValidationError(
            _("This is your own invite: send it to the person you'd like to connect with.")
        )
    existing = connected(invite.person, person)
    if existing:
        raise ValidationError(_("You two are already connected."))
    invite.accepted_at = timezone.now()
    invite.save(update_fields=["accepted_at"])
    connection = Connection.objects.create()
    ConnectionSide.objects.create(
        connection=connection,
        person=invite.person,
        nickname=invite.nickname,
        share_checkins=False,
        shared_answers=DEFAULT_SHARED_ANSWERS,
    )
    ConnectionSide.objects.create(
        connection=connection,
        person=person,
        nickname=nickname[:80],
        share_checkins=False,
        shared_answers=DEFAULT_SHARED_ANSWERS,
    )
    return connection


def side_of(connection: Connection, person) -> ConnectionSide:
    return connection.side_of(person)


def other_side(connection: Connection, person) -> ConnectionSide:
    return connection.other_side_of(person)


def update_side(side: ConnectionSide, **changes) -> ConnectionSide:
    require_consent(side.person)
    unknown = set(changes) - set(SIDE_SETTINGS)
    if unknown:
        raise ValueError(f"not a sharing choice: {', '.join(sorted(unknown))}")
    if "shared_answers" in changes:
        allowed = {key for key, _label in SHAREABLE_ANSWERS}
        if set(changes["shared_answers"]) - allowed:
            raise ValidationError(_("Please choose from the answers shown."))
    if len(changes.get("nickname") or "") > 80:
        raise ValidationError({"nickname": _("Please keep the name under 80 characters.")})
    for name, value in changes.items():
        setattr(side, name, value)
    if "shared_answers" in changes and "share_checkins" not in changes:
        side.share_checkins = bool(side.shared_answers)
    _keep_checkin_sharing_honest(side, switched_on=changes.get("share_checkins") is True)
    # Only the choices: a pause or an end saved meanwhile by the other request stays.
    side.save(update_fields={*changes, "share_checkins", "shared_answers"})
    return side


def _keep_checkin_sharing_honest(side: ConnectionSide, *, switched_on: bool) -> None:
    """Sharing check-in answers means naming which ones: the switch and the list agree.

    Choosing answers turns it on and unticking them all turns it off; turning it on with
    nothing ticked is refused with a word on what to do; turning it off forgets the ticks, so
    nothing looks shared that isn't.
    """
    if side.share_checkins and not side.shared_answers:
        if switched_on:
            raise ValidationError(
                {
                    "shared_answers": _(
                        "Tick the answers you'd like to share, or leave sharing "
                        "check-in answers off."
                    )
                }
            )
        side.share_checkins = False
    if not side.share_checkins:
        side.shared_answers = []


def pause(side: ConnectionSide) -> None:
    """Nothing is shared either way until the one who paused resumes. Everyone's own
    check-ins and follow-ups go on as they were."""
    if side.paused_at is None:
        side.paused_at = timezone.now()
        side.save(update_fields=["paused_at"])


def resume(side: ConnectionSide) -> None:
    side.paused_at = None
    side.save(update_fields=["paused_at"])


def end(connection: Connection) -> None:
    """Stops all sharing at once, including what was shared before. The other side learns
    only that it ended. Nobody's own care stops: each person's check-ins and follow-ups are
    theirs, and a break-up is when drop is most likely."""
    if connection.ended_at is None:
        connection.ended_at = timezone.now()
        connection.save(update_fields=["ended_at"])


def other_name(connection: Connection, viewer) -> str:
    """What the viewer calls the other side of a connection (sides prefetched)."""
    return connection.name_for(viewer)


def partner_name(my_side, other_side=None) -> str:
    """What the viewer calls the other person (see ConnectionSide.name_of)."""
    return my_side.name_of(other_side)

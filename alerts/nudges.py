"""Person-to-person nudges: one tap from an encounter sends a partner on it a gentle
"thinking of you — how are you feeling?", which opens a check-in for them."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alerts.models import Nudge
from consent.services import require_consent
from notify.models import Notification
from notify.services import notify
from partners.models import Connection, ConnectionSide
from partners.services import is_sharing

# One nudge an hour from one person to another: warm, never a stream of pings.
NUDGE_GAP = dt.timedelta(hours=1)


def nudgeable(encounter, sender) -> list[tuple[Connection, ConnectionSide]]:
    """(connection, the other side) for each live connection on the encounter the sender
    is part of. Uses the prefetched connections and sides."""
    found = []
    for connection in encounter.connections.all():
        sides = list(connection.sides.all())
        if is_sharing(connection) and any(s.person_id == sender.pk for s in sides):
            found += [(connection, s) for s in sides if s.person_id != sender.pk]
    return found


@transaction.atomic
def send_nudge(sender, encounter, connection_code) -> Nudge:
    require_consent(sender)
    match = [
        (c, side) for c, side in nudgeable(encounter, sender) if str(c.code) == str(connection_code)
    ]
    if not match:
        raise ValidationError(_("You can only nudge someone you share this encounter with."))
    connection, other = match[0]
    recent = Nudge.objects.filter(
        sender=sender, recipient_id=other.person_id, created_at__gt=timezone.now() - NUDGE_GAP
    )
    if recent.exists():
        raise ValidationError(
            _("You sent them a nudge a little while ago. Give it some time before the next.")
        )
    nudge = Nudge.objects.create(
        sender=sender, recipient_id=other.person_id, connection=connection, encounter=encounter
    )
    notify(other.person, Notification.Kind.NUDGE, nudge=nudge)
    return nudge

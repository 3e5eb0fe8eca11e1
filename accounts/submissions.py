"""One submission, one thing: a double tap, a resent form or an API call retried after a lost
answer creates what it asks for once. The form's hidden key, or the API's Idempotency-Key
header, is stored (hashed) with the code of what the first submission made; a repeat gets that
code back instead of a second encounter or check-in. Keys are kept for a day."""

import datetime as dt
import hashlib
import hmac
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Person, SubmissionKey
from lib.forms import apply_service, submitted_body

KEEP_FOR = dt.timedelta(hours=24)
MAX_KEY_LENGTH = 200


class KeyReused(ValidationError):
    """The same key came back with something else in it: neither a repeat nor new."""


@dataclass
class Submitted:
    made: Any = None  # what this submission created
    earlier: uuid.UUID | None = None  # or the code of what the first one with its key made

    @property
    def repeated(self) -> bool:
        return self.made is None


def _hashes(key: str, body: bytes) -> tuple[str, str]:
    key_hash = hashlib.sha256(key.encode()).hexdigest()
    fingerprint = hmac.new(
        settings.SECRET_KEY.encode(), key.encode() + b"\0" + body, hashlib.sha256
    ).hexdigest()
    return key_hash, fingerprint


def once(
    person: Person, scope: str, key: str | None, body: bytes, create: Callable[[], Any]
) -> Submitted:
    """Run ``create`` unless this key already made something; ``create`` returns an object
    with a ``code``. Two racing submissions with one key meet at the unique constraint: the
    second waits for the first to commit, then finds its row."""
    if not key:
        return Submitted(made=create())
    if len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise ValidationError(
            _("A submission key is at most %(n)s printable characters.") % {"n": MAX_KEY_LENGTH}
        )
    key_hash, fingerprint = _hashes(key, body)
    mine = SubmissionKey.objects.filter(person=person, scope=scope, key_hash=key_hash)
    with transaction.atomic():
        mine.filter(created_at__lt=timezone.now() - KEEP_FOR).delete()
        try:
            with transaction.atomic():
                row = SubmissionKey.objects.create(
                    person=person, scope=scope, key_hash=key_hash, fingerprint=fingerprint
                )
        except IntegrityError:
            first = mine.get()
            if not hmac.compare_digest(first.fingerprint, fingerprint):
                raise KeyReused(
                    _("This was already sent once with other answers. Please send it again.")
                ) from None
            return Submitted(earlier=first.made_code)
        made = create()
        row.made_code = made.code
        row.save(update_fields=["made_code"])
    return Submitted(made=made)


def purge_expired(now: dt.datetime | None = None) -> int:
    cutoff = (now or timezone.now()) - KEEP_FOR
    deleted, _by_model = SubmissionKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def once_from_form(request, form, scope: str, create: Callable[[], Any]) -> Submitted | None:
    """``once`` behind a page's form (a SubmittedOnceForm): refusals land on the form as
    messages, and a key refused for other answers is replaced, so sending again works."""

    def call() -> Submitted:
        key = form.cleaned_data.get("submission") or None
        try:
            return once(request.user, scope, key, submitted_body(request), create)
        except KeyReused:
            form.new_submission_key()
            raise

    return apply_service(form, call)

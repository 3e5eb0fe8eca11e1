"""What partners does when its own signals fire (connected by PartnersConfig.ready)."""

from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from consent.signals import consent_withdrawn
from notify import inbox
from notify.models import Notification
from notify.services import notify
from partners.models import ConnectionSide
from partners.signals import guest_answered


@receiver(guest_answered, dispatch_uid="notify-guest")
def tell_about_guest_answer(sender, *, answer, **kwargs) -> None:
    """The link's maker learns that someone answered: never what they answered."""
    notify(answer.person, Notification.Kind.GUEST_ANSWER, guest_answer=answer)


@receiver(consent_withdrawn, dispatch_uid="partners-pause-on-withdrawal")
def pause_on_withdrawal(sender, *, person, **kwargs) -> None:
    """Sharing is one of the purposes: withdrawing pauses every connection at once."""
    ConnectionSide.objects.filter(person=person, paused_at__isnull=True).update(
        paused_at=timezone.now()
    )


def _guest_answer_text(n: Notification, viewer) -> str | None:
    if n.guest_answer is None:
        return None
    if n.guest_answer.wants_to_hear_back:
        return _("Someone answered your check-in link and would like to hear back.")
    return _("Someone answered your check-in link.")


def _guest_answer_page(request, n: Notification):
    if n.guest_answer is None:
        return None
    return redirect(reverse("partners:guest_links") + f"#answer-{n.guest_answer.link.code}")


inbox.register(
    Notification.Kind.GUEST_ANSWER,
    inbox.InboxKind(text=_guest_answer_text, follow=_guest_answer_page, prefetch=("guest_answer",)),
)

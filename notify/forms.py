from django import forms
from django.utils.translation import gettext_lazy as _

from notify.models import Channel


class ChannelForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Where to?"),
        choices=[
            (Channel.Kind.EMAIL, _("E-mail")),
            (Channel.Kind.APPRISE, _("Another app, by its Apprise URL")),
        ],
        widget=forms.RadioSelect,
    )
    target = forms.CharField(
        label=_("E-mail address or URL"),
        max_length=2000,
        help_text=_(
            "For another app, its Apprise URL, for example ntfy://ntfy.sh/a-topic-only-you-know "
            "or tgram://bot-token/chat-id. It is stored encrypted."
        ),
    )
    label = forms.CharField(
        label=_("A name for it (optional)"),
        max_length=60,
        required=False,
        help_text=_("Only you see this. Something plain, like “phone” or “work-free inbox”."),
    )

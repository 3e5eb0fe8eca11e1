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


# "How should we reach you?": a messenger from a few plain fields, never an Apprise URL.
# The shapes are checked once, where the URL is written (notify.messengers), for the page and
# the API alike; these forms only say what each field is.
def _text(label, help_text="", *, required=True, placeholder="", secret=False, phone=False):
    attrs = {"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
    if placeholder:
        attrs["placeholder"] = placeholder
    if phone:
        attrs["inputmode"] = "tel"
    widget = (
        forms.PasswordInput(attrs=attrs, render_value=True) if secret else forms.TextInput(attrs)
    )
    if required:
        attrs["aria-required"] = "true"
    # Whether it is filled in is checked with its shape (notify.messengers), so that every
    # field that needs another look says so at once, in the same words as the API.
    return forms.CharField(
        label=label, help_text=help_text, required=False, max_length=300, widget=widget
    )


class NtfyForm(forms.Form):
    server = _text(
        _("Server"),
        _("ntfy.sh, or the address of your own ntfy server."),
        placeholder="https://ntfy.sh",
    )
    topic = _text(
        _("Topic"),
        _(
            "A name only you know, like soft-7f3a9c. Subscribe to the same topic in the ntfy "
            "app on your phone."
        ),
        placeholder="soft-7f3a9c",
    )


class SignalForm(forms.Form):
    server = _text(
        _("Your signal-cli REST server"),
        _("The address of the signal-cli REST API you run, like http://192.168.1.20:8080."),
        placeholder="https://signal.example.org",
    )
    from_number = _text(
        _("Send from"),
        _("The number signal-cli is registered with, with its country code."),
        placeholder="+44 7700 900123",
        phone=True,
    )
    to_number = _text(
        _("Send to"),
        _("Your own Signal number."),
        placeholder="+44 7700 900456",
        phone=True,
    )


class MatrixForm(forms.Form):
    homeserver = _text(_("Homeserver"), placeholder="https://matrix.org")
    user = _text(
        _("User (optional)"),
        _("The account that sends, like @reminders:matrix.org. Leave it empty for a token."),
        required=False,
        placeholder="@reminders:matrix.org",
    )
    password_or_token = _text(
        _("Password or access token"),
        _("Stored encrypted, and never shown to anyone."),
        secret=True,
    )
    room = _text(
        _("Room"),
        _("Where the notice goes: #name:server or !id:server."),
        placeholder="#my-room:matrix.org",
    )


class TelegramForm(forms.Form):
    bot_token = _text(
        _("Bot token"),
        _("From BotFather when you make a bot. Stored encrypted."),
        secret=True,
        placeholder="123456789:AAE…",
    )
    chat_id = _text(
        _("Chat id"),
        _("Your chat with the bot (a number), or a channel's @name."),
        placeholder="123456789",
    )


MESSENGER_FORMS: dict[str, type[forms.Form]] = {
    "ntfy": NtfyForm,
    "signal": SignalForm,
    "matrix": MatrixForm,
    "telegram": TelegramForm,
}

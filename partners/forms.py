from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.countries import COUNTRIES
from care import crisis
from care.catalogue import FEELINGS
from partners.ideas import IDEAS
from partners.models import SHAREABLE_ANSWERS, SupportContact


class NicknameForm(forms.Form):
    """The private name a person gives someone: on an invite, on accepting, on a guest link."""

    nickname = forms.CharField(
        label=_("What do you call them?"),
        required=False,
        max_length=80,
        help_text=_("Only you see this name. It is encrypted."),
    )


class CodeForm(forms.Form):
    secret = forms.CharField(label=_("Invite code"), max_length=40)


class SharingForm(forms.Form):
    nickname = forms.CharField(label=_("What do you call them?"), required=False, max_length=80)
    share_profile = forms.BooleanField(label=_("Share my aftercare profile"), required=False)
    # The ticked answers are the whole choice: none ticked, nothing of a check-in is shared.
    shared_answers = forms.MultipleChoiceField(
        label=_("Check-in answers they can see"),
        required=False,
        choices=SHAREABLE_ANSWERS,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Nothing ticked: your check-ins stay with you. What you tick is shared after each "
            "check-in, and you can change it on the check-in itself."
        ),
    )
    share_drop_alerts = forms.BooleanField(
        label=_("Let them know when I could use some care"), required=False
    )
    share_insights = forms.BooleanField(
        label=_("See insights together"),
        required=False,
        help_text=_(
            "Only when you both turn this on: which care from your shared plan came before "
            "better days, for each of you, from what you already share. You both see the same."
        ),
    )


FEELING_SCALE = [(n, str(n)) for n in range(1, 8)]


class GuestAnswerForm(forms.Form):
    feeling = forms.TypedChoiceField(
        label=_("How are you feeling?"),
        choices=FEELING_SCALE,
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    feelings = forms.MultipleChoiceField(
        label=_("Any of these words fit?"),
        choices=[(key, label) for key, label, _low in FEELINGS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    wants_care = forms.BooleanField(label=_("I'd like some care right now."), required=False)
    message = forms.CharField(
        label=_("Anything you'd like them to know?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    wants_to_hear_back = forms.BooleanField(label=_("I'd like to hear from them."), required=False)


class CountryForm(forms.Form):
    """Which country's crisis lines a guest sees: sent by GET, so no cookie is needed.
    Countries we have no lines for are "another country": the international directory."""

    country = forms.ChoiceField(label=_("Crisis lines for"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        listed = crisis.all_lines()["countries"]
        country = self.fields["country"]
        assert isinstance(country, forms.ChoiceField)
        country.choices = [(code, name) for code, name in COUNTRIES if code in listed] + [
            ("", _("Another country"))
        ]


class IdeasForm(forms.Form):
    ideas = forms.MultipleChoiceField(
        label=_("Ideas for next time"),
        required=False,
        choices=IDEAS,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Your picks stay private. An idea shows up for both of you only when you both pick it."
        ),
    )


class WishForm(forms.Form):
    text = forms.CharField(
        label=_("In your own words"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    shared = forms.BooleanField(label=_("Share this with them"), required=False)


class SupportContactForm(forms.Form):
    name = forms.CharField(label=_("Their name"), max_length=80)
    email = forms.EmailField(label=_("Their e-mail address"), required=False)
    notify_url = forms.CharField(
        label=_("Or a notification URL"),
        required=False,
        max_length=500,
        help_text=_("For example ntfy://ntfy.sh/their-topic, or a Matrix or Telegram URL."),
    )
    may_tell = forms.ChoiceField(
        label=_("When may they be told?"),
        choices=SupportContact.When.choices,
        widget=forms.RadioSelect,
        initial=SupportContact.When.ASK_ME,
        help_text=_("They are only ever told that you could use someone checking in."),
    )


class SupportWhenForm(forms.Form):
    may_tell = forms.ChoiceField(
        label=_("When may they be told?"),
        choices=SupportContact.When.choices,
        widget=forms.RadioSelect,
    )

from allauth.account.forms import SignupForm
from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import FOLLOW_UP_CHOICES, Person, known_time_zone, time_zone_choices


class SignUpForm(SignupForm):
    """allauth's sign-up, plus the time zone the browser reports (static/js/time-zone.js
    fills it in). Without JavaScript, or with a name we do not know, the default stays: a
    hint that does not fit never stands between someone and an account."""

    time_zone = forms.CharField(
        required=False,
        max_length=64,
        widget=forms.HiddenInput(attrs={"data-browser-time-zone": ""}),
    )

    def clean_time_zone(self) -> str:
        return known_time_zone(self.cleaned_data.get("time_zone")) or ""


class TimeZoneOfferForm(forms.Form):
    """The answer to "Your device is set to …; use it?": switch to it, or keep ours."""

    SWITCH, KEEP = "switch", "keep"

    time_zone = forms.ChoiceField(choices=time_zone_choices)
    choice = forms.ChoiceField(choices=[(SWITCH, SWITCH), (KEEP, KEEP)])


def follow_up_hour_choices() -> list[tuple[int, str]]:
    # A callable: the form's choices are then worded when a page shows them, in its language,
    # not once in English when the module is imported.
    return [(h, gettext("%(n)s hours later") % {"n": h}) for h in FOLLOW_UP_CHOICES]


class SettingsForm(forms.ModelForm):
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    follow_up_hours = forms.TypedMultipleChoiceField(
        label=_("After an encounter, ask how I am"),
        choices=follow_up_hour_choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Untick them all to be asked only right after."),
    )

    class Meta:
        model = Person
        fields = [
            "display_name",
            "pronouns",
            "time_zone",
            "country",
            "language",
            "quiet_hours_start",
            "quiet_hours_end",
            "follow_up_hours",
            "tell_automatically",
            "retention_months",
            "discreet_mode",
            "quick_exit_signs_out",
        ]
        widgets = {
            "display_name": forms.TextInput,
            "pronouns": forms.TextInput,
            "quiet_hours_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "quiet_hours_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        help_texts = {
            "display_name": _("Only you and the people you connect with see this."),
            "pronouns": _("Optional, for example they/them, she/her, he/him."),
            "country": _("Used to show helplines near you."),
            "quiet_hours_start": _("We hold reminders during your quiet hours."),
        }

    def clean_time_zone(self) -> str:
        value = self.cleaned_data["time_zone"]
        if known_time_zone(value) is None:
            raise forms.ValidationError(_("Please choose a time zone from the list."))
        return value


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("What is this token for?"),
        max_length=60,
        help_text=_("For example: my phone's shortcut, a backup script."),
    )

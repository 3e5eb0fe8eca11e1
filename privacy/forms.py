from django import forms
from django.utils.translation import gettext_lazy as _


class ConsentForm(forms.Form):
    adult = forms.BooleanField(
        label=_("I am 18 or over."),
        error_messages={
            "required": _("Soft Landing is for adults: please confirm you are 18 or over.")
        },
    )
    agree = forms.BooleanField(
        label=_("I agree that Soft Landing may keep and use what I tell it for these purposes."),
        error_messages={"required": _("Please tick this box to go on, or come back later.")},
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Your export file (.json)"),
        help_text=_("The JSON file you downloaded from another Soft Landing server."),
    )


class DeleteAccountForm(forms.Form):
    confirm = forms.CharField(
        label=_("To confirm, type DELETE"),
        max_length=20,
        help_text=_(
            "Everything goes, for good: your encounters, check-ins, profile and connections. "
            "Download your data first if you'd like to keep it."
        ),
    )

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip()
        if value.upper() != "DELETE":
            raise forms.ValidationError(_("Please type DELETE to confirm."))
        return value

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

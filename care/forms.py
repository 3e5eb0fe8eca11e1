from django import forms
from django.utils.translation import gettext_lazy as _

from care.models import CATEGORY_CHOICES, AftercareProfile


class ProfileWordsForm(forms.ModelForm):
    class Meta:
        model = AftercareProfile
        fields = [
            "time_needed",
            "drop_signs",
            "drop_helps",
            "self_care",
            "boundaries",
            "ask_again_if_fine",
            "next_day_checkin",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 2})
            for name in ["time_needed", "drop_signs", "drop_helps", "self_care", "boundaries"]
        }
        help_texts = {
            "time_needed": _("For example: a few minutes of quiet, or the rest of the evening."),
            "drop_signs": _("For example: I go quiet, I feel teary, I get snappy."),
            "drop_helps": _("Your drop plan: what to do, who to call, what to remember."),
            "self_care": _("Things that help when you're on your own."),
            "boundaries": _("Shown to partners you share your profile with."),
        }


class OwnItemForm(forms.Form):
    label = forms.CharField(label=_("Name"), max_length=80)
    category = forms.ChoiceField(label=_("Kind of care"), choices=CATEGORY_CHOICES)
    self_care = forms.BooleanField(label=_("I can do this for myself"), required=False)

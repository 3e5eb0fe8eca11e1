import secrets
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError


def apply_service(form, call):
    """Run a service call; its validation errors land on the form instead of a 500."""
    try:
        return call()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
        return None


class SubmittedOnceForm(forms.Form):
    """A form that carries a one-time key, so that a double tap or a resend creates one thing
    (see accounts/submissions.py). It stays the same while the form is shown again with
    messages: nothing was made yet."""

    submission = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["submission"] = secrets.token_urlsafe(18)

    def new_submission_key(self) -> None:
        """After the key was refused (sent before with other answers): sending again is new."""
        data = self.data.copy()  # type: ignore[attr-defined]  # a QueryDict on a page
        data[self.add_prefix("submission")] = secrets.token_urlsafe(18)
        self.data = data


def submitted_body(request) -> bytes:
    """What a form sent, without the parts that change from one page load to the next: two taps
    on one form send the same body."""
    fields = sorted(
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", "submission")
        for value in values
    )
    # The address counts too: the same answers sent to another follow-up are not a repeat.
    return request.path.encode() + b"\0" + urlencode(fields).encode()

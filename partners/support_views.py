from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partners import access, support
from partners.forms import SupportContactForm, SupportWhenForm
from partners.models import SupportContact
from privacy.access import consent_required


@login_required
def contacts(request, form=None, status=200):
    ctx = {
        "contacts": SupportContact.objects.filter(person=request.user).order_by("created_at"),
        "form": form or SupportContactForm(),
    }
    return render(request, "partners/support.html", ctx, status=status)


@login_required
@require_POST
@consent_required
def contact_add(request):
    form = SupportContactForm(request.POST)
    if form.is_valid():
        try:
            support.add_contact(request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Added. We sent them a short e-mail to confirm."))
            return redirect("partners:support")
    return contacts(request, form=form, status=400)


@login_required
@require_POST
def contact_update(request, code):
    contact = access.support_contact_for_owner(request, code)
    form = SupportWhenForm(request.POST)
    if form.is_valid():
        support.update_contact(contact, **form.cleaned_data)
        messages.success(request, _("Saved."))
    return redirect("partners:support")


@login_required
@require_POST
def contact_remove(request, code):
    support.remove_contact(access.support_contact_for_owner(request, code))
    messages.success(request, _("Removed. They will not hear from us."))
    return redirect("partners:support")


def verify(request, secret):
    contact = support.verify(secret)
    ctx = {"confirmed": contact is not None}
    return render(request, "partners/support_verify.html", ctx, status=200 if contact else 404)

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from consent.access import consent_required
from partners import access, support
from partners.forms import SupportContactForm, SupportWhenForm
from partners.models import SupportContact


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
@consent_required
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


# The contact has no account and no session: the secret in the link is the only key, so the
# confirming form needs no CSRF cookie. Confirming takes a button press (a POST), because
# mail scanners open links on their own.
@csrf_exempt
def verify(request, secret):
    if request.method == "POST":
        contact = support.verify(secret)
        ctx = {"confirmed": contact is not None}
        return render(request, "partners/support_verify.html", ctx, status=200 if contact else 404)
    if not support.is_waiting(secret):
        return render(request, "partners/support_verify.html", {"confirmed": False}, status=404)
    return render(request, "partners/support_verify.html", {"ask": True})

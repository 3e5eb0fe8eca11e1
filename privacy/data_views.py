"""Your data: download it, bring it from another server, delete your account; and the privacy
page. Downloading and deleting need a fresh sign-in."""

import json

from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from privacy import export, importer
from privacy.erasure import erase_person
from privacy.forms import DeleteAccountForm, ImportForm
from privacy.models import Export


def privacy_page(request):
    ctx = {"data_days": settings.BACKUP_KEEP_DAYS, "key_days": settings.KEY_BACKUP_KEEP_DAYS}
    return render(request, "privacy/privacy.html", ctx)


def _data_page(request, *, import_form=None, delete_form=None, status=200):
    ctx = {
        "exports": Export.objects.filter(person=request.user)[:3],
        "import_form": import_form or ImportForm(),
        "delete_form": delete_form or DeleteAccountForm(),
        "can_import": importer.is_fresh(request.user),
    }
    return render(request, "privacy/data.html", ctx, status=status)


@login_required
def data(request):
    return _data_page(request)


@login_required
@require_POST
@reauthentication_required
def export_request(request):
    export.request_export(request.user)
    messages.success(request, _("Your download is being prepared. It takes a moment."))
    return redirect("privacy:data")


def export_for_owner(request, code) -> Export:
    try:
        found = Export.objects.get(person=request.user, code=code)
    except (Export.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if found.expires_at is not None and found.expires_at < timezone.now():
        raise Http404
    return found


@login_required
def export_status(request, code):
    """The row of one export; the page asks again every few seconds while it is prepared."""
    found = export_for_owner(request, code)
    return render(request, "privacy/data.html#export-row", {"export": found})


@login_required
@reauthentication_required
def export_download(request, code, fmt):
    found = export_for_owner(request, code)
    if found.status != Export.Status.READY or fmt not in ("json", "csv"):
        raise Http404
    stamp = found.ready_at.strftime("%Y-%m-%d") if found.ready_at else "export"
    if fmt == "json":
        response = HttpResponse(found.document, content_type="application/json")
        name = f"softlanding-{stamp}.json"
    else:
        body = export.as_csv_zip(json.loads(found.document))
        response = HttpResponse(body, content_type="application/zip")
        name = f"softlanding-{stamp}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def import_upload(request):
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > importer.MAX_BYTES:
                raise ValidationError(_("This file is larger than any export we make."))
            document = importer.parse(upload.read())
            counts = importer.import_document(request.user, document)
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            e, c = counts["encounters"], counts["checkins"]
            moved = {
                "encounters": ngettext("%(n)s encounter", "%(n)s encounters", e) % {"n": e},
                "checkins": ngettext("%(n)s check-in", "%(n)s check-ins", c) % {"n": c},
            }
            messages.success(
                request, _("Welcome back. %(encounters)s and %(checkins)s came with you.") % moved
            )
            return redirect("privacy:data")
    return _data_page(request, import_form=form, status=400)


@login_required
@require_POST
@reauthentication_required
def delete_account(request):
    form = DeleteAccountForm(request.POST)
    if not form.is_valid():
        return _data_page(request, delete_form=form, status=400)
    person = request.user
    logout(request)
    erase_person(person)
    messages.info(request, _("Your account and everything in it are deleted. Take care."))
    response = redirect("home")
    # Nothing of theirs stays in this browser either (cached pages, storage).
    response["Clear-Site-Data"] = '"cache", "storage"'
    return response

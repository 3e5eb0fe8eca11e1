"""The API of exports, imports and deleting an account."""

import datetime as dt
import json
import uuid
from typing import TYPE_CHECKING, Literal, TypeAlias

from django.core.exceptions import RequestDataTooBig, ValidationError
from django.http import HttpResponse
from ninja import Router, Schema, Status

from accounts.access import require_recent_authentication
from lib.schemas import StrictSchema, one_of
from privacy import data_views, export, importer
from privacy.erasure import erase_person
from privacy.models import Export

exports_router = Router(tags=["your data"])
imports_router = Router(tags=["your data"])
deletion_router = Router(tags=["your data"])


if TYPE_CHECKING:
    ExportStatus: TypeAlias = str
else:
    ExportStatus = one_of(Export.Status.values)


class ExportOut(Schema):
    code: uuid.UUID
    status: ExportStatus
    created_at: dt.datetime
    ready_at: dt.datetime | None
    expires_at: dt.datetime | None


def _out(found: Export) -> dict:
    return {
        "code": found.code,
        "status": found.status,
        "created_at": found.created_at,
        "ready_at": found.ready_at,
        "expires_at": found.expires_at,
    }


@exports_router.post(
    "",
    response={202: ExportOut},
    summary="Prepare a download of everything about you",
    description="Built in the background; ask for it by its code until it is ready.",
)
def export_create(request):
    require_recent_authentication(request)
    return Status(202, _out(export.request_export(request.auth)))


@exports_router.get("/{code}", response=ExportOut, summary="One download, and whether it's ready")
def export_detail(request, code: uuid.UUID):
    return _out(data_views.export_for_owner(request, code))


@exports_router.get(
    "/{code}/download",
    response={200: None},
    summary="The download itself: JSON (the published schema) or a ZIP of CSV files",
)
def export_download(request, code: uuid.UUID, format: Literal["json", "csv"] = "json"):
    require_recent_authentication(request)
    found = data_views.export_for_owner(request, code)
    if found.status != Export.Status.READY:
        raise ValidationError("This download is still being prepared.")
    if format == "json":
        return HttpResponse(found.document, content_type="application/json")
    body = export.as_csv_zip(json.loads(found.document))
    return HttpResponse(body, content_type="application/zip")


class ImportOut(Schema):
    own_items: int
    encounters: int
    checkins: int
    followups: int


@imports_router.post(
    "",
    response={201: ImportOut},
    summary="Import an export from another server into this (new) account",
    description="The body is the JSON document of an export, as downloaded.",
    openapi_extra={
        "requestBody": {
            "content": {"application/json": {"schema": {"type": "object"}}},
            "required": True,
        }
    },
)
def import_create(request):
    try:
        body = request.body
    except RequestDataTooBig:
        raise ValidationError(
            "This export is larger than the API takes; import it on the “Your data” page."
        ) from None
    document = importer.parse(body)
    return Status(201, importer.import_document(request.auth, document))


class DeleteIn(StrictSchema):
    confirm: Literal["DELETE"]


@deletion_router.post(
    "/delete",
    response={204: None},
    summary="Delete your account and everything in it, for good",
)
def delete_me(request, payload: DeleteIn):
    require_recent_authentication(request)
    erase_person(request.auth)
    return Status(204, None)

"""Keep personal content out of logs and error reports.

Error reports (mailed to ADMINS) carry no request body and no local variables: a failing
check-in must not e-mail its answers. Log lines never carry the secrets that sit in some
paths (invite, guest and confirmation links still work while they are logged).
"""

import logging
import re

from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

SECRET_PATHS = re.compile(r"/(join|g|support/confirm)/[^/\s]+/")


class NoPersonalDataFilter(SafeExceptionReporterFilter):
    def get_post_parameters(self, request):
        return {} if request is None else {key: "[removed]" for key in request.POST}

    def get_traceback_frame_variables(self, request, tb_frame):
        return []

    def get_safe_request_meta(self, request):
        meta = super().get_safe_request_meta(request)
        return {
            key: redact(str(value)) if isinstance(value, str) else value
            for key, value in meta.items()
        }


def redact(text: str) -> str:
    return SECRET_PATHS.sub(lambda m: f"/{m.group(1)}/[secret]/", text)


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


class NoPersonalDataReporter(ExceptionReporter):
    """Error reports name the signed-in person by id: ``str(person)`` is their display name."""

    def get_traceback_data(self):
        data = super().get_traceback_data()
        if data.get("user_str") is not None:
            user = getattr(self.request, "user", None)
            pk = getattr(user, "pk", None)
            data["user_str"] = f"person {pk}" if pk is not None else "anonymous"
        return data


class NoTemplateContext(logging.Filter):
    """A variable a template could not find is logged (at DEBUG) with an exception whose
    message is the whole context: names, care items, whatever the page shows. Keep the line,
    drop the exception."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info, record.exc_text = None, None
        return True

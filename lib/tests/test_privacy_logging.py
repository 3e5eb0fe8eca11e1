import logging

from django.test import RequestFactory

from lib.privacy_logging import NoPersonalDataFilter, RedactSecrets


def test_error_reports_carry_no_body_and_no_local_variables():
    request = RequestFactory().post("/encounters/x/checkin/", {"not_right": "CANARY-body"})
    reporter = NoPersonalDataFilter()
    assert "CANARY-body" not in str(reporter.get_post_parameters(request))
    assert reporter.get_traceback_frame_variables(request, None) == []


def test_secrets_in_paths_are_not_logged():
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Not Found: %s",
        ("/g/AbCdEf123secret/",),
        None,
    )
    RedactSecrets().filter(record)
    assert "AbCdEf123secret" not in record.getMessage()
    assert "/g/[secret]/" in record.getMessage()

"""Our own deployment checks, run by `manage.py check --deploy`."""

import stat

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def softlanding_deploy_checks(app_configs, **kwargs):
    problems: list[CheckMessage] = []
    if not settings.SECURE_CSP or "default-src" not in settings.SECURE_CSP:
        problems.append(Error("SECURE_CSP must set default-src.", id="softlanding.E001"))
    if "Argon2" not in settings.PASSWORD_HASHERS[0]:
        problems.append(Error("Argon2 must be the first password hasher.", id="softlanding.E002"))
    if "locmem" in settings.CACHES["default"]["BACKEND"]:
        problems.append(
            Error(
                "The cache must be shared by all processes (database or Redis).",
                id="softlanding.E003",
            )
        )
    # Django's own check (mail.E001) knows only its console backend, not our readable one.
    if settings.MAILERS["default"]["BACKEND"] == "notify.console.EmailBackend":
        problems.append(
            Error(
                "E-mail is only printed to the console: set EMAIL_HOST, or nobody can confirm "
                "an address or reset a password.",
                id="softlanding.E004",
            )
        )
    mode = stat.S_IMODE(settings.SOFTLANDING_KEK_FILE.stat().st_mode)
    if mode & 0o077:
        problems.append(
            Warning(
                f"The key file {settings.SOFTLANDING_KEK_FILE} is readable by others "
                f"(mode {mode:o}); chmod 600 it.",
                id="softlanding.W001",
            )
        )
    if not settings.HTTPS:
        problems.append(
            Warning(
                "SOFTLANDING_HTTPS is off: cookies are not marked secure and HSTS is not "
                "sent. Serve over HTTPS and turn it on.",
                id="softlanding.W002",
            )
        )
    return problems

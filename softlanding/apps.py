from django.apps import AppConfig


class SoftLandingConfig(AppConfig):
    name = "softlanding"
    verbose_name = "Soft Landing"

    def ready(self) -> None:
        from softlanding import checks  # noqa: F401 - registers the deployment checks

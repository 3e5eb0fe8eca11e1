from importlib import import_module

from django.apps import AppConfig


class SoftLandingConfig(AppConfig):
    name = "softlanding"
    verbose_name = "Soft Landing"

    def ready(self) -> None:
        import_module("softlanding.checks")  # registers the deployment checks

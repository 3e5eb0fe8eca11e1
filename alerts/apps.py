from importlib import import_module

from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = "Alerts and nudges"

    def ready(self) -> None:
        # Receivers need the models, which are loaded only now.
        import_module("alerts.receivers")

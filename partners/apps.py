from importlib import import_module

from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = "Partners"

    def ready(self) -> None:
        # Receivers need the models, which are loaded only now.
        import_module("partners.receivers")

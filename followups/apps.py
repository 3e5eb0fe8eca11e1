from importlib import import_module

from django.apps import AppConfig


class FollowupsConfig(AppConfig):
    name = "followups"
    verbose_name = "Follow-ups"

    def ready(self) -> None:
        # Receivers need the models, which are loaded only now.
        import_module("followups.receivers")

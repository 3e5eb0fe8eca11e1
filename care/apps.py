from importlib import import_module

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CareConfig(AppConfig):
    name = "care"
    verbose_name = "Care"

    def ready(self) -> None:
        # The built-in catalogue is data in care/catalogue.py; every migrate brings the table
        # in line with it (new items appear, retired ones disappear from forms). The receiver
        # needs the models, which are loaded only now.
        receivers = import_module("care.receivers")
        post_migrate.connect(receivers.sync_after_migrate, sender=self)

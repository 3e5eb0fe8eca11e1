from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_catalogue(sender, using="default", **kwargs):
    if using != "default":
        return
    from care.services import sync_catalogue

    sync_catalogue()


class CareConfig(AppConfig):
    name = "care"
    verbose_name = "Care"

    def ready(self) -> None:
        # The built-in catalogue is data in care/catalogue.py; every migrate brings the table
        # in line with it (new items appear, retired ones disappear from forms).
        post_migrate.connect(_sync_catalogue, sender=self)

"""The catalogue kept in line with care/catalogue.py (connected by CareConfig.ready)."""

from care.services import sync_catalogue


def sync_after_migrate(sender, using="default", **kwargs):
    if using != "default":
        return
    sync_catalogue()

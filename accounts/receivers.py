"""A person saved or deleted drops their cached copy (accounts/backends.py), so a password
change, deactivation or erasure counts from the next request."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts import backends
from accounts.models import Person


@receiver(post_save, sender=Person, dispatch_uid="forget_cached_person_on_save")
def forget_on_save(sender, instance, **kwargs):
    backends.forget(instance.pk)


@receiver(post_delete, sender=Person, dispatch_uid="forget_cached_person_on_delete")
def forget_on_delete(sender, instance, **kwargs):
    backends.forget(instance.pk)

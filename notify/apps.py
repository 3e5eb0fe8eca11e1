from django.apps import AppConfig

from partners.signals import guest_answered


class NotifyConfig(AppConfig):
    name = "notify"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # Only here can the services (and through them the models) be imported: app configs
        # are loaded before any model.
        from notify import services

        guest_answered.connect(services.tell_about_guest_answer, dispatch_uid="notify-guest")

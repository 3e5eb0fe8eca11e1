from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # Connects the receivers that drop a cached person when they change.
        from accounts import backends  # noqa: F401

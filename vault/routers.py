KEY_STORE = "keys"


class KeyStoreRouter:
    """Data keys live in the ``keys`` database; everything else in ``default``."""

    def db_for_read(self, model, **hints):
        return KEY_STORE if model._meta.app_label == "vault" else "default"

    db_for_write = db_for_read

    def allow_relation(self, obj1, obj2, **hints):
        return obj1._meta.app_label != "vault" and obj2._meta.app_label != "vault"

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return (app_label == "vault") == (db == KEY_STORE)

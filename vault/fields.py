"""A text field stored encrypted under its owner's data key.

The column holds ciphertext only. Reading the attribute opens it (failing closed with
DecryptionError); assigning stores plaintext in memory until save seals it. Queries that
bypass save (``QuerySet.update(note="…")``) are refused rather than writing plaintext.

The owner is the foreign key named by ``owner``; ``owner=OWN_ROW`` seals a person's own row
under their own key, so such a row needs its id (a first save) before any text is sealed.
"""

from django.core.validators import MaxLengthValidator
from django.db import models

from vault import services

OWN_ROW = "self"


class Sealed(str):
    """Ciphertext exactly as it is stored."""


class _EncryptedAttribute:
    def __init__(self, field: "EncryptedTextField") -> None:
        self.field = field
        self.plain_key = f"_plain_{field.attname}"

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        if self.plain_key in instance.__dict__:
            return instance.__dict__[self.plain_key]
        raw = instance.__dict__.get(self.field.attname)
        if isinstance(raw, Sealed):
            value = self.field.open(instance, raw)
            instance.__dict__[self.plain_key] = value
            return value
        return raw

    def __set__(self, instance, value) -> None:
        instance.__dict__.pop(self.plain_key, None)
        instance.__dict__[self.field.attname] = value


class EncryptedTextField(models.TextField):
    def __init__(self, *args, owner: str = "person", **kwargs) -> None:
        self.owner = owner
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            # A TextField's max_length only shapes its form field; hold the model to it too.
            self.validators.append(MaxLengthValidator(self.max_length))

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["owner"] = self.owner
        return name, path, args, kwargs

    def contribute_to_class(self, cls, name, private_only=False):
        super().contribute_to_class(cls, name, private_only=private_only)
        setattr(cls, self.attname, _EncryptedAttribute(self))

    @property
    def label(self) -> str:
        return f"{self.model._meta.label_lower}.{self.name}"

    def owner_id(self, instance) -> int:
        owner_id = instance.pk if self.owner == OWN_ROW else getattr(instance, f"{self.owner}_id")
        if owner_id is None:
            raise ValueError(f"{self.label} needs its owner set before it is saved")
        return owner_id

    def open(self, instance, sealed: "Sealed") -> str:
        if sealed == "":
            return ""
        return services.decrypt(self.owner_id(instance), self.label, sealed)

    def from_db_value(self, value, expression, connection):
        return None if value is None else Sealed(value)

    def pre_save(self, model_instance, add):
        raw = model_instance.__dict__.get(self.attname)
        if raw is None or isinstance(raw, Sealed):
            return raw
        plaintext = str(raw)
        sealed = Sealed(
            services.encrypt(self.owner_id(model_instance), self.label, plaintext)
            if plaintext
            else ""
        )
        model_instance.__dict__[self.attname] = sealed
        model_instance.__dict__[f"_plain_{self.attname}"] = plaintext
        return sealed

    def get_prep_value(self, value):
        if value is None or value == "" or isinstance(value, Sealed):
            return value
        raise TypeError(f"{self.label} is encrypted: assign it and call save()")

    def value_to_string(self, obj):
        return self.value_from_object(obj)

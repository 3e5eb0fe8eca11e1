"""Display names, pronouns and token names were stored in clear; seal them in place.

Reversible: going back opens them again. Both directions need the key store (the ``keys``
database and the key file), as every encrypted field does.
"""

from django.db import migrations

import vault.fields
from vault import services as keys
from vault.fields import Sealed

# (model, field, the column naming the owner whose key seals it)
TYPED_TEXT = [
    ("person", "display_name", "id"),
    ("person", "pronouns", "id"),
    ("accesstoken", "name", "person_id"),
]


def _convert(apps, convert) -> None:
    for model_name, field, owner in TYPED_TEXT:
        model = apps.get_model("accounts", model_name)
        label = f"accounts.{model_name}.{field}"
        rows = model.objects.exclude(**{field: ""}).values_list("pk", owner, field)
        for pk, owner_id, value in rows.iterator():
            model.objects.filter(pk=pk).update(
                **{field: Sealed(convert(owner_id, label, str(value)))}
            )


def seal(apps, schema_editor) -> None:
    _convert(apps, keys.encrypt)


def open_again(apps, schema_editor) -> None:
    _convert(apps, keys.decrypt)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_submission_keys"),
    ]

    operations = [
        migrations.AlterField(
            model_name="accesstoken",
            name="name",
            field=vault.fields.EncryptedTextField(
                blank=True, default="", max_length=60, owner="person", verbose_name="name"
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="display_name",
            field=vault.fields.EncryptedTextField(
                blank=True,
                default="",
                max_length=60,
                owner="self",
                verbose_name="what should we call you?",
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="pronouns",
            field=vault.fields.EncryptedTextField(
                blank=True, default="", max_length=40, owner="self", verbose_name="pronouns"
            ),
        ),
        migrations.RunPython(seal, open_again),
    ]

import uuid

from django.db import models


class DataKey(models.Model):
    """One person's data key, wrapped by the key-encryption key.

    Stored in the ``keys`` database. There is no foreign key to the person: the two live in
    different databases, and deleting this row is what makes a person's data unreadable
    everywhere, backups of the data included. Owner 0 is the instance itself (MFA secrets).
    """

    owner_id = models.BigIntegerField(unique=True)
    key_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kek_id = models.CharField(max_length=16)
    wrapped = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"data key of owner {self.owner_id}"


class ErasedOwner(models.Model):
    """A person who deleted their account, remembered in the key store (which is backed up
    with a short retention). If an older backup of the data is ever restored, their rows come
    back without a key, unreadable; this record is how the app knows to remove them again.
    The code is kept too, so that a new account that happens to get the same id is safe."""

    owner_id = models.BigIntegerField(db_index=True)
    owner_code = models.UUIDField()
    erased_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner_id", "owner_code"], name="erased_once")
        ]

    def __str__(self) -> str:
        return f"erased owner {self.owner_id}"

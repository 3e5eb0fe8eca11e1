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

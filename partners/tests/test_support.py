import re

from django.core import mail
from django.urls import reverse

from partners import support
from partners.models import SupportContact
from softlanding.testing import DB

pytestmark = DB


def test_a_contact_confirms_through_a_content_free_email(client, alice):
    contact = support.add_contact(alice, name="Jo", email="jo@example.org", may_tell="ask_me")
    support.send_verification.call(contact.pk)
    message = mail.outbox[-1]
    assert message.to == ["jo@example.org"]
    # Words, not the random link (which may spell anything).
    text = re.sub(r"https?://\S+", "", message.subject + message.body).lower()
    for word in ("sex", "play", "drop", "feel", "aftercare", "alice"):
        assert word not in text, word
    link = re.search(r"/support/confirm/[^\s]+/", message.body).group(0)
    assert client.get(link).status_code == 200
    contact.refresh_from_db()
    assert contact.verified_at is None  # opening the link (a mail scanner) confirms nothing
    assert client.post(link).status_code == 200
    contact.refresh_from_db()
    assert contact.verified_at is not None
    assert client.post(link).status_code == 404


def test_adding_a_contact_enqueues_its_id_only(alice):
    from django_tasks_db.models import DBTaskResult

    contact = support.add_contact(alice, name="Jo", email="jo@example.org", may_tell="automatic")
    row = DBTaskResult.objects.get()
    assert row.args_kwargs == {"args": [contact.pk], "kwargs": {}}
    assert "jo@example.org" not in str(row.__dict__)


def test_bad_input_rerenders_with_messages(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("partners:support_add"),
        {"name": "Jo", "email": "not an address", "may_tell": "ask_me"},
    )
    assert response.status_code == 400
    assert "Jo" in response.content.decode()
    assert not SupportContact.objects.exists()


def test_only_the_owner_sees_their_contacts(client, alice, bob):
    support.add_contact(alice, name="Jo", email="jo@example.org", may_tell="ask_me")
    client.force_login(bob)
    assert "Jo" not in client.get(reverse("partners:support")).content.decode()

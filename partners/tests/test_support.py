import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from partners import support
from partners.models import SupportContact
from softlanding.far_ends import Sink
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
    # A name no random token on the page (the CSRF token) could hold by chance.
    support.add_contact(alice, name="Jo Quill", email="jo@example.org", may_tell="ask_me")
    client.force_login(bob)
    page = client.get(reverse("partners:support")).content.decode()
    assert "Jo Quill" not in page and "jo@example.org" not in page


def test_a_contact_by_notification_url_gets_a_content_free_confirmation(alice, sink, settings):
    settings.NOTIFY_ALLOW_PRIVATE_HOSTS = True  # the local sink stands in for a public server
    contact = support.add_contact(alice, name="Jo", notify_url=sink, may_tell="automatic")
    support.send_verification.call(contact.pk)
    assert len(Sink.received) == 1
    body = re.sub(r"https?://\S+", "", Sink.received[0]).lower()
    assert "/support/confirm/" in Sink.received[0]
    for word in ("sex", "drop", "feel", "aftercare", "alice"):
        assert word not in body, word


def test_a_notification_url_to_a_private_address_is_refused(alice):
    with pytest.raises(ValidationError) as error:
        support.add_contact(
            alice, name="Jo", notify_url="json://127.0.0.1:9/hook", may_tell="ask_me"
        )
    assert "private or local" in str(error.value)
    with pytest.raises(ValidationError):
        support.add_contact(
            alice, name="Jo", notify_url="jsons://169.254.169.254/x", may_tell="ask_me"
        )
    assert not SupportContact.objects.exists()


def test_exactly_one_way_to_reach_them(alice):
    with pytest.raises(ValidationError):
        support.add_contact(alice, name="Jo", may_tell="ask_me")
    with pytest.raises(ValidationError):
        support.add_contact(
            alice, name="Jo", email="jo@example.org", notify_url="tgram://1:A/2", may_tell="ask_me"
        )


def test_the_confirmation_link_uses_the_address_the_server_is_reached_on(alice, settings):
    settings.SITE_URL = "http://127.0.0.1:8201"
    contact = support.add_contact(alice, name="Jo", email="jo@example.org", may_tell="ask_me")
    support.send_verification.call(contact.pk)
    links = re.findall(r"https?://\S+", mail.outbox[-1].body)
    assert any(link.startswith("http://127.0.0.1:8201/support/confirm/") for link in links)
    assert all(link.startswith("http://127.0.0.1:8201/") for link in links)

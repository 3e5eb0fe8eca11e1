"""`make run`'s console e-mail reads like a letter: decoded headers, the text part alone, every
link on a line of its own."""

import io

from django.core.mail import EmailMultiAlternatives

from lib import emails
from notify.console import EmailBackend, links_alone

LONG = "Zoë " * 40  # non-ASCII and long: sent as quoted-printable or base64


def printed(message: EmailMultiAlternatives) -> str:
    stream = io.StringIO()
    assert EmailBackend(stream=stream).send_messages([message]) == 1
    return stream.getvalue()


def test_an_email_is_printed_decoded_with_its_text_part_only():
    message = EmailMultiAlternatives(
        "[Notes] Ça va ? Une note pour Zoë",
        f"Hello,\n\n{LONG}\n\nOpen it: http://127.0.0.1:8000/inbox/1/ when you like.\n",
        "Notes <noreply@localhost>",
        ["zoë@example.org"],
    )
    message.attach_alternative("<p>Hello, <b>Zoë</b></p>", "text/html")
    out = printed(message)
    assert "Subject: [Notes] Ça va ? Une note pour Zoë\n" in out
    assert "From: Notes <noreply@localhost>\n" in out
    assert "To: zoë@example.org\n" in out
    assert LONG.strip() in out
    for encoded in ("=?utf-8?", "=C3", "base64", "Content-Transfer-Encoding", "<p>", "boundary"):
        assert encoded not in out
    assert "\nOpen it:\nhttp://127.0.0.1:8000/inbox/1/\nwhen you like.\n" in out
    assert out.rstrip().endswith("-" * 79)


def test_our_own_emails_print_with_each_link_alone():
    made = emails.render(
        "notify/email/test",
        {"kind": "test", "channels_url": "http://127.0.0.1:8000/settings/channels/"},
        language="en",
    )
    out = printed(made.to("jo@example.org"))
    lines = out.splitlines()
    assert "http://127.0.0.1:8000/settings/channels/" in lines
    assert "http://127.0.0.1:8000/" in lines
    assert "Take care," in lines


def test_links_are_lifted_out_of_sentences_without_their_full_stop():
    text = (
        "See https://a.example/x. Or (https://b.example/y), then stop.\nhttps://c.example/\n\nEnd"
    )
    assert links_alone(text) == (
        "See\nhttps://a.example/x\n. Or (\nhttps://b.example/y\n), then stop.\n"
        "https://c.example/\n\nEnd"
    )

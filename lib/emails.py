"""Every e-mail the server sends is made here and sent from here: allauth's (sign-up, password,
address changes), the notifications of notify's channels, and the notes to support contacts.

An e-mail is three templates of one name, as allauth names them: `<name>_subject.txt`,
`<name>_message.txt` and `<name>_message.html`, the HTML ones extending `email/base.html`. It
goes out as multipart/alternative, in the recipient's language and, when they wear discreet
mode, in its words and under its neutral name — which also leads the subject, so a glance at a
list of mail shows whose it is and nothing more.

Links are on SITE_URL, never on the host a request came in on: most e-mails are sent by a worker
that has no request, and one rule for all keeps a reset link from following a forged Host header.
"""

import re
from dataclasses import dataclass
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, Engine
from django.template.loader import render_to_string

from lib import discreet

# Tells auto-responders (holiday replies) not to answer: nobody reads the sender's box.
HEADERS = {"Auto-Submitted": "auto-generated"}


@dataclass(frozen=True)
class Email:
    subject: str
    text: str
    html: str
    from_email: str = ""

    def to(self, address: str) -> EmailMultiAlternatives:
        message = EmailMultiAlternatives(
            self.subject, self.text, self.from_email or None, [address], headers=HEADERS
        )
        message.attach_alternative(self.html, "text/html")
        return message


def render(name: str, context: dict, *, language: str, discreet_words: bool = False) -> Email:
    """The e-mail `name`, in `language`, in discreet words if the recipient chose them."""
    with discreet.speaking(language, discreet=discreet_words):
        sender = discreet.instance_name(discreet_words)
        context = {
            **context,
            "instance_name": sender,
            "site_url": settings.SITE_URL,
            "language": language,
        }
        subject = " ".join(_plain(f"{name}_subject.txt", context).split())
        return Email(
            subject=f"[{sender}] {subject}",
            text=_tidy(_plain(f"{name}_message.txt", context)),
            html=render_to_string(f"{name}_message.html", context).strip(),
            from_email=_from(sender),
        )


def send(email: Email, address: str) -> None:
    """Raises what the mail backend raises (smtplib's errors, OSError): the caller decides."""
    email.to(address).send()


def _from(name: str) -> str:
    """The operator's sender address (DEFAULT_FROM_EMAIL) under the name the e-mail signs
    with: a mail app shows the sender's name first, before the subject, so in discreet mode it
    must be the neutral one too."""
    return formataddr((name, parseaddr(settings.DEFAULT_FROM_EMAIL)[1]))


def _plain(template_name: str, context: dict) -> str:
    # Plain text is not HTML: "it's" must not arrive as "it&#x27;s".
    template = Engine.get_default().get_template(template_name)
    return template.render(Context(context, autoescape=False))


def _tidy(text: str) -> str:
    """Template tags leave blank lines and trailing spaces behind; a paragraph break stays one."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"

"""E-mail printed to the terminal (`make run` without a mail server), for a person to read and
follow: the headers decoded, the text part alone (no quoted-printable, no base64, no HTML), and
each link on a line of its own, so that a terminal can open it and nothing runs into it."""

import re
from email import policy
from email.parser import BytesParser

from django.core.mail.backends import console

HEADERS = ("Date", "From", "To", "Subject")
LINK = re.compile(r"https?://[^\s<>\"']+")
# Punctuation that ends a sentence rather than a link.
TRAILING = ".,;:!?)"


class EmailBackend(console.EmailBackend):
    def write_message(self, message) -> None:
        parsed = BytesParser(policy=policy.default).parsebytes(message.message().as_bytes())
        lines = [f"{name}: {parsed[name]}" for name in HEADERS if parsed[name]]
        text_part = parsed.get_body(preferencelist=("plain",))
        text = text_part.get_content() if text_part is not None else ""
        self.stream.write("\n".join(lines) + "\n\n" + links_alone(text).strip() + "\n")
        self.stream.write("-" * 79 + "\n")


def links_alone(text: str) -> str:
    """The text with every link moved onto a line of its own."""
    out: list[str] = []
    for line in text.splitlines():
        if not LINK.search(line):
            out.append(line)
            continue
        rest = line
        for match in LINK.finditer(line):
            link = match.group(0).rstrip(TRAILING)
            before, _, rest = rest.partition(link)
            if before.strip():
                out.append(before.rstrip())
            out.append(link)
        if rest.strip():
            out.append(rest.strip())
    return "\n".join(out)

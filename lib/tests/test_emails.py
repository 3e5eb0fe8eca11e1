"""One way to make an e-mail: three templates, a subject led by the name it signs with, plain
text that is not HTML-escaped, and the recipient's discreet words."""

from lib import emails

CONTEXT = {"password_reset_url": "http://127.0.0.1:8000/accounts/password/reset/"}


def test_an_email_has_a_subject_led_by_the_name_and_text_that_is_not_escaped(settings):
    settings.INSTANCE_NAME = "Notebook"
    settings.DEFAULT_FROM_EMAIL = "Server <noreply@example.org>"
    made = emails.render("account/email/account_already_exists", CONTEXT, language="en")
    assert made.subject == "[Notebook] About your sign-up"
    assert "you've forgotten" in made.text and "&#x27;" not in made.text
    assert "\n\n\n" not in made.text and made.text.endswith("\n")
    assert made.html.startswith("<!DOCTYPE html>") and 'lang="en"' in made.html
    assert made.from_email == "Notebook <noreply@example.org>"
    message = made.to("jo@example.org")
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert message.alternatives[0][1] == "text/html"


def test_discreet_words_change_the_name_the_subject_and_the_sender(settings):
    settings.INSTANCE_NAME = "Soft Landing Aftercare"
    made = emails.render(
        "account/email/account_already_exists", CONTEXT, language="en", discreet_words=True
    )
    assert made.subject == "[Notes] About your sign-up"
    assert made.from_email.startswith("Notes <")
    assert "Aftercare" not in made.text + made.html + made.from_email

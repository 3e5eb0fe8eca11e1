"""`manage.py invite`: a sign-up link for one new person, for instances with SIGNUP=invite."""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts import signup
from lib.links import site_link


class Command(BaseCommand):
    help = (
        "Print a sign-up link that lets one person make an account, also where sign-up is "
        "by invitation only (SIGNUP=invite). It works once, until it expires. Only a hash of "
        "it is stored: send it yourself, by a way the person trusts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=signup.LINK_LIFETIME.days,
            help=f"Days until the link expires (default {signup.LINK_LIFETIME.days}).",
        )

    def handle(self, *args, days: int, **options):
        if not 1 <= days <= 90:
            raise CommandError("--days must be between 1 and 90.")
        if settings.SIGNUP == "closed":
            raise CommandError("Sign-up is closed (SIGNUP=closed): a link would open nothing.")
        link, secret = signup.create_link(dt.timedelta(days=days))
        expires = timezone.localtime(link.expires_at).strftime("%Y-%m-%d %H:%M %Z")
        self.stdout.write(site_link("accounts:signup_link", secret))
        self.stdout.write(f"It works once, until {expires}.")

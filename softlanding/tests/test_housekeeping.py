import datetime as dt

import time_machine
from django.core.management import call_command
from django.utils import timezone

from partners import guests
from partners.models import GuestLink
from softlanding.testing import DB

pytestmark = DB


def test_one_pass_deletes_guest_rows_older_than_30_days(alice):
    _old, secret = guests.create_link(alice)
    guests.answer(secret, feeling=5, message="thanks", wants_to_hear_back=False)
    with time_machine.travel(timezone.now() + dt.timedelta(days=31)):
        guests.create_link(alice)
        call_command("housekeeping", "--once")
    assert GuestLink.objects.count() == 1

"""Unique canary strings written through every encrypted field never reach the database in
clear: not in the SQLite file, not in a pg_dump. And every text column of our own models is
either encrypted or on the short list below of columns nobody types into."""

import datetime as dt

from django.utils import timezone

from accounts import services as accounts
from care import services as care
from checkins import services as checkins
from notify import services as channels
from partners import guests, support, wishes
from partners import services as partners
from privacy import export
from softlanding.canary import (
    NOT_TYPED,
    encrypted_fields,
    our_models,
    plain_text_fields,
    raw_database_bytes,
)
from softlanding.testing import TRANSACTIONAL_DB, make_person

pytestmark = TRANSACTIONAL_DB


def test_every_text_column_a_person_can_type_into_is_encrypted():
    assert plain_text_fields() == set(NOT_TYPED)


def test_the_walk_finds_the_apps_own_models():
    # Without this, a walk that found nothing would pass the test above with an empty list.
    labels = {model._meta.label for model in our_models()}
    assert {"accounts.Person", "checkins.CheckIn", "vault.DataKey"} <= labels
    assert "account.EmailAddress" not in labels


def test_no_canary_in_the_raw_database():
    canaries: dict[str, str] = {}

    def canary(label: str) -> str:
        canaries[label] = f"CANARY{len(canaries):02d}-{label}-7d1f"
        return canaries[label]

    person = make_person("Canary")
    accounts.update_settings(
        person,
        display_name=canary("accounts.Person.display_name"),
        pronouns=canary("accounts.Person.pronouns"),
    )
    accounts.create_token(person, canary("accounts.AccessToken.name"))

    care.add_own_item(person, category="body", label=canary("care.CareItem.own_label"))
    care.update_profile(
        person,
        **{name: canary(f"care.AftercareProfile.{name}") for name in care.PROFILE_TEXT_FIELDS},
    )
    encounter = checkins.log_encounter(
        person,
        occurred_at=timezone.now() - dt.timedelta(hours=1),
        kind="casual",
        note=canary("checkins.Encounter.note"),
    )
    checkins.add_checkin(
        person,
        encounter,
        pleasantness=3,
        **{name: canary(f"checkins.CheckIn.{name}") for name in checkins.TEXT_FIELDS},
    )

    partner = make_person("Partner")
    _invite, secret = partners.create_invite(person, nickname=canary("partners.Invite.nickname"))
    connection = partners.accept_invite(partner, secret, nickname="P")
    partners.update_side(
        partners.side_of(connection, person), nickname=canary("partners.ConnectionSide.nickname")
    )

    _link, guest_secret = guests.create_link(person, nickname=canary("partners.GuestLink.nickname"))
    guests.answer(
        guest_secret,
        feeling=4,
        message=canary("partners.GuestAnswer.message"),
        wants_to_hear_back=True,
    )

    wishes.add_wish(connection, person, text=canary("partners.Wish.text"), shared=True)

    support.add_contact(
        person,
        name=canary("partners.SupportContact.name"),
        email=canary("partners.SupportContact.email") + "@example.org",
        may_tell="ask_me",
    )
    support.add_contact(
        person,
        name="Jo",
        may_tell="ask_me",
        notify_url="tgram://123456:ABC/" + canary("partners.SupportContact.notify_url"),
    )

    channels.add_channel(
        person,
        kind="apprise",
        target="tgram://123456:ABC/" + canary("notify.Channel.target"),
        label=canary("notify.Channel.label")[:60],
    )

    # The download holds every canary above, sealed as one document.
    ready = export.request_export(person)
    export.build_export.call(ready.pk)
    canaries["privacy.Export.document"] = canaries["checkins.Encounter.note"]

    # A new encrypted field fails here until this test writes a canary through it.
    assert set(canaries) == encrypted_fields()

    raw = raw_database_bytes("default")
    assert b"checkins_checkin" in raw
    for value in canaries.values():
        assert value.encode() not in raw, value
        assert value.encode("utf-16-le") not in raw, value

"""Export, import, deletion and retention. The model walks at the top fail when a model that
is linked to a person is added without being exported and deleted."""

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tasks_db.models import DBTaskResult
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Person
from accounts.services import create_token
from alerts import dropwatch, nudges
from care import services as care
from care.models import CareItem
from checkins import services as checkins
from notify import services as notify
from partners import guests, support, wishes
from partners.models import SHAREABLE_ANSWERS
from privacy import export, importer
from privacy.erasure import erase_person
from privacy.export_schema import ExportDocument, json_schema
from privacy.retention import apply_retention
from softlanding.management.commands import housekeeping
from softlanding.testing import DB, make_connection, make_person, sign_in
from vault.models import ErasedOwner
from vault.services import has_key

pytestmark = DB
PERSON = "accounts.Person"

# Every model that can hold something of a person's, and the part of the export it is in.
# "-" marks what is deliberately not exported, with why.
INVENTORY = {
    "accounts.Person": "person",
    "accounts.AccessToken": "access_tokens",
    "accounts.SubmissionKey": "- hashes of one-time form keys, gone after a day; nothing you wrote",
    "consent.Consent": "consents",
    "privacy.Export": "- a download of the export itself",
    "care.AftercareProfile": "profile",
    "care.CareItem": "own_items",
    "care.Preference": "preferences",
    "checkins.Encounter": "encounters",
    "checkins.CheckIn": "checkins",
    "followups.FollowUp": "followups",
    "followups.FollowUpEvent": "followups",
    "followups.AnswerToken": "- hashes of one-time answer links we sent; nothing you wrote",
    "alerts.Alert": "alerts",
    "alerts.AlertRecipient": "alerts",
    "partners.Invite": "- an open invite is a secret to give away, not data about you",
    "partners.Connection": "connections",
    "partners.ConnectionSide": "connections",
    "partners.Wish": "wishes",
    "partners.GuestLink": "guest_links",
    "partners.GuestAnswer": "guest_links",
    "partners.SupportContact": "support_contacts",
    "alerts.Nudge": "nudges",
    "notify.Channel": "channels",
    "notify.Notification": "notifications",
    "notify.Delivery": "deliveries",
    "account.EmailAddress": "- the account's e-mail address, exported in person",
    "account.EmailConfirmation": "- a pending confirmation link",
    "mfa.Authenticator": "- two-step sign-in secrets stay on this server",
    "usersessions.UserSession": "- signed-in sessions of this server",
    "admin.LogEntry": "- not used",
}


def linked_to_person() -> set[str]:
    """Labels of every model with a chain of foreign keys that ends at Person."""
    linked = {PERSON}
    changed = True
    while changed:
        changed = False
        for model in apps.get_models():
            label = model._meta.label
            if label in linked:
                continue
            for field in model._meta.get_fields():
                target = getattr(field, "related_model", None)
                concrete = isinstance(field, models.ForeignKey | models.OneToOneField)
                if concrete and target is not None and target._meta.label in linked:
                    linked.add(label)
                    changed = True
                    break
    return linked


def test_every_model_linked_to_a_person_is_in_the_inventory():
    assert linked_to_person() - {"auth.Permission"} <= set(INVENTORY), (
        "A model linked to a person is neither exported nor explained: add it to the export "
        "(privacy/export.py) and to INVENTORY."
    )


def test_every_exported_part_is_in_the_schema():
    parts = {v for v in INVENTORY.values() if not v.startswith("-")}
    assert parts <= set(ExportDocument.model_fields)


def test_the_published_schema_is_current():
    published = Path(__file__).resolve().parents[2] / "docs" / "export-schema.json"
    assert json.loads(published.read_text()) == json.loads(json.dumps(json_schema())), (
        "Regenerate docs/export-schema.json: "
        "python -c 'from privacy.export_schema import json_schema; ...'"
    )


def signed_in(person):
    client = Client()
    sign_in(client, person)
    return client


def a_full_history(alice, bob):
    """Something of alice's in every model of the inventory."""
    connection = make_connection(alice, bob)
    connection.sides.update(
        share_drop_alerts=True,
        share_profile=True,
        share_checkins=True,
        shared_answers=[key for key, _label in SHAREABLE_ANSWERS],
    )
    water = CareItem.objects.get(key="water")
    own = care.add_own_item(alice, category="body", label="my tea")
    care.set_preference(alice, water, receive="yes", give="maybe")
    care.set_preference(alice, own, receive="yes")
    care.update_profile(alice, drop_helps="a walk", boundaries="no tickling")
    care.complete_profile(alice)
    encounter = checkins.log_encounter(
        alice,
        occurred_at=timezone.now() - dt.timedelta(hours=4),
        kind="partnered",
        note="secret note",
        care_acts=[water, own],
        connections=[connection],
    )
    checkin = checkins.add_checkin(
        alice,
        encounter,
        pleasantness=1,
        feelings=["tearful"],
        need_now="a hug",
        care_given=[water, own],
    )
    checkins.add_checkin(bob, encounter, pleasantness=6, fun="all of it", shared=["fun"])
    wishes.add_wish(connection, alice, text="slow morning", shared=True)
    contact = support.add_contact(alice, name="Jo", email="jo@example.org", may_tell="ask_me")
    support.SupportContact.objects.filter(pk=contact.pk).update(verified_at=timezone.now())
    dropwatch.tell(alice, checkin)
    nudges.send_nudge(alice, encounter, connection.code)
    channel = notify.add_channel(alice, kind="email", target="a@example.org", label="mail")
    notify.test_channel(channel)
    _link, secret = guests.create_link(alice, nickname="the guest")
    guests.answer(secret, feeling=5, message="thanks", wants_to_hear_back=True)
    create_token(alice, "script")
    return connection, encounter


def test_the_export_holds_everything_and_matches_the_schema(alice, bob):
    a_full_history(alice, bob)
    document = export.build_document(alice)
    for part in set(INVENTORY.values()) - {"person", "profile"}:
        if not part.startswith("-"):
            assert document[part], f"nothing of alice's in {part}"
    text = json.dumps(document)
    for mine in ("secret note", "a hug", "my tea", "no tickling", "slow morning", "thanks"):
        assert mine in text
    own_code = str(document["own_items"][0]["code"])
    assert document["checkins"][0]["care_given"] == sorted(["water", own_code])
    # Bob's shared answer is there (what was shared with her); his private words are not.
    shared = document["connections"][0]
    assert shared["shared_with_me"][0]["answers"][0]["value"] == "all of it"
    assert shared["next_time_with_me"] == {"matches": [], "their_words": []}
    assert shared["plan"] is None  # bob's profile is not finished: no plan yet
    for secret in ("jo@example.org" + "x", "token_hash", "a@example.org"):
        assert secret not in text  # channel targets and token hashes are secrets
    ExportDocument.model_validate(document)
    archive = zipfile.ZipFile(io.BytesIO(export.as_csv_zip(document)))
    assert {"encounters.csv", "checkins.csv", "person.csv", "README.txt"} <= set(archive.namelist())
    assert "secret note" in archive.read("encounters.csv").decode()


def test_deleting_a_person_leaves_no_row_of_theirs_anywhere(alice, bob):
    connection, _encounter = a_full_history(alice, bob)
    alice_id, alice_code = alice.pk, alice.code
    assert DBTaskResult.objects.exists()
    erase_person(alice)
    for label in linked_to_person():
        model = apps.get_model(label)
        for field in model._meta.get_fields():
            related = getattr(field, "related_model", None)
            if (
                isinstance(field, models.ForeignKey | models.OneToOneField)
                and related is not None
                and related._meta.label == PERSON
            ):
                assert not model.objects.filter(**{field.name: alice_id}).exists(), label
    assert not DBTaskResult.objects.filter(args_kwargs__args=[alice_id]).exists()
    # Her task rows are gone; bob's own check-in stays, detached; he sees only "ended".
    connection.refresh_from_db()
    assert connection.ended_at is not None
    bobs = bob.checkins.get()
    assert bobs.encounter is None and bobs.fun == "all of it"
    assert not has_key(alice_id)
    assert ErasedOwner.objects.using("keys").filter(owner_code=alice_code).exists()


def test_export_page_download_import_and_delete(client, alice, bob):
    a_full_history(alice, bob)
    sign_in(client, alice)
    assert client.get(reverse("privacy:data")).status_code == 200
    assert client.post(reverse("privacy:export_request")).status_code == 302
    pending = alice.exports.get()
    export.build_export.call(pending.pk)
    pending.refresh_from_db()
    assert pending.status == "ready" and pending.expires_at > timezone.now()
    assert "secret note" not in str(type(pending).objects.values_list("document", flat=True))
    response = client.get(reverse("privacy:export_download", args=[pending.code, "json"]))
    assert response["Content-Disposition"].startswith("attachment")
    document = json.loads(response.content)
    assert document["encounters"][0]["note"] == "secret note"
    zipped = client.get(reverse("privacy:export_download", args=[pending.code, "csv"]))
    assert zipped["Content-Type"] == "application/zip"
    # Another person never reaches it.
    url = reverse("privacy:export_download", args=[pending.code, "json"])
    assert signed_in(bob).get(url).status_code == 404
    # A new account elsewhere takes it in.
    newcomer = make_person("Newcomer")
    upload = io.BytesIO(response.content)
    upload.name = "export.json"
    answer = signed_in(newcomer).post(reverse("privacy:import"), {"file": upload}, follow=True)
    assert "came with you" in answer.content.decode()
    assert newcomer.encounters.get().note == "secret note"
    # Deleting needs the word typed.
    wrong = client.post(reverse("privacy:delete_account"), {"confirm": "yes"})
    assert wrong.status_code == 400
    gone = client.post(reverse("privacy:delete_account"), {"confirm": "DELETE"})
    assert gone.status_code == 302
    assert not type(alice).objects.filter(pk=alice.pk).exists()


def test_an_expired_download_is_gone(client, alice):
    sign_in(client, alice)
    pending = export.request_export(alice)
    export.build_export.call(pending.pk)
    pending.refresh_from_db()
    url = reverse("privacy:export_download", args=[pending.code, "json"])
    assert export.purge_expired(timezone.now() + dt.timedelta(days=2)) == 1
    assert client.get(url).status_code == 404


def test_the_api_exports_imports_and_deletes(client, alice, bob):
    a_full_history(alice, bob)
    sign_in(client, alice)
    created = client.post("/api/v1/exports")
    assert created.status_code == 202
    code = created.json()["code"]
    assert client.get(f"/api/v1/exports/{code}/download").status_code == 400  # not yet
    export.build_export.call(alice.exports.get().pk)
    assert client.get(f"/api/v1/exports/{code}").json()["status"] == "ready"
    body = client.get(f"/api/v1/exports/{code}/download").content
    newcomer = signed_in(make_person("Newcomer"))
    imported = newcomer.post("/api/v1/imports", body, content_type="application/json")
    assert imported.status_code == 201, imported.content
    assert imported.json()["encounters"] == 1
    again = newcomer.post("/api/v1/imports", body, content_type="application/json")
    assert again.status_code == 400  # not a fresh account any more
    junk = newcomer.post("/api/v1/imports", b'{"format": 1}', content_type="application/json")
    assert junk.status_code == 400 and "detail" in junk.json()
    bad = client.post("/api/v1/me/delete", {"confirm": "yes"}, content_type="application/json")
    assert bad.status_code == 422
    done = client.post("/api/v1/me/delete", {"confirm": "DELETE"}, content_type="application/json")
    assert done.status_code == 204
    assert not type(alice).objects.filter(pk=alice.pk).exists()


IMPORTED_TIMES = {"exported_at", "date_joined", "completed_at"}


def comparable(document: dict) -> dict:
    """The parts an import brings, without ids (codes) and bookkeeping times."""

    def strip(value):
        if isinstance(value, dict):
            return {
                k: strip(v)
                for k, v in value.items()
                if k not in {"code", "encounter", "checkin", "email"} | IMPORTED_TIMES
            }
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    kept = {part: document[part] for part in importer.IMPORTED}
    for encounter in kept["encounters"]:
        encounter["connections"] = []  # other people stay behind
    own = {item["code"]: n for n, item in enumerate(kept["own_items"])}
    for row in kept["preferences"] + kept["encounters"]:
        for key in ("item",):
            if key in row and row[key] in own:
                row[key] = f"own-{own[row[key]]}"
    for row in kept["encounters"] + kept["checkins"]:
        for key in ("care_acts", "care_given"):
            if key in row:
                row[key] = sorted(f"own-{own[a]}" if a in own else a for a in row[key])
    return strip(kept)


texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    history=st.lists(
        st.tuples(
            st.integers(min_value=1, max_value=2000),  # hours ago
            st.sampled_from(["partnered", "casual", "on_camera", "solo"]),
            texts,
            st.one_of(st.none(), st.integers(min_value=1, max_value=7)),
            st.lists(st.sampled_from(["calm", "tired", "tearful", "proud"]), unique=True),
            texts,
            st.lists(st.sampled_from(["own", "warmth", "praise", "call"]), unique=True),
        ),
        max_size=5,
    ),
    label=texts.filter(lambda t: t.strip()),
    drop_helps=texts,
)
def test_export_import_export_gives_the_same_document(history, label, drop_helps):
    Person.objects.filter(email__in=["mover@example.org", "moved@example.org"]).delete()
    mover = make_person("Mover", password=None)
    own = care.add_own_item(mover, category="words", label=label.strip()[:60])
    care.set_preference(mover, own, receive="yes", give="no")
    care.update_profile(mover, drop_helps=drop_helps)
    for hours, kind, note, mood, feelings, need, gave in history:
        encounter = checkins.log_encounter(
            mover,
            occurred_at=timezone.now() - dt.timedelta(hours=hours),
            kind=kind,
            note=note,
            care_acts=[own],
        )
        care_given = [own if key == "own" else CareItem.objects.get(key=key) for key in gave]
        if kind in ("on_camera", "solo"):
            care_given = []  # asked only after time with someone else
        checkins.add_checkin(
            mover,
            encounter,
            pleasantness=mood,
            feelings=feelings,
            need_now=need,
            care_given=care_given,
        )
    before = json.dumps(export.build_document(mover))  # as it travels: a file
    erase_person(mover)  # the other server knows nothing of them
    moved = make_person("Moved", password=None)
    importer.import_document(moved, importer.parse(before))
    after = export.build_document(moved)
    assert comparable(after) == comparable(json.loads(before))


def test_import_refuses_what_it_cannot_read(alice):
    for raw in (b"not json", b"{}", json.dumps({"format": "other"}).encode()):
        with pytest.raises(ValidationError):
            importer.parse(raw)


def test_retention_deletes_what_is_older_than_chosen(alice, bob):
    old = checkins.log_encounter(
        alice, occurred_at=timezone.now() - dt.timedelta(days=100), kind="solo", note="old"
    )
    checkins.add_checkin(alice, old, pleasantness=4)
    recent = checkins.log_encounter(
        alice, occurred_at=timezone.now() - dt.timedelta(days=10), kind="solo", note="new"
    )
    checkins.add_checkin(alice, recent, pleasantness=5)
    assert apply_retention() == 0  # nobody chose a retention yet
    alice.retention_months = 3
    alice.save()
    assert apply_retention() == 2
    assert [e.note for e in alice.encounters.all()] == ["new"]
    assert alice.checkins.count() == 1


def test_single_items_go_at_once(client, alice):
    encounter = checkins.log_encounter(
        alice, occurred_at=timezone.now(), kind="solo", note="just mine"
    )
    checkin = checkins.add_checkin(alice, encounter, pleasantness=3, fun="a secret")
    client.force_login(alice)
    assert client.get(reverse("checkins:checkin_delete", args=[checkin.code])).status_code == 200
    client.post(reverse("checkins:checkin_delete", args=[checkin.code]))
    assert not alice.checkins.exists()
    other = checkins.add_checkin(alice, encounter, pleasantness=2)
    assert client.delete(f"/api/v1/checkins/{other.code}").status_code == 204
    assert client.delete(f"/api/v1/checkins/{other.code}").status_code == 404
    client.post(reverse("checkins:encounter_delete", args=[encounter.code]))
    assert not alice.encounters.exists()


def test_a_made_up_bearer_header_is_not_a_fresh_sign_in(client, alice):
    client.force_login(alice)  # a session that never confirmed the password again
    response = client.post("/api/v1/exports", HTTP_AUTHORIZATION="Bearer nonsense")
    assert response.status_code in (401, 403)
    assert not alice.exports.exists()


def test_erasing_one_person_leaves_anothers_download_queued(alice, bob):
    export.request_export(bob)
    erase_person(alice)
    assert DBTaskResult.objects.filter(task_path="privacy.export.build_export").count() == 1


def test_a_lost_download_does_not_block_the_next(alice):
    first = export.request_export(alice)
    type(first).objects.filter(pk=first.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=2)
    )
    assert export.request_export(alice) != first


def test_import_refuses_unknown_values_and_revives_nothing(alice, bob):
    checkins.log_encounter(bob, occurred_at=timezone.now() - dt.timedelta(hours=26), kind="solo")
    document = json.loads(json.dumps(export.build_document(bob)))
    for followup in document["followups"]:
        followup["due_at"] = (timezone.now() - dt.timedelta(days=3)).isoformat()
    for bad in (
        {"encounters": [{**document["encounters"][0], "kind": "mystery"}]},
        {"followups": [{**document["followups"][0], "state": "bogus"}]},
        {"person": {**document["person"], "quiet_hours_start": "25:99"}},
        {"preferences": [{"item": "water", "receive": "yes", "give": "no"}] * 2},
    ):
        with pytest.raises(ValidationError):
            importer.import_document(alice, importer.parse(json.dumps({**document, **bad})))
    importer.import_document(alice, importer.parse(json.dumps(document)))
    assert set(alice.followups.values_list("state", flat=True)) == {"cancelled"}
    assert alice.followups.first().events.last().reason == "moved"


def test_housekeeping_goes_on_when_one_step_fails(monkeypatch, caplog):
    def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr(housekeeping, "purge", broken)
    call_command("housekeeping", "--once")
    assert "expired guest rows failed" in caplog.text
    assert "expired downloads" in caplog.text


def test_the_export_has_the_plan_and_the_wishes_shared_with_me(alice, bob):
    connection, _encounter = a_full_history(alice, bob)
    water = CareItem.objects.get(key="water")
    care.set_preference(bob, water, give="yes")
    care.update_profile(bob, boundaries="not before coffee")
    care.complete_profile(bob)
    wishes.add_wish(connection, bob, text="a picnic", shared=True)
    wishes.add_wish(connection, bob, text="a secret of bob's", shared=False)
    part = export.build_document(alice)["connections"][0]
    assert part["plan"]["they_can_give_you"] == ["water"]
    assert part["plan"]["their_boundaries"] == "not before coffee"
    assert part["next_time_with_me"]["their_words"] == ["a picnic"]


def test_the_care_given_travels_as_shared_and_an_older_export_without_it_imports(alice, bob):
    _connection, encounter = a_full_history(alice, bob)
    warmth, praise = CareItem.objects.get(key="warmth"), CareItem.objects.get(key="praise")
    checkins.add_checkin(bob, encounter, care_given=[warmth], shared=["care_given"])
    checkins.add_checkin(bob, encounter, care_given=[praise], shared=[])
    part = export.build_document(alice)["connections"][0]
    shown = [a for entry in part["shared_with_me"] for a in entry["answers"]]
    assert {"key": "care_given", "label": "The care I gave", "value": "Blanket or warmth"} in shown
    assert "Praise" not in json.dumps(part)  # what bob kept to himself stays his
    document = json.loads(json.dumps(export.build_document(alice)))
    for row in document["checkins"]:
        del row["care_given"]  # written before the care given was recorded
    moved = make_person("Moved", password=None)
    importer.import_document(moved, importer.parse(json.dumps(document)))
    assert moved.checkins.count() == len(document["checkins"])
    assert not any(c.care_given.exists() for c in moved.checkins.all())


def test_the_export_speaks_the_persons_language_though_built_in_the_background(client, alice, bob):
    alice.language = "de"
    alice.save()
    connection = make_connection(alice, bob)
    for person in (alice, bob):
        wishes.set_picks(connection, person, ["slow_morning"])
    pending = export.request_export(alice)
    export.build_export.call(pending.pk)  # no request, no language active around it
    pending.refresh_from_db()
    document = json.loads(pending.document)
    [shared] = document["connections"]
    with translation.override("de"):
        german = gettext("A slow morning in bed, no plans")
    assert german != "A slow morning in bed, no plans"
    assert shared["next_time_with_me"]["matches"] == [german]
    sign_in(client, alice)
    zipped = client.get(reverse("privacy:export_download", args=[pending.code, "csv"]))
    readme = zipfile.ZipFile(io.BytesIO(zipped.content)).read("README.txt").decode()
    assert "CSV" in readme and "One CSV file" not in readme

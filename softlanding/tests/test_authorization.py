"""The authorization matrix: every URL and every API operation, as anonymous, owner, partner,
stranger and a deactivated account. A stranger gets 404, exactly like a missing object. A new
URL or operation fails `test_the_matrix_covers_*` until it has a row here."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.services import create_token
from care.services import add_own_item
from checkins import services as checkins
from notify import services as channels
from partners import guests, support, wishes
from partners import services as partners
from privacy import export
from softlanding.api import api
from softlanding.testing import DB, kept_for_the_module, make_person

pytestmark = DB
ROLES = ["anonymous", "owner", "partner", "stranger", "inactive"]
LOGIN = "login"  # a redirect to the sign-in page


def row(anonymous, owner, partner, stranger, inactive=None):
    return dict(
        zip(
            ROLES,
            [anonymous, owner, partner, stranger, anonymous if inactive is None else inactive],
            strict=True,
        )
    )


def signed_in(status, partner=None, stranger=None):
    """A page for signed-in people; partner and stranger default to the owner's answer."""
    return row(
        LOGIN,
        status,
        status if partner is None else partner,
        status if stranger is None else stranger,
    )


PUBLIC = row(200, 200, 200, 200)
OWNER_ONLY = 404

# name: (method, {role: expected}) — objects named in the URL belong to the owner (alice).
PAGES = {
    "home": ("get", PUBLIC),
    "healthz": ("get", PUBLIC),
    "ping": ("get", PUBLIC),
    # Off without METRICS_TOKEN, whoever asks; with it, only the token opens it (test_metrics).
    "metrics": ("get", row(404, 404, 404, 404)),
    "manifest": ("get", PUBLIC),
    "offline": ("get", PUBLIC),
    # A page that moves on to the neutral site by itself (a redirect would break the CSP).
    "accounts:quick_exit": ("post", row(200, 200, 200, 200)),
    "accounts:settings": ("get", signed_in(200)),
    "accounts:signup_link": ("get", row(404, 404, 404, 404)),
    "accounts:token_create": ("post", signed_in(400)),
    # An answer without a zone changes nothing and goes back with a message.
    "accounts:time_zone_offer": ("post", signed_in(302)),
    "accounts:token_revoke": ("post", signed_in(302, OWNER_ONLY, OWNER_ONLY)),
    "privacy:consent": ("get", signed_in(200)),
    "privacy:withdraw": ("post", signed_in(302)),
    "care:profile": ("get", signed_in(200)),
    "care:card": ("get", signed_in(200)),
    "care:save_words": ("post", signed_in(200)),
    "care:add_item": ("post", signed_in(400)),
    "care:save_item": ("post", signed_in(200, OWNER_ONLY, OWNER_ONLY)),
    "care:remove_item": ("post", signed_in(302, OWNER_ONLY, OWNER_ONLY)),
    "care:guide": ("get", PUBLIC),
    "checkins:encounter_list": ("get", signed_in(200)),
    "checkins:encounter_new": ("get", signed_in(200)),
    "checkins:encounter_detail": ("get", signed_in(200, 200, OWNER_ONLY)),
    "checkins:encounter_edit": ("get", signed_in(200, OWNER_ONLY, OWNER_ONLY)),
    "checkins:encounter_delete": ("get", signed_in(200, OWNER_ONLY, OWNER_ONLY)),
    "checkins:checkin_new": ("get", signed_in(200, 200, OWNER_ONLY)),
    "checkins:checkin_list": ("get", signed_in(200)),
    "checkins:checkin_detail": ("get", signed_in(200, OWNER_ONLY, OWNER_ONLY)),
    "partners:connections": ("get", signed_in(200)),
    "partners:invite_create": ("post", signed_in(200)),
    "partners:invite_revoke": ("post", signed_in(302, OWNER_ONLY, OWNER_ONLY)),
    "partners:detail": ("get", signed_in(200, 200, OWNER_ONLY)),
    "partners:plan_card": ("get", signed_in(200, 200, OWNER_ONLY)),
    "partners:pause": ("post", signed_in(302, 302, OWNER_ONLY)),
    "partners:resume": ("post", signed_in(302, 302, OWNER_ONLY)),
    "partners:end": ("get", signed_in(200, 200, OWNER_ONLY)),
    "partners:join_by_code": ("get", signed_in(302)),
    "partners:set_ideas": ("post", signed_in(302, 302, OWNER_ONLY)),
    "partners:add_wish": ("post", signed_in(302, 302, OWNER_ONLY)),
    "partners:remove_wish": ("post", signed_in(302, OWNER_ONLY, OWNER_ONLY)),
    "partners:support": ("get", signed_in(200)),
    "partners:support_add": ("post", signed_in(400)),
    "partners:support_update": ("post", signed_in(302, OWNER_ONLY, OWNER_ONLY)),
    "partners:support_remove": ("post", signed_in(302, OWNER_ONLY, OWNER_ONLY)),
    "partners:support_verify": ("get", row(404, 404, 404, 404)),
    "partners:guest_links": ("get", signed_in(200)),
    "partners:guest_link_create": ("post", signed_in(200)),
    "partners:guest_link_revoke": ("post", signed_in(302, OWNER_ONLY, OWNER_ONLY)),
    "partners:guest": ("get", PUBLIC),
    "partners:guest_care": ("get", PUBLIC),
    "partners:join": ("get", PUBLIC),
    "checkins:checkin_delete": ("get", signed_in(200, OWNER_ONLY, OWNER_ONLY)),
    "checkins:checkin_care_given": ("get", signed_in(200, OWNER_ONLY, OWNER_ONLY)),
    "checkins:tell_them": ("post", signed_in(302, OWNER_ONLY, OWNER_ONLY)),
    "checkins:nudge": ("post", signed_in(302, 302, OWNER_ONLY)),
    "checkins:followups": ("get", signed_in(200)),
    "checkins:followup": ("get", signed_in(200, OWNER_ONLY, OWNER_ONLY)),
    "checkins:followup_snooze": ("post", signed_in(302, OWNER_ONLY, OWNER_ONLY)),
    "checkins:followup_skip": ("post", signed_in(302, OWNER_ONLY, OWNER_ONLY)),
    # The token in the link is the credential, whoever is signed in: a wrong one answers 404.
    "checkins:followup_by_link": ("post", row(404, 404, 404, 404)),
    "checkins:alerts": ("get", signed_in(200)),
    "insights:insights": ("get", signed_in(200)),
    "notify:inbox": ("get", signed_in(200)),
    "notify:inbox_read_all": ("post", signed_in(302)),
    "notify:open": ("get", signed_in(302, OWNER_ONLY, OWNER_ONLY)),
    "notify:channels": ("get", signed_in(200)),
    "notify:channel_test": ("post", signed_in(302, OWNER_ONLY, OWNER_ONLY)),
    "notify:channel_remove": ("post", signed_in(302, OWNER_ONLY, OWNER_ONLY)),
    "notify:service_worker": ("get", PUBLIC),
    "notify:reach": ("get", signed_in(200)),
    # The world's owner has not confirmed their address: e-mail is not offered yet.
    "notify:reach_email": ("post", signed_in(400)),
    "notify:reach_messenger": ("post", signed_in(400)),
    "notify:reach_done": ("post", signed_in(302)),
    "privacy:privacy": ("get", PUBLIC),
    "privacy:data": ("get", signed_in(200)),
    "privacy:export_request": ("post", signed_in(302)),
    "privacy:export_status": ("get", signed_in(200, OWNER_ONLY, OWNER_ONLY)),
    "privacy:export_download": ("get", signed_in(200, OWNER_ONLY, OWNER_ONLY)),
    # The world's owner already has encounters: an import is refused, kept on the page.
    "privacy:import": ("post", signed_in(400)),
    "privacy:delete_account": ("post", signed_in(400)),
}


# "METHOD /path": (body, {role: expected}) — anonymous and inactive always get 401.
def call(owner, partner=None, stranger=None):
    return row(
        401,
        owner,
        owner if partner is None else partner,
        owner if stranger is None else stranger,
        401,
    )


ENCOUNTER = {"occurred_at": "2026-01-01T20:00:00+00:00", "kind": "solo"}
OPERATIONS = {
    "GET /api/v1/me": (None, call(200)),
    "PATCH /api/v1/me": ({}, call(200)),
    "GET /api/v1/me/tokens": (None, call(200)),
    "DELETE /api/v1/me/tokens/{code}": (None, call(204, 404, 404)),
    "GET /api/v1/consent": (None, call(200)),
    "POST /api/v1/consent": ({"adult_confirmed": True}, call(201)),
    "DELETE /api/v1/consent": (None, call(200)),
    "GET /api/v1/care/items": (None, call(200)),
    "POST /api/v1/care/items": ({"category": "body", "label": "Tea"}, call(201)),
    "DELETE /api/v1/care/items/{code}": (None, call(204, 404, 404)),
    "GET /api/v1/profile": (None, call(200)),
    "PATCH /api/v1/profile": ({}, call(200)),
    "PUT /api/v1/profile/items/{code}": ({"receive": "yes"}, call(200, 404, 404)),
    "GET /api/v1/encounters": (None, call(200)),
    "POST /api/v1/encounters": (ENCOUNTER, call(201)),
    "GET /api/v1/encounters/{code}": (None, call(200, 404, 404)),
    "PATCH /api/v1/encounters/{code}": ({}, call(200, 404, 404)),
    "DELETE /api/v1/encounters/{code}": (None, call(204, 404, 404)),
    "POST /api/v1/encounters/{code}/checkins": ({"pleasantness": 5}, call(201, 201, 404)),
    "GET /api/v1/checkins": (None, call(200)),
    "GET /api/v1/checkins/{code}": (None, call(200, 404, 404)),
    "PATCH /api/v1/checkins/{code}": ({}, call(200, 404, 404)),
    "DELETE /api/v1/checkins/{code}": (None, call(204, 404, 404)),
    "GET /api/v1/checkins/{code}/drop-response": (None, call(200, 404, 404)),
    "GET /api/v1/drop-response": (None, call(200)),
    "GET /api/v1/connections": (None, call(200)),
    "GET /api/v1/connections/{code}": (None, call(200, 200, 404)),
    "PATCH /api/v1/connections/{code}": ({}, call(200, 200, 404)),
    "POST /api/v1/connections/{code}/pause": (None, call(200, 200, 404)),
    "POST /api/v1/connections/{code}/resume": (None, call(200, 200, 404)),
    "POST /api/v1/connections/{code}/end": (None, call(200, 200, 404)),
    "GET /api/v1/connections/{code}/plan": (None, call(200, 200, 404)),
    "GET /api/v1/invites": (None, call(200)),
    "POST /api/v1/invites": ({}, call(201)),
    "DELETE /api/v1/invites/{code}": (None, call(204, 404, 404)),
    # Accepting your own invite, or one from someone you are connected with, is refused.
    "POST /api/v1/invites/accept": ("secret", call(400, 400, 201)),
    "GET /api/v1/shared-encounters": (None, call(200)),
    "GET /api/v1/connections/{code}/next-time": (None, call(200, 200, 404)),
    "PUT /api/v1/connections/{code}/ideas": ({"ideas": ["toys"]}, call(200, 200, 404)),
    "POST /api/v1/connections/{code}/wishes": ({"text": "x"}, call(201, 201, 404)),
    # Only the author removes a wish; the partner is told it does not exist.
    "DELETE /api/v1/connections/{code}/wishes/{wish}": (None, call(204, 404, 404)),
    "GET /api/v1/support-contacts": (None, call(200)),
    "POST /api/v1/support-contacts": ({"name": "Jo", "email": "jo@example.org"}, call(201)),
    "PATCH /api/v1/support-contacts/{code}": ({"may_tell": "automatic"}, call(200, 404, 404)),
    "DELETE /api/v1/support-contacts/{code}": (None, call(204, 404, 404)),
    "GET /api/v1/guest-links": (None, call(200)),
    "POST /api/v1/guest-links": ({}, call(201)),
    "DELETE /api/v1/guest-links/{code}": (None, call(204, 404, 404)),
    "GET /api/v1/guest-answers": (None, call(200)),
    "GET /api/v1/shared-encounters/{code}": (None, call(200, 200, 404)),
    "GET /api/v1/follow-ups": (None, call(200)),
    "GET /api/v1/follow-ups/{code}": (None, call(200, 404, 404)),
    "POST /api/v1/follow-ups/{code}/answer": ({}, call(201, 404, 404)),
    "POST /api/v1/follow-ups/{code}/snooze": ({"hours": 1}, call(200, 404, 404)),
    "POST /api/v1/follow-ups/{code}/skip": (None, call(200, 404, 404)),
    # No sign-in: the single-use token is the credential; a wrong one is not found.
    "POST /api/v1/follow-ups/answer-with-token": (
        {"token": "not-a-token", "answer": "ok"},
        row(404, 404, 404, 404),
    ),
    # The world's check-in raised no drop signal: there is nothing to tell.
    "GET /api/v1/alerts": (None, call(200)),
    "GET /api/v1/insights": (None, call(200)),
    "POST /api/v1/alerts": ("checkin", call(400, 404, 404)),
    "GET /api/v1/nudges": (None, call(200)),
    "POST /api/v1/nudges": ("nudge", call(201, 201, 404)),
    "GET /api/v1/inbox": (None, call(200)),
    "POST /api/v1/inbox/{code}/read": (None, call(204, 404, 404)),
    "POST /api/v1/inbox/read": (None, call(204)),
    "GET /api/v1/channels": (None, call(200)),
    "POST /api/v1/channels": ({"kind": "email", "target": "a@example.org"}, call(201)),
    "POST /api/v1/channels/push/forget": ({"endpoint": "https://push.example/x"}, call(204)),
    "GET /api/v1/channels/reach": (None, call(200)),
    "POST /api/v1/channels/reach": (None, call(200)),
    "POST /api/v1/channels/email": (None, call(400)),
    "POST /api/v1/channels/messenger": (
        {"service": "telegram", "bot_token": f"123456:{'a' * 35}", "chat_id": "42"},
        call(201),
    ),
    "POST /api/v1/channels/{code}/test": (None, call(202, 404, 404)),
    "DELETE /api/v1/channels/{code}": (None, call(204, 404, 404)),
    "POST /api/v1/exports": (None, call(202)),
    "GET /api/v1/exports/{code}": (None, call(200, 404, 404)),
    "GET /api/v1/exports/{code}/download": (None, call(200, 404, 404)),
    "POST /api/v1/imports": ({}, call(400)),
    "POST /api/v1/me/delete": ({"confirm": "DELETE"}, call(204)),
}


@dataclass
class World:
    people: dict
    tokens: dict
    objects: dict


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module: each test runs in a savepoint inside the world's transaction
    and is rolled back, so each still starts from this same world."""
    with kept_for_the_module(django_db_blocker):
        with django_db_blocker.unblock():
            built = build_world()
        yield built


def build_world() -> World:
    alice = make_person("Alice", password=None)
    bob = make_person("Bob", password=None)
    charlie = make_person("Charlie", password=None)
    dave = make_person("Dave", password=None)
    _invite, secret = partners.create_invite(alice)
    connection = partners.accept_invite(bob, secret)
    encounter = checkins.log_encounter(
        alice,
        occurred_at=timezone.now() - dt.timedelta(hours=1),
        kind="partnered",
        note="only alice",
        connections=[connection],
    )
    checkin = checkins.add_checkin(alice, encounter, pleasantness=4)
    open_invite, open_secret = partners.create_invite(alice)
    token, _ = create_token(alice, "script")
    wish = wishes.add_wish(connection, alice, text="a slow morning", shared=True)
    contact = support.add_contact(alice, name="Jo", email="jo@example.org", may_tell="ask_me")
    guest_link, guest_secret = guests.create_link(alice, nickname="guest")
    item = add_own_item(alice, category="body", label="own item")
    followup = encounter.followups.get(person=alice, offset_hours=3)
    channel = channels.add_channel(alice, kind="email", target="a@example.org")
    notification = channels.notify(alice, "test")
    ready = export.request_export(alice)
    export.build_export.call(ready.pk)
    tokens = {
        name: create_token(person, "matrix")[1]
        for name, person in [
            ("owner", alice),
            ("partner", bob),
            ("stranger", charlie),
            ("inactive", dave),
        ]
    }
    dave.is_active = False
    dave.save()
    objects = {
        "accounts:token_revoke": token.code,
        "care:save_item": item.code,
        "care:remove_item": item.code,
        "checkins:checkin_detail": checkin.code,
        "partners:invite_revoke": open_invite.code,
        "partners:join": open_secret,
        "/me/tokens/": token.code,
        "/care/items/": item.code,
        "/profile/items/": item.code,
        "/encounters/": encounter.code,
        "/checkins/": checkin.code,
        "/connections/": connection.code,
        "/invites/": open_invite.code,
        "/shared-encounters/": encounter.code,
        "secret": open_secret,
        "partners:guest_link_revoke": guest_link.code,
        "partners:guest": guest_secret,
        "/guest-links/": guest_link.code,
        "{wish}": wish.code,
        "partners:support_update": contact.code,
        "partners:support_remove": contact.code,
        "partners:support_verify": "not-a-real-secret",
        "accounts:signup_link": "not-a-real-secret",
        "/support-contacts/": contact.code,
        "/follow-ups/": followup.code,
        "/inbox/": notification.code,
        "/channels/": channel.code,
        "/exports/": ready.code,
        "privacy:export_status": ready.code,
        "privacy:export_download": (ready.code, "json"),
        "checkins:followup": followup.code,
        "checkins:followup_snooze": followup.code,
        "checkins:followup_skip": followup.code,
        "checkins:followup_by_link": ("not-a-token", "ok"),
        "checkins:tell_them": checkin.code,
        "checkins:checkin_delete": checkin.code,
        "checkins:checkin_care_given": checkin.code,
        "checkins:nudge": encounter.code,
        "notify:open": notification.code,
        "notify:channel_test": channel.code,
        "notify:channel_remove": channel.code,
        "notify:reach_messenger": "ntfy",
        "checkin": {"checkin": str(checkin.code)},
        "nudge": {"encounter": str(encounter.code), "connection": str(connection.code)},
    }
    for name in ["encounter_detail", "encounter_edit", "encounter_delete", "checkin_new"]:
        objects[f"checkins:{name}"] = encounter.code
    for name in ["detail", "plan_card", "pause", "resume", "end", "set_ideas", "add_wish"]:
        objects[f"partners:{name}"] = connection.code
    objects["partners:remove_wish"] = (connection.code, wish.code)
    people = {"owner": alice, "partner": bob, "stranger": charlie, "inactive": dave}
    return World(people, tokens, objects)


def our_url_names():
    def walk(resolver, namespace=""):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                if "allauth" in str(entry.urlconf_name) or entry.namespace == "api-1":
                    continue
                yield from walk(entry, entry.namespace or namespace)
            elif entry.name:
                yield f"{namespace}:{entry.name}" if namespace else entry.name

    return set(walk(get_resolver()))


def test_the_matrix_covers_every_page():
    assert our_url_names() == set(PAGES)


def test_the_matrix_covers_every_api_operation():
    schema = api.get_openapi_schema()
    operations = {
        f"{method.upper()} {path}"
        for path, methods in schema["paths"].items()
        for method in methods
    }
    assert operations == set(OPERATIONS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(PAGES))
def test_pages(client, world, name, role):
    method, expected = PAGES[name]
    if role != "anonymous":
        client.force_login(world.people[role])
    code = world.objects.get(name)
    args = code if isinstance(code, tuple) else [] if code is None else [code]
    url = reverse(name, args=args)
    response = getattr(client, method)(url)
    want = expected[role]
    if want == LOGIN:
        assert response.status_code == 302, (name, role, response.status_code)
        assert response["Location"].startswith(reverse("account_login")), (name, role)
    else:
        assert response.status_code == want, (name, role, response.status_code)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_api(client, world, operation, role):
    body, expected = OPERATIONS[operation]
    method, path = operation.split(" ")
    path = path.replace("{wish}", str(world.objects["{wish}"]))
    for fragment, code in world.objects.items():
        if fragment.startswith("/") and f"{fragment}{{code}}" in path:
            path = path.replace("{code}", str(code))
    if body in ("secret", "checkin", "nudge"):
        body = world.objects[body] if body != "secret" else {"secret": world.objects["secret"]}
    headers = {} if role == "anonymous" else {"HTTP_AUTHORIZATION": f"Bearer {world.tokens[role]}"}
    kwargs = {"content_type": "application/json", "data": body} if body is not None else {}
    response = getattr(client, method.lower())(path, **kwargs, **headers)
    assert response.status_code == expected[role], (operation, role, response.content[:300])
    if response.status_code >= 400:
        assert "detail" in response.json()

"""The canary journey, first half: accounts, the profile, connections, guests, support
contacts and channels. Each step reads and leaves what later steps need on `j`."""

import re

from django.core import mail
from django.utils import timezone

from accounts.models import AccessToken, Person
from accounts.services import create_token
from care.models import CareItem
from notify.models import Channel, Notification
from partners.models import Connection, SupportContact
from softlanding.testing import PASSWORD, make_person
from softlanding.tests.leak_tools import DEAD_HOOK, Api, ok, run_tasks, settings_data


def sign_up(j, c) -> None:
    # Sign-up, consent and settings, through the pages.
    ok(
        j.alice_web.post(
            "/accounts/signup/",
            {"email": "alice@example.org", "password1": PASSWORD, "password2": PASSWORD},
        ),
        302,
    )
    ok(j.alice_web.post("/consent/", {"adult": "on", "agree": "on"}), 302)
    ok(j.alice_web.post("/accounts/reauthenticate/", {"password": PASSWORD}), 302)
    j.alice = Person.objects.get(email="alice@example.org")
    ok(
        j.alice_web.post(
            "/settings/", settings_data(j.alice, display_name=c("settings too long") + "x" * 60)
        ),
        400,
    )
    ok(
        j.alice_web.post(
            "/settings/",
            settings_data(
                j.alice,
                display_name=c("settings display name", "accounts.Person.display_name"),
                pronouns=c("settings pronouns", "accounts.Person.pronouns"),
            ),
        ),
        302,
    )
    ok(j.alice_web.post("/settings/tokens/", {"name": c("token too long") + "x" * 60}), 400)
    j.page = ok(
        j.alice_web.post(
            "/settings/tokens/", {"name": c("token name", "accounts.AccessToken.name")}
        ),
        200,
    )
    j.alice_api = Api(j.page.context["new_secret"])
    ok(
        j.alice_web.post(
            "/settings/tokens/", {"name": c("token name 2", "accounts.AccessToken.name")}
        ),
        200,
    )
    second = AccessToken.objects.filter(person=j.alice).order_by("-created_at", "-id").first()
    ok(j.alice_web.post(f"/settings/tokens/{second.code}/revoke/"), 302)
    ok(j.alice_api("POST", "/consent", {"adult_confirmed": c("consent bad api")}), 422)

    j.bob = make_person("Bob", password=None)
    j.bob_web.force_login(j.bob)
    j.bob_api = Api(create_token(j.bob, "script")[1])
    ok(
        j.bob_api(
            "PATCH",
            "/me",
            {
                "display_name": c("api display name", "accounts.Person.display_name"),
                "pronouns": c("api pronouns", "accounts.Person.pronouns"),
            },
        ),
        200,
    )
    ok(j.bob_api("PATCH", "/me", {"pronouns": c("api pronouns too long") + "x" * 40}), 422)
    ok(j.bob_api("PATCH", "/me", {"time_zone": c("api bad time zone")}), 422)
    ok(j.bob_api("PATCH", "/me", {"nonsense": c("api unknown setting")}), 422)


def profile(j, c) -> None:
    # The aftercare profile: its words, one's own items, answers.
    water = CareItem.objects.get(key="water")
    words = {
        name: c(f"profile page {name}", f"care.AftercareProfile.{name}")
        for name in ("time_needed", "drop_signs", "drop_helps", "self_care", "boundaries")
    }
    ok(j.alice_web.post("/profile/", {**words, f"receive-{water.code}": "yes", "done": "1"}), 302)
    ok(j.alice_web.post("/profile/words/", {"time_needed": c("profile words htmx")}), 200)
    ok(j.alice_web.post("/profile/", {"boundaries": c("profile too long") + "x" * 4000}), 400)
    ok(
        j.alice_web.post(
            "/profile/items/",
            {"label": c("own item page", "care.CareItem.own_label"), "category": "body"},
        ),
        302,
    )
    ok(
        j.alice_web.post(
            "/profile/items/", {"label": c("own item too long") + "x" * 80, "category": "body"}
        ),
        400,
    )
    ok(j.alice_web.post(f"/profile/items/{water.code}/", {f"give-{water.code}": "maybe"}), 200)
    ok(
        j.alice_web.post(
            f"/profile/items/{water.code}/", {f"give-{water.code}": c("care answer bad value")}
        ),
        400,
        500,
    )
    ok(j.bob_api("PUT", f"/profile/items/{water.code}", {"give": c("care answer bad api")}), 422)
    ok(
        j.bob_api(
            "PATCH",
            "/profile",
            {
                "drop_helps": c("profile api drop helps"),
                "boundaries": c("profile api boundaries"),
                "items": [{"item": str(water.code), "receive": "yes"}],
            },
        ),
        200,
    )
    ok(j.bob_api("PATCH", "/profile", {"self_care": c("profile api too long") + "x" * 4000}), 422)
    ok(j.bob_api("POST", "/care/items", {"category": "words", "label": c("own item api")}), 201)
    ok(
        j.bob_api("POST", "/care/items", {"category": c("own item bad category"), "label": "x"}),
        422,
    )


def connections(j, c) -> None:
    # Connections: invite, accept, what each side calls the other; wishes.
    j.page = ok(
        j.alice_web.post(
            "/partners/invite/", {"nickname": c("invite page", "partners.Invite.nickname")}
        ),
        200,
    )
    secret = j.page.context["secret"]
    ok(j.bob_web.post(f"/join/{secret}/", {"nickname": c("accept page too long") + "x" * 80}), 400)
    ok(
        j.bob_web.post(
            f"/join/{secret}/",
            {"nickname": c("accept page", "partners.ConnectionSide.nickname")},
        ),
        302,
    )
    j.connection = Connection.objects.get()
    sharing = {
        "share_profile": "on",
        "share_checkins": "on",
        "shared_answers": ["mood", "feelings", "fun", "next_time"],
        "share_drop_alerts": "on",
    }
    ok(
        j.bob_web.post(f"/partners/{j.connection.code}/", {**sharing, "nickname": c("side page")}),
        302,
    )
    ok(
        j.bob_web.post(
            f"/partners/{j.connection.code}/",
            {**sharing, "nickname": c("side too long") + "x" * 80},
        ),
        400,
    )
    ok(
        j.alice_api(
            "PATCH",
            f"/connections/{j.connection.code}",
            {
                "nickname": c("side api"),
                "share_profile": True,
                "share_checkins": True,
                "share_drop_alerts": True,
                "shared_answers": ["mood", "fun", "next_time", "need_now"],
            },
        ),
        200,
    )
    ok(
        j.alice_api(
            "PATCH",
            f"/connections/{j.connection.code}",
            {"nickname": c("side api too long") + "x" * 80},
        ),
        422,
    )
    invite = ok(j.alice_api("POST", "/invites", {"nickname": c("invite api")}), 201).json()
    ok(j.alice_api("DELETE", f"/invites/{invite['code']}"), 204)
    ok(
        j.bob_api("POST", "/invites/accept", {"secret": "NOPE1234", "nickname": c("accept api")}),
        400,
    )
    ok(
        j.alice_web.post(
            f"/partners/{j.connection.code}/wishes/",
            {"text": c("wish page", "partners.Wish.text"), "shared": "on"},
        ),
        302,
    )
    ok(
        j.alice_web.post(
            f"/partners/{j.connection.code}/wishes/", {"text": c("wish page too long") + "x" * 1000}
        ),
        302,
    )
    ok(
        j.bob_api(
            "POST",
            f"/connections/{j.connection.code}/wishes",
            {"text": c("wish api"), "shared": True},
        ),
        201,
    )
    ok(
        j.bob_api(
            "POST",
            f"/connections/{j.connection.code}/wishes",
            {"text": c("wish api too long") + "x" * 1000},
        ),
        422,
    )
    ok(
        j.alice_web.post(
            f"/partners/{j.connection.code}/ideas/", {"ideas": ["massage", c("idea bad page")]}
        ),
        302,
    )
    ok(
        j.bob_api("PUT", f"/connections/{j.connection.code}/ideas", {"ideas": [c("idea bad api")]}),
        422,
    )


def guests(j, c) -> None:
    # Guest links and a guest's answer.
    j.page = ok(
        j.alice_web.post(
            "/partners/guests/new/",
            {"nickname": c("guest link page", "partners.GuestLink.nickname")},
        ),
        200,
    )
    guest_path = re.sub(r"^https?://[^/]+", "", j.page.context["url"])
    ok(
        j.guest_web.post(
            guest_path, {"feeling": "4", "message": c("guest answer too long") + "x" * 2000}
        ),
        400,
    )
    ok(
        j.guest_web.post(
            guest_path,
            {
                "feeling": "1",
                "feelings": ["lonely"],
                "wants_care": "on",
                "message": c("guest answer page", "partners.GuestAnswer.message"),
                "wants_to_hear_back": "on",
            },
        ),
        200,
    )
    ok(j.guest_web.get("/g/care/", {"country": c("guest care country")}), 200)
    link = ok(j.bob_api("POST", "/guest-links", {"nickname": c("guest link api")}), 201).json()
    ok(
        j.bob_api("POST", "/guest-links", {"nickname": c("guest link api too long") + "x" * 80}),
        422,
    )
    ok(
        j.guest_web.post(
            re.sub(r"^https?://[^/]+", "", link["url"]), {"message": c("guest answer 2")}
        ),
        200,
    )
    # Each answer told its link's maker: the scan renders these with everything else.
    assert Notification.objects.filter(kind=Notification.Kind.GUEST_ANSWER).count() == 2


def support_contacts(j, c) -> None:
    # Support contacts: by e-mail (confirmed through the link) and by a notification URL.
    ok(
        j.alice_web.post(
            "/support/add/",
            {
                "name": c("support name page", "partners.SupportContact.name"),
                "email": c("support email page", "partners.SupportContact.email") + "@example.org",
                "may_tell": "ask_me",
            },
        ),
        302,
    )
    ok(
        j.alice_web.post(
            "/support/add/",
            {
                "name": c("support both page"),
                "email": c("support both email") + "@example.org",
                "notify_url": DEAD_HOOK + c("support both url"),
                "may_tell": "ask_me",
            },
        ),
        400,
    )
    ok(
        j.alice_api(
            "POST",
            "/support-contacts",
            {
                "name": c("support name api"),
                "notify_url": DEAD_HOOK
                + c("support url api", "partners.SupportContact.notify_url"),
                "may_tell": "automatic",
            },
        ),
        201,
    )
    ok(
        j.alice_api(
            "POST",
            "/support-contacts",
            {"name": c("support bad email"), "email": c("support bad email local")},
        ),
        422,
    )
    ok(
        j.alice_api(
            "POST",
            "/support-contacts",
            {"name": c("support bad url"), "notify_url": "zz://" + c("support bad url path")},
        ),
        400,
    )
    run_tasks()  # the confirmations: one e-mail, one notification that fails
    confirmation = next(m for m in mail.outbox if "/support/confirm/" in m.body)
    ok(j.guest_web.post(re.search(r"/support/confirm/\S+/", confirmation.body).group(0)), 200)
    SupportContact.objects.filter(verified_at__isnull=True).update(verified_at=timezone.now())


def channels(j, c) -> None:
    # Channels: pages (fresh sign-in from the sign-up) and the API.
    ok(
        j.alice_web.post(
            "/settings/channels/",
            {
                "kind": "apprise",
                "target": DEAD_HOOK + c("channel url page", "notify.Channel.target"),
                "label": c("channel label page", "notify.Channel.label"),
            },
        ),
        302,
    )
    ok(
        j.alice_web.post(
            "/settings/channels/",
            {
                "kind": "email",
                "target": c("channel not an address"),
                "label": c("channel label bad"),
            },
        ),
        400,
    )
    ok(
        j.alice_web.post(
            "/settings/channels/",
            {"kind": "apprise", "target": "zz://" + c("channel bad scheme"), "label": ""},
        ),
        400,
    )
    ok(
        j.bob_api(
            "POST",
            "/channels",
            {
                "kind": "email",
                "target": c("channel email api") + "@example.org",
                "label": c("channel label api"),
            },
        ),
        201,
    )
    ok(
        j.bob_api(
            "POST",
            "/channels",
            {
                "kind": "apprise",
                "target": DEAD_HOOK + c("channel url api"),
                "label": c("channel label api 2"),
            },
        ),
        201,
    )
    ok(
        j.bob_api(
            "POST",
            "/channels",
            {
                "kind": "apprise",
                "target": j.live + c("channel url live"),
                "label": c("channel label live"),
            },
        ),
        201,
    )
    ok(
        j.bob_api(
            "POST",
            "/channels",
            {
                "kind": "push",
                "target": c("channel push not json"),
                "label": c("channel push label"),
            },
        ),
        400,
    )
    ok(j.bob_api("POST", "/channels", {"kind": c("channel bad kind"), "target": "x"}), 422)
    for channel in Channel.objects.filter(person=j.alice):
        ok(j.alice_web.post(f"/settings/channels/{channel.code}/test/"), 302)
    for channel in Channel.objects.filter(person=j.bob):
        ok(j.bob_api("POST", f"/channels/{channel.code}/test"), 202)
    ok(
        j.bob_api(
            "POST",
            "/channels/push/forget",
            {"endpoint": "https://push.example/" + c("push forget endpoint")},
        ),
        204,
    )

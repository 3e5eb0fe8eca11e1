"""Answering a follow-up from the notification, on a phone. Alice turns on notifications; a
follow-up is dispatched through a local push service, which checks our VAPID signature and
whose payload is decrypted as her browser would and handed to the service worker. Then the
worker's own `notificationclick` handler runs inside it: "I'm OK" is recorded without opening
anything (one tap); "Not so good" opens the drop response with her own plan on screen (one
tap); telling someone takes one tap more, or none with "tell automatically".

The walk starts where a person starts: signing up on a phone set to Tokyo time (saved in that
zone), with Chromium's own installability check clean, before push is turned on."""

import json

import pytest

from accounts.models import Person
from alerts.models import Alert
from care import services as care
from followups import dispatcher
from followups.models import FollowUp, FollowUpState
from notify import services as channels
from notify import webpush
from notify.models import Delivery
from softlanding import far_ends
from softlanding.testing import (
    NO_QUIET,
    PASSWORD,
    TRANSACTIONAL_DB,
    make_connection,
    make_encounter,
    make_person,
    revealing_words,
)

pytestmark = [pytest.mark.browser, TRANSACTIONAL_DB]
PLAN = "Blanket, the playlist called Landing, and a message to Dee."
NOTE = "canary-5b1e the night by the lake"


class Phone:
    """Alice's phone: the page, its service worker, and the push subscription's keys."""

    def __init__(self, visitor, push_service):
        self.visitor = visitor
        self.page = visitor.page
        self.push_service = push_service
        self.keys = far_ends.Browser()
        self.taps = 0
        self.seen = 0  # push requests already read

    def subscribe(self):
        """Turn on notifications as the channels page does, with a subscription at the local
        push service (this browser's own would point at its vendor's, out of reach here)."""
        page = self.visitor.go("/settings/channels/")
        confirm = page.get_by_role("link", name="Confirm it's you")
        if confirm.count():  # adding a channel asks for a fresh sign-in
            confirm.click()
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Confirm").click()
        page.locator("[data-push]").wait_for(state="attached")
        status = page.evaluate(
            """async (subscription) => {
                const box = document.querySelector("[data-push]");
                await navigator.serviceWorker.register(box.dataset.sw, {scope: "/"});
                await navigator.serviceWorker.ready;
                const response = await fetch(box.dataset.api, {
                    method: "POST",
                    credentials: "same-origin",
                    headers: {"Content-Type": "application/json", "X-CSRFToken": box.dataset.csrf},
                    body: JSON.stringify({kind: "push", target: subscription, label: "Phone"}),
                });
                return response.status;
            }""",
            self.keys.subscription(self.push_service.endpoint),
        )
        assert status == 201

    @property
    def worker(self):
        [worker] = self.page.context.service_workers
        return worker

    def receive(self) -> dict:
        """Deliver what is due; read the one push request as the push service got it."""
        worker = dispatcher.worker_name()
        assert dispatcher.deliver(worker, dispatcher.claim(worker)) == 1
        for pk in Delivery.objects.filter(status="pending").values_list("pk", flat=True):
            channels.send_delivery.call(pk)
        requests = self.push_service.requests[self.seen :]
        self.seen += len(requests)
        [request] = requests
        audience = f"http://127.0.0.1:{self.push_service.port}"
        far_ends.verify_vapid(request["headers"]["authorization"], webpush.public_key(), audience)
        assert request["headers"]["content-encoding"] == "aes128gcm"
        payload = self.keys.decrypt(request["body"])
        text = json.dumps(payload)
        assert NOTE not in text and "canary" not in text, text
        assert revealing_words(f"{payload['title']} {payload['body']}") == [], payload
        return payload

    def show(self, payload: dict) -> dict:
        """The worker's push handler shows it; what the notification holds."""
        return self.worker.evaluate(
            """async (payload) => {
                await showFromPayload(payload);
                const [shown] = await self.registration.getNotifications({tag: "softlanding"});
                return {title: shown.title, body: shown.body, actions: shown.actions};
            }""",
            payload,
        )

    def tap(self, action: str) -> dict:
        """A tap on one of the notification's actions: the worker's own handler runs on it.

        Only a real click on a notification lets a worker open a window, and no DevTools
        command makes one, so `clients.openWindow` notes where it was asked to go; `open`
        then opens that page in the same browser, as the real click would."""
        self.taps += 1
        return self.worker.evaluate(
            """async (action) => {
                const opened = [];
                self.clients.openWindow = (url) => {
                    opened.push(url);
                    return Promise.resolve(null);
                };
                // The badge the worker sets, where this Chromium has the Badging API.
                self.badges = self.badges || [];
                const noted = (n) => { self.badges.push(n); return Promise.resolve(); };
                self.navigator.setAppBadge = noted;
                self.navigator.clearAppBadge = () => noted(0);
                try {
                    const [shown] = await self.registration.getNotifications({tag: "softlanding"});
                    await onNotificationClick({notification: shown, action: action});
                } finally {
                    delete self.clients.openWindow;
                }
                const after = await self.registration.getNotifications({tag: "softlanding"});
                return {shown: after.map((n) => n.body), opened: opened, badge: self.badges.pop()};
            }""",
            action,
        )

    def open(self, tapped: dict):
        [url] = tapped["opened"]
        page = self.page.context.new_page()
        page.set_default_timeout(10_000)
        page.goto(url)
        return page


def a_follow_up_due(person) -> FollowUp:
    """An encounter four hours ago: its first follow-up is asked now."""
    make_encounter(person, hours_ago=4, note=NOTE)
    return FollowUp.objects.filter(person=person, state=FollowUpState.SCHEDULED).earliest("due_at")


def test_answering_a_follow_up_from_its_notification(
    installing_visitors, push_service, live_server, settings
):
    settings.NOTIFY_ALLOW_PRIVATE_HOSTS = True
    settings.SITE_URL = live_server.url
    settings.INSTANCE_NAME = "Harbour"  # a neutral name: "Soft Landing" is a revealing word
    care.sync_catalogue()  # a transactional test starts from empty tables
    visitor = installing_visitors(timezone_id="Asia/Tokyo", permissions=["notifications"])
    visitor.sign_up("alice@example.org")  # push is turned on below, at the local push service
    alice = Person.objects.get(email="alice@example.org")
    assert alice.time_zone == "Asia/Tokyo"
    installability = visitor.page.context.new_cdp_session(visitor.page)
    assert installability.send("Page.getInstallabilityErrors")["installabilityErrors"] == []

    # Her name, her country's crisis lines, no quiet hours (the follow-ups ask at once), a plan.
    alice.display_name, alice.country = "Alice", "GB"
    for field, value in NO_QUIET.items():
        setattr(alice, field, value)
    alice.save()
    care.update_profile(alice, drop_helps=PLAN)
    bob = make_person("Bob")
    connection = make_connection(alice, bob)  # alice calls him "B"
    connection.sides.filter(person=alice).update(share_drop_alerts=True)

    phone = Phone(visitor, push_service)
    phone.subscribe()

    # "I'm OK": recorded with one tap, nothing opened, a quiet thank-you in its place.
    first = a_follow_up_due(alice)
    spent = payload = phone.receive()
    shown = phone.show(payload)
    assert shown["title"] == "You have a check-in waiting"
    assert [a["title"] for a in shown["actions"]] == ["I'm OK", "Not so good"]
    pages_before = len(visitor.page.context.pages)
    phone.taps = 0
    tapped = phone.tap("ok")
    first.refresh_from_db()
    assert first.state == FollowUpState.ANSWERED and first.answered_ok is True
    assert phone.taps == 1
    # Nothing waits any more: the badge on the app's icon goes.
    assert tapped == {
        "shown": ["Good to hear. Thank you for letting us know."],
        "opened": [],
        "badge": 0,
    }
    assert len(visitor.page.context.pages) == pages_before

    # "Not so good": one tap, and the drop response opens with her own plan on screen.
    second = a_follow_up_due(alice)
    phone.show(phone.receive())
    phone.taps = 0
    drop = phone.open(phone.tap("not_good"))
    plan = drop.locator(".plan-start").get_by_text("Blanket, the playlist")
    plan.wait_for()
    assert phone.taps == 1
    assert plan.is_visible()
    second.refresh_from_db()
    assert second.state == FollowUpState.ANSWERED and second.answered_ok is False
    drop_visitor = type(visitor)(drop, visitor.base_url)
    drop_visitor.screenshot("answer-from-notification-drop", full_page=False)
    # … and one tap more tells B.
    assert not Alert.objects.filter(checkin=second.checkin).exists()
    drop.get_by_role("button", name="Tell them I could use some care").click()
    phone.taps += 1
    drop.get_by_text("B").first.wait_for()
    assert Alert.objects.filter(checkin=second.checkin, automatic=False).exists()
    assert phone.taps == 2
    drop_visitor.screenshot("answer-from-notification-told", full_page=False)

    # With "tell automatically", the one tap on "Not so good" has told B already.
    alice.tell_automatically = True
    alice.save()
    third = a_follow_up_due(alice)
    phone.show(phone.receive())
    phone.taps = 0
    told = phone.open(phone.tap("not_good"))
    told.locator(".plan-start").get_by_text("Blanket, the playlist").wait_for()
    third.refresh_from_db()
    assert Alert.objects.filter(checkin=third.checkin, automatic=True).exists()
    assert phone.taps == 1
    type(visitor)(told, visitor.base_url).screenshot("answer-from-notification-auto")

    # The first notification again, its token spent: "I'm OK" opens the app instead.
    phone.show(spent)
    again = phone.tap("ok")
    assert again["opened"] == [spent["url"]]
    phone.open(again).get_by_text("You've answered this one already. Thank you.").wait_for()
    assert FollowUp.objects.get(pk=first.pk).checkin == first.checkin

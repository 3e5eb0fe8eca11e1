"""On a phone: Chromium's own installability check finds nothing missing, the service worker
registers, a page that cannot load shows the offline page, and the icon's badge shows the
number of follow-ups waiting."""

import json

import pytest
from django.utils import timezone

from followups.models import FollowUp, FollowUpState
from softlanding.testing import TRANSACTIONAL_DB, make_encounter, make_person

pytestmark = [pytest.mark.browser, TRANSACTIONAL_DB]

# The Badging API, observed: each number a page sets (0 for a cleared badge) is noted before
# the browser's own function runs, so the page behaves exactly as it would.
RECORD_BADGES = """
window.badgesSet = [];
const realSet = navigator.setAppBadge, realClear = navigator.clearAppBadge;
navigator.setAppBadge = function (count) {
  window.badgesSet.push(count);
  return realSet.call(navigator, count);
};
navigator.clearAppBadge = function () {
  window.badgesSet.push(0);
  return realClear.call(navigator);
};
"""


def last_badge(page):
    page.wait_for_function("window.badgesSet && window.badgesSet.length > 0")
    return page.evaluate("window.badgesSet[window.badgesSet.length - 1]")


def test_the_app_installs_works_offline_and_wears_a_badge(installing_visitor):
    visitor = installing_visitor
    robin = make_person("Robin")
    make_encounter(robin, hours_ago=1)
    waiting = list(FollowUp.objects.filter(person=robin).order_by("due_at")[:2])
    FollowUp.objects.filter(pk__in=[f.pk for f in waiting]).update(
        state=FollowUpState.SENT, sent_at=timezone.now()
    )
    page = visitor.page
    page.add_init_script(RECORD_BADGES)

    visitor.sign_in(robin)
    # Chromium has the Badging API (on a secure origin, as http://localhost is).
    assert page.evaluate("typeof Navigator.prototype.setAppBadge") == "function"
    # The service worker is registered by every signed-in page and takes charge of it.
    script = page.evaluate("navigator.serviceWorker.ready.then(r => r.active.scriptURL)")
    assert script == visitor.base_url + "/sw.js"
    page.wait_for_function("navigator.serviceWorker.controller !== null")

    cdp = page.context.new_cdp_session(page)
    found = cdp.send("Page.getAppManifest")
    assert found["url"] == visitor.base_url + "/manifest.webmanifest"
    assert found["errors"] == []
    manifest = json.loads(found["data"])
    assert manifest["name"] == "Soft Landing"
    assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []

    assert last_badge(page) == 2

    # What the device keeps: the offline page and its stylesheet, none of the pages seen.
    kept = page.evaluate(
        """caches.keys().then(names => Promise.all(names.map(
             name => caches.open(name).then(c => c.keys()).then(ks => ks.map(k => k.url))
           ))).then(lists => lists.flat())"""
    )
    assert sorted(kept) == [
        visitor.base_url + "/offline/",
        visitor.base_url + "/static/css/app.css",
    ]
    FollowUp.objects.filter(pk=waiting[0].pk).update(state=FollowUpState.ANSWERED)
    page.reload()
    assert last_badge(page) == 1

    page.context.set_offline(True)
    page.goto(visitor.base_url + "/encounters/")
    heading = page.get_by_role("heading", name="No connection right now")
    assert heading.is_visible()
    assert page.url == visitor.base_url + "/encounters/"
    # The stylesheet came from the copy kept beside the page.
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(251, 248, 245)"
    assert "Robin" not in page.content()
    visitor.screenshot("offline")
    visitor.check_accessibility()

    page.context.set_offline(False)
    page.get_by_role("link", name="Try again").click()
    assert page.get_by_role("heading", name="Encounters").is_visible()

    # Signed out, the badge goes: a number left on the icon would say someone was here.
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/")
    assert last_badge(page) == 0

"""Two people on the same page: invite, plan, a shared encounter, ending; and a guest."""

import re

import pytest

from softlanding.testing import TRANSACTIONAL_DB

pytestmark = [pytest.mark.browser, TRANSACTIONAL_DB]


def sign_up(visitor, email, name, start="/accounts/signup/"):
    page = visitor.fill_sign_up(email, start)
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url("**/consent/**")
    page.get_by_label("I am 18 or over.").check()
    page.get_by_label("I agree that Soft Landing").check()
    page.get_by_role("button", name="I agree").click()
    visitor.go("/settings/")
    page.get_by_label("What should we call you?").fill(name)
    page.get_by_role("button", name="Save settings").click()
    return page


def answer(page, category, item, side, value):
    """One tap on the profile: side is 0 for 'I'd like this', 1 for 'I'm glad to give'."""
    details = page.locator("details.category", has=page.locator("summary", has_text=category))
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    row = details.locator(".item", has_text=item).first
    row.locator("fieldset").nth(side).get_by_text(value, exact=True).click()
    row.locator(".saved").wait_for()


def finish_profile(visitor, boundaries):
    page = visitor.go("/profile/")
    page.get_by_label("Please don't…").fill(boundaries)
    page.get_by_role("button", name="Save — my profile is ready").click()
    page.get_by_text("Your profile is saved.").wait_for()


def test_two_people_get_on_the_same_page(visitors):
    alice, bob, guest = visitors(), visitors(), visitors()
    a = sign_up(alice, "alice@example.org", "Alice")

    a = alice.go("/partners/")
    alice.check_accessibility()
    a.get_by_label("What do you call them?").fill("Bee")
    a.get_by_role("button", name="Make an invite").click()
    link = a.get_by_label("Link").input_value()
    assert a.locator("img.qr").is_visible()
    alice.check_accessibility()
    alice.screenshot("invite")

    b = bob.go(link.replace(alice.base_url, ""))
    bob.check_accessibility()
    b.get_by_role("link", name="Create an account").click()
    sign_up(bob, "bob@example.org", "Bob", start=b.url.replace(bob.base_url, ""))
    b = bob.go(link.replace(bob.base_url, ""))
    b.get_by_label("What do you call them?").fill("Al")
    b.get_by_role("button", name="Connect").click()
    b.get_by_text("You're connected").wait_for()
    bob.check_accessibility()

    # Each chooses to share their profile with the other; nothing is shared before that.
    connection_url = alice.go("/partners/").get_by_role("link", name="Bee").get_attribute("href")
    alice.go(connection_url)
    a.get_by_text("Share your profile with Bee").wait_for()
    a.get_by_text("Waiting for Bee to share their profile with you").wait_for()
    for person, page in ((alice, a), (bob, b)):
        person.go(connection_url)
        page.get_by_label("Share my aftercare profile").check()
        if person is bob:
            # Bob lets Alice see some check-in answers: the ticks are the whole choice.
            sharing = b.locator(".pills-field", has_text="Check-in answers they can see")
            sharing.locator("label", has_text="How I felt").click()
            sharing.locator("label", has_text="What was fun").click()
        page.get_by_role("button", name="Save", exact=True).click()
        page.get_by_text("Saved.").wait_for()

    # Alice would like to be held; Bob would rather not give that. Both like water.
    alice.go("/profile/")
    answer(a, "Body", "Water", 0, "Yes")
    answer(a, "Closeness", "Being held", 0, "Yes")
    bob.go("/profile/")
    answer(b, "Body", "Water", 1, "Yes")
    answer(b, "Closeness", "Being held", 1, "No")
    finish_profile(alice, "No surprises, please.")

    alice.go(connection_url)
    a.get_by_text("Ready: your profile is finished and shared").wait_for()
    a.get_by_text("Waiting for Bee to finish theirs").wait_for()
    alice.check_accessibility()
    alice.screenshot("plan-steps")
    finish_profile(bob, "Ask before touching my neck.")

    for person, page in ((alice, a), (bob, b)):
        person.go(connection_url)
        page.get_by_role("heading", name=re.compile("is glad to give you")).wait_for()
        assert page.get_by_text("Ask before touching my neck.").is_visible()
        assert page.get_by_text("No surprises, please.").is_visible()
        person.check_accessibility()
    assert a.locator(".not-yet").get_by_text("Being held").is_visible()
    alice.screenshot("plan")
    bobs_page = b.content()
    assert "Being held" not in bobs_page
    assert "Not in this plan yet" not in bobs_page

    # An encounter together: Bob shares what was fun, keeps what didn't feel right.
    alice.go("/encounters/new/")
    a.get_by_text("With a partner").click()
    a.locator(".pills label", has_text="Bee").click()
    a.get_by_role("button", name="Save and check in").click()
    a.wait_for_url("**/checkin/")
    encounter_path = a.url.replace(alice.base_url, "").replace("checkin/", "")
    a.locator("label[for=id_pleasantness_5]").click()
    a.get_by_role("button", name="Save my check-in").click()

    b = bob.go(encounter_path + "checkin/")
    bob.check_accessibility()
    b.locator("label[for=id_pleasantness_5]").click()
    b.get_by_text("A few words, if you like").click()
    b.get_by_role("textbox", name="What was fun?").fill("Laughing at the cat")
    b.get_by_label("Anything that didn't feel right?").fill("The cold room")
    shared = b.locator(".pills-field", has_text="Share with")
    for label in ("How I felt", "Feeling words", "Whether I wanted care"):
        box = shared.locator("label", has_text=label)
        if shared.locator(f"input#{box.get_attribute('for')}").is_checked():
            box.click()
    fun = shared.locator("label", has_text="What was fun")
    assert shared.locator(f"input#{fun.get_attribute('for')}").is_checked()  # Bob's choice
    bob.screenshot("partner-checkin")
    b.get_by_role("button", name="Save my check-in").click()

    alice.go(encounter_path)
    a.get_by_text("What they shared with you").wait_for()
    assert a.get_by_text("Laughing at the cat").is_visible()
    assert "The cold room" not in a.content()
    alice.check_accessibility()
    alice.screenshot("shared-encounter")

    # Bob ends it: Alice sees nothing of Bob's any more.
    bob.go(connection_url + "end/")
    b.get_by_role("button", name="End the connection").click()
    alice.go(encounter_path)
    assert "Laughing at the cat" not in a.content()
    alice.go(connection_url)
    a.get_by_text("This connection has ended").wait_for()
    assert "Ask before touching my neck." not in a.content()

    # A guest link answered without an account reaches Alice only.
    alice.go("/partners/guests/")
    a.get_by_label("What do you call them?").fill("Sam from Friday")
    a.get_by_role("button", name="Make a guest link").click()
    guest_link = a.get_by_label("Link").input_value()
    g = guest.go(guest_link.replace(alice.base_url, ""))
    guest.check_accessibility()
    g.locator("label[for=id_feeling_5]").click()
    g.get_by_label("Anything you'd like them to know?").fill("Thanks for a kind night")
    g.get_by_label("I'd like to hear from them.").check()
    guest.screenshot("guest")
    g.get_by_role("button", name="Send").click()
    g.get_by_text("Your answer is on its way").wait_for()
    assert g.context.cookies() == []
    alice.go("/partners/guests/")
    assert a.get_by_text("Thanks for a kind night").is_visible()
    alice.check_accessibility()
    bob.go("/partners/guests/")
    assert "Thanks for a kind night" not in b.content()

"""Care at the hard moments, on a phone. Carol answers low and asks for care: her own plan,
one tap to tell someone and a crisis line are all on the first screen. Sam, a guest without
an account, answers Jordan's link low: the same grounding and crisis lines, for Jordan's
country or one Sam picks, and no cookie left behind; Jordan's inbox says someone answered."""

import datetime as dt

import pytest
from django.utils import timezone

from care import services as care
from checkins import services as checkins
from partners import guests
from softlanding.testing import TRANSACTIONAL_DB, make_connection, make_person

pytestmark = [pytest.mark.browser, TRANSACTIONAL_DB]
PLAN = "Blanket, the playlist called Landing, and a message to Dee."


def on_first_screen(locator) -> bool:
    box = locator.bounding_box()
    return (
        box is not None
        and box["y"] >= 0
        and box["y"] + box["height"] <= locator.page.viewport_size["height"]
    )


def check_in_very_low_asking_for_care(visitor, encounter):
    """The lowest point of the scale and "I'd like some care": the page that answers it, from
    its top."""
    page = visitor.go(f"/encounters/{encounter.code}/checkin/")
    page.locator("label[for$='pleasantness_0']").click()
    page.get_by_label("I'd like some care right now").check()
    page.get_by_role("button", name="Save my check-in").click()
    page.get_by_role("heading", name="You asked for care. Here it is.").wait_for()
    page.evaluate("window.scrollTo(0, 0)")
    return page


def test_a_low_answer_with_care_shows_plan_tell_and_a_crisis_line_on_the_first_screen(
    visitors,
):
    carol = make_person("Carol", country="GB", time_zone="Europe/London")
    dee = make_person("Dee")
    care.sync_catalogue()  # a transactional test starts from empty tables
    care.update_profile(carol, drop_helps=PLAN, self_care="Shower, then tea in bed.")
    connection = make_connection(carol, dee)  # carol calls her "B"
    connection.sides.filter(person=carol).update(share_drop_alerts=True)
    encounter = checkins.log_encounter(
        carol,
        occurred_at=timezone.now() - dt.timedelta(hours=1),
        kind="partnered",
        connections=[connection],
    )
    visitor = visitors()
    visitor.sign_in(carol)
    page = check_in_very_low_asking_for_care(visitor, encounter)

    plan = page.locator(".plan-start").get_by_text("Blanket, the playlist")
    tell = page.get_by_role("button", name="Tell them I could use some care")
    line = page.locator(".crisis-near a[href='tel:116123']")
    visitor.screenshot("drop-first-screen", full_page=False)
    visitor.screenshot("drop-response")
    for first in (plan, tell, line):
        assert on_first_screen(first), first
    visitor.check_accessibility()
    assert "it passes" not in page.locator("main").inner_text().lower()

    # "All crisis lines" jumps to the full list, with the emergency number.
    page.get_by_role("link", name="All crisis lines").click()
    assert on_first_screen(page.get_by_text("In an emergency: 999"))


def test_a_guest_answers_low_and_gets_care_without_an_account_or_a_cookie(visitors):
    jordan = make_person("Jordan", country="GB")
    _link, secret = guests.create_link(jordan, nickname="Sam")
    sam = visitors()
    page = sam.go(f"/g/{secret}/")
    page.locator("label[for=id_feeling_0]").click()
    page.locator(".pills label", has_text="lonely").click()
    page.get_by_label("I'd like some care right now").check()
    page.get_by_label("I'd like to hear from them.").check()
    page.get_by_role("button", name="Send").click()
    page.get_by_role("heading", name="Some care for right now").wait_for()
    assert page.get_by_text("Your answer is on its way").is_visible()
    assert page.get_by_role("link", name="116 123").first.is_visible()
    assert page.get_by_role("link", name="Find A Helpline").is_visible()
    assert page.get_by_text("A minute to ground yourself").is_visible()
    assert on_first_screen(page.locator(".crisis-near"))
    sam.screenshot("guest-care")
    sam.check_accessibility()

    page.get_by_label("Crisis lines for").select_option("DE")
    page.get_by_role("button", name="Show these lines").click()
    page.get_by_text("TelefonSeelsorge").first.wait_for()
    assert page.get_by_role("link", name="Find A Helpline").is_visible()
    assert page.get_by_label("Crisis lines for").input_value() == "DE"
    sam.screenshot("guest-care-other-country")
    sam.check_accessibility()
    assert page.context.cookies() == []

    maker = visitors()
    inbox = maker.sign_in(jordan)
    inbox = maker.go("/inbox/")
    line = inbox.get_by_role(
        "link", name="Someone answered your check-in link and would like to hear back."
    )
    assert line.is_visible()
    maker.check_accessibility()
    line.click()
    inbox.get_by_role("heading", name="What they said").wait_for()
    assert inbox.get_by_text("They'd like to hear from you.").is_visible()
    maker.screenshot("guest-answer-inbox-opened")


def test_a_guests_second_tab_gets_their_words_back_and_care(visitors):
    """Sam answered in one tab, then wrote what really happened in another. The link works
    once: the second tab's words come back to Sam instead of vanishing, with care."""
    jordan = make_person("Jordan", country="GB")
    _link, secret = guests.create_link(jordan)
    sam = visitors(console_checked=False)  # the refused answer is a 404 the console notes
    first = sam.go(f"/g/{secret}/")
    second = first.context.new_page()
    second.goto(f"{sam.base_url}/g/{secret}/")
    first.locator("label[for=id_feeling_4]").click()
    first.get_by_role("button", name="Send").click()
    first.get_by_role("heading", name="Thank you").wait_for()

    words = "I said I was fine. I am not, really."
    second.locator("label[for=id_feeling_0]").click()
    second.get_by_label("Anything you'd like them to know?").fill(words)
    second.get_by_role("button", name="Send").click()
    second.get_by_role("heading", name="This link doesn't work").wait_for()
    assert second.get_by_label("Your words were not sent", exact=False).input_value() == words
    assert second.get_by_role("heading", name="Some care for right now").is_visible()
    assert second.locator(".crisis-near a[href='tel:116123']").count() == 1
    assert second.context.cookies() == []
    sam.page = second
    sam.screenshot("guest-second-tab-words-back")
    sam.check_accessibility()


def test_after_a_show_with_no_plan_and_nobody_to_tell_a_crisis_line_is_still_on_top(visitors):
    """Robin, a performer, answers low after a show without asking for care: no plan yet,
    nobody chosen to tell. The page says so kindly, offers to write a plan, speaks to the
    empty room after a show, and keeps a crisis line on the first screen."""
    robin = make_person("Robin", country="NZ", time_zone="Pacific/Auckland")
    care.sync_catalogue()
    show = checkins.log_encounter(
        robin, occurred_at=timezone.now() - dt.timedelta(hours=1), kind="on_camera"
    )
    visitor = visitors()
    visitor.sign_in(robin)
    page = visitor.go(f"/encounters/{show.code}/checkin/")
    page.locator("label[for$='pleasantness_1']").click()
    page.locator(".pills label", has_text="lonely").click()
    page.get_by_role("button", name="Save my check-in").click()
    page.get_by_role("heading", name="Go gently with yourself").wait_for()
    page.evaluate("window.scrollTo(0, 0)")

    write = page.get_by_role("link", name="Write your drop plan")
    line = page.locator(".crisis-near a[href='tel:1737']")
    visitor.screenshot("drop-no-plan-first-screen", full_page=False)
    visitor.screenshot("drop-no-plan-on-camera")
    assert on_first_screen(page.get_by_text("You haven't written a drop plan yet"))
    assert on_first_screen(write) and on_first_screen(line)
    assert page.get_by_role("button", name="Tell them I could use some care").count() == 0
    assert page.get_by_role("link", name="Support contacts").is_visible()
    main = page.locator("main").inner_text()
    assert "full chat to an empty room" in main
    assert "Here is what you wrote" not in main
    assert "it passes" not in main.lower() and "your partner" not in main.lower()
    visitor.check_accessibility()

    page.get_by_role("link", name="All crisis lines").click()
    assert on_first_screen(page.get_by_text("In an emergency: 111"))
    write.click()
    page.wait_for_url("**/profile/**")
    assert page.locator("#id_drop_helps").is_visible()


def test_carol_who_never_gave_a_country_gets_the_lines_her_phone_names(visitors):
    """Carol skipped saying where she lives. Her phone speaks British English, so after a
    show that left her low the Samaritans are one tap away on the first screen, not a
    directory to search at 1 a.m."""
    carol = make_person("Carol", country="", time_zone="Europe/London")
    care.sync_catalogue()
    show = checkins.log_encounter(
        carol, occurred_at=timezone.now() - dt.timedelta(hours=1), kind="on_camera"
    )
    visitor = visitors(locale="en-GB")
    visitor.sign_in(carol)
    page = check_in_very_low_asking_for_care(visitor, show)
    assert on_first_screen(page.locator(".crisis-near a[href='tel:116123']"))
    visitor.screenshot("drop-lines-from-the-phones-region", full_page=False)
    carol.refresh_from_db()
    assert carol.country == ""  # read from the request, never kept

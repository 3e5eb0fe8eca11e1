"""A list longer than a page gets a pager below it, on a phone as elsewhere; a short one
looks as it always did."""

import pytest

from notify.models import Notification
from softlanding.testing import TRANSACTIONAL_DB, make_person

pytestmark = [pytest.mark.browser, TRANSACTIONAL_DB]


def test_the_inbox_pages_through_a_long_history(visitor):
    alice = make_person("Alice")
    Notification.objects.bulk_create(
        Notification(person=alice, kind=Notification.Kind.TEST) for _ in range(51)
    )
    visitor.sign_in(alice)

    page = visitor.go("/inbox/")
    assert page.locator(".inbox-line").count() == 50
    pager = page.get_by_role("navigation", name="Pages")
    assert pager.get_by_text("Page 1 of 2").is_visible()
    visitor.check_accessibility()
    pager.scroll_into_view_if_needed()
    visitor.screenshot("inbox-pager-phone", full_page=False)

    pager.get_by_role("link", name="Older").click()
    page.wait_for_url("**/inbox/?page=2")
    assert page.locator(".inbox-line").count() == 1
    assert page.get_by_role("navigation", name="Pages").get_by_text("Page 2 of 2").is_visible()

    Notification.objects.filter(person=alice).exclude(
        pk=Notification.objects.filter(person=alice).first().pk
    ).delete()
    page = visitor.go("/inbox/")
    assert page.get_by_role("navigation", name="Pages").count() == 0

"""An elderly resident in 长辈模式 votes on the phone: large text, large targets, axe passes, no pop-ups."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from jumin.deliberation import services
from jumin.deliberation.models import Vote

from .conftest import PHONE, assert_elder_page, check_axe, log_in, shot, switch_elder_mode

pytestmark = pytest.mark.e2e


def test_elderly_resident_votes_in_elder_mode(live_server, world, new_page):
    ballot = services.ballot_create(
        actor=world.users.secretary,
        question="是否同意更换小区健身器材",
        closes_at=timezone.now() + datetime.timedelta(days=3),
    )
    page = new_page(PHONE)
    log_in(page, live_server, world.users.resident.phone)  # 张三丰, 66
    page.goto(f"{live_server.url}/me/ballots/")
    switch_elder_mode(page, on=True)
    assert_elder_page(page)
    check_axe(page)
    page.get_by_role("link", name="是否同意更换小区健身器材").click()
    assert_elder_page(page)
    check_axe(page)
    shot(page, "deliberation-ballot-elder")
    page.get_by_text("同意", exact=True).click()
    page.get_by_role("button", name="确认投票").click()
    expect(page.get_by_role("status")).to_contain_text("投票成功")
    assert_elder_page(page)
    check_axe(page)
    assert Vote.objects.get(ballot=ballot).channel == "online"

"""The public board (no login) shows that a ballot is open but no count before the close, and the result after."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from jumin.deliberation import services

from .conftest import DESKTOP, check_axe, shot

pytestmark = pytest.mark.e2e


def test_public_board_shows_result_after_close_and_nothing_before(live_server, world, new_page):
    start = timezone.now()
    ballot = services.ballot_create(
        actor=world.users.secretary,
        question="是否同意更换健身器材",
        closes_at=start + datetime.timedelta(hours=1),
        now=start,
    )
    services.vote_cast(actor=world.users.resident, ballot=ballot, choices=["yes"], now=start)
    services.vote_cast(actor=world.users.neighbour, ballot=ballot, choices=["yes"], now=start)
    page = new_page(DESKTOP)
    page.goto(f"{live_server.url}/public/{world.a.uuid}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("居民监督公开栏")
    item = page.locator(".board-item").filter(has_text="是否同意更换健身器材")
    expect(item).to_contain_text("投票进行中")
    expect(item).not_to_contain_text("票(")
    check_axe(page)
    services.ballots_sync(now=start + datetime.timedelta(hours=2))
    with time_machine.travel(start + datetime.timedelta(hours=2), tick=True):
        page.goto(f"{live_server.url}/public/{world.a.uuid}/")
        item = page.locator(".board-item").filter(has_text="是否同意更换健身器材")
        expect(item).to_contain_text("公示中 · 通过")
        expect(item).to_contain_text("实投 2")
        expect(item).to_contain_text("2 票(100%)")
        check_axe(page)
        shot(page, "deliberation-board")
        page.goto(f"{live_server.url}/public/{world.a.uuid}/screen/")
        # Full-screen 宣传栏: one section at a time, cycling; the results section is among them.
        expect(page.locator("main.cycling")).to_have_count(1)
        expect(page.locator("[data-section].current")).to_have_count(1)
        expect(page.locator("[data-section]").filter(has_text="表决结果")).to_contain_text("实投 2")
        shot(page, "deliberation-screen")

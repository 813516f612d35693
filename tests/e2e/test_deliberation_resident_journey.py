"""A resident supports a neighbour's proposal on the phone; later, once the secretary has put it to vote, votes on it."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from jumin.deliberation import services
from jumin.deliberation.models import Vote

from .conftest import PHONE, assert_resident_page, log_in, shot

pytestmark = pytest.mark.e2e


def test_resident_supports_then_votes_on_the_phone(live_server, world, new_page):
    proposal = services.proposal_create(
        actor=world.users.neighbour,
        title="南门停车位重新划线",
        text="南门停车位线磨没了,车辆乱停。",
        category="parking",
    )
    page = new_page(PHONE)
    log_in(page, live_server, world.users.resident.phone)
    page.goto(f"{live_server.url}/me/proposals/")
    expect(page.get_by_role("heading", level=1)).to_have_text("居民议事")
    assert_resident_page(page, elder=False)
    shot(page, "deliberation-proposals-phone")
    page.get_by_role("link", name="南门停车位重新划线").click()
    expect(page.get_by_text("0 人附议")).to_be_visible()
    page.get_by_role("button", name="我附议").click()
    expect(page.get_by_role("status")).to_contain_text("已附议")
    expect(page.get_by_text("✔ 您已附议")).to_be_visible()
    assert_resident_page(page, elder=False)

    # The secretary coordinates and puts the plan to vote.
    secretary = world.users.secretary
    proposal.refresh_from_db()
    services.proposal_start_coordination(actor=secretary, proposal=proposal)
    services.proposal_set_plan(actor=secretary, proposal=proposal, plan="重新划线 20 个车位,费用 3,000 元。")
    services.ballot_create(
        actor=secretary,
        proposal=proposal,
        question="是否同意南门停车位划线方案",
        closes_at=timezone.now() + datetime.timedelta(days=3),
    )

    page.goto(f"{live_server.url}/me/ballots/")
    page.get_by_role("link", name="是否同意南门停车位划线方案").click()
    expect(page.get_by_text("任何人(包括工作人员)都看不到票数")).to_be_visible()
    assert_resident_page(page, elder=False)
    shot(page, "deliberation-ballot-phone")
    page.get_by_text("同意", exact=True).click()
    page.get_by_role("button", name="确认投票").click()
    expect(page.get_by_role("status")).to_contain_text("投票成功")
    expect(page.get_by_text("您家已投票")).to_be_visible()
    assert Vote.objects.get().choices == ["yes"]

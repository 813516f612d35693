"""An elderly resident in 长辈模式 opens a notice aimed at 60+ residents, reads it (and may have it read aloud);
the staff see the reading in the receipts. A younger neighbour never sees it."""

import re

import pytest
from playwright.sync_api import expect

from jumin.news import services
from jumin.news.models import NoticeReceipt

from .conftest import PHONE, assert_elder_page, check_axe, log_in, shot, switch_elder_mode

pytestmark = pytest.mark.e2e


def test_elderly_resident_reads_a_targeted_notice_in_elder_mode(live_server, world, new_page):
    notice = services.notice_publish(
        actor=world.users.secretary,
        community=world.a,
        title="老年人免费体检",
        body="60 岁以上老人本周三上午到社区卫生服务站免费体检,请带身份证。",
        category="event",
        tags=["elderly"],
    )
    elder = new_page(PHONE)
    log_in(elder, live_server, world.users.resident.phone)
    switch_elder_mode(elder, on=True)
    elder.get_by_role("link", name=re.compile("社区通知")).click()
    expect(elder.get_by_role("heading", level=1)).to_have_text("社区通知")
    expect(elder.get_by_text("● 未读")).to_be_visible()
    assert_elder_page(elder)
    check_axe(elder)
    elder.get_by_role("link", name="老年人免费体检").click()
    expect(elder.get_by_role("heading", level=1)).to_have_text("老年人免费体检")
    expect(elder.get_by_text("请带身份证")).to_be_visible()
    expect(elder.get_by_role("button", name="朗读通知")).to_be_visible()
    assert_elder_page(elder)
    check_axe(elder)
    shot(elder, "news-notice-elder")
    assert NoticeReceipt.objects.filter(notice=notice, resident=world.resident).exists()
    elder.get_by_role("link", name="‹ 返回社区通知").click()
    expect(elder.get_by_text("✔ 已读")).to_be_visible()

    younger = new_page(PHONE)
    log_in(younger, live_server, world.users.neighbour.phone)
    younger.goto(f"{live_server.url}/me/notices/")
    expect(younger.get_by_text("暂时没有给您的通知")).to_be_visible()
    assert younger.goto(f"{live_server.url}/me/notices/{notice.uuid}/").status == 404

"""好家风阅览室 at the desk: the librarian scans a book's ISBN, finds the reader and lends it; the reader sees the
loan on the phone; the librarian scans it again and takes it back."""

import re

import pytest
from playwright.sync_api import expect

from jumin.library.models import Book, Loan
from jumin.library.tests.factories import BookFactory

from .conftest import DESKTOP, PHONE, assert_elder_page, check_axe, log_in, shot, switch_elder_mode

pytestmark = pytest.mark.e2e


def test_librarian_lends_and_takes_back_a_book_by_isbn(live_server, world, new_page):
    book = BookFactory(community=world.a, title="好家风读本", author="王明", copies=1, isbn="9787544291163")

    desk = new_page(DESKTOP)
    log_in(desk, live_server, world.users.window_staff.phone)
    desk.get_by_role("navigation", name="功能导航").get_by_role("link", name="阅览室借还").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("阅览室借还")
    check_axe(desk)
    desk.get_by_label("图书(扫 ISBN 条码或输入书名)").fill("978-7-5442-9116-3")
    desk.get_by_label(re.compile("^读者")).fill("张三丰")
    desk.get_by_role("button", name="查找", exact=True).click()
    expect(desk.get_by_label(re.compile("《好家风读本》"))).to_be_checked()
    expect(desk.get_by_label(re.compile("张三丰"))).to_be_checked()
    check_axe(desk)
    desk.get_by_role("button", name="借出", exact=True).click()
    expect(desk.get_by_role("status").filter(has_text="已借出《好家风读本》给 张三丰")).to_be_visible()
    loan = Loan.objects.get(book=book)
    assert loan.resident == world.resident and Book.objects.get(pk=book.pk).available == 0

    phone = new_page(PHONE)
    log_in(phone, live_server, world.users.resident.phone)
    phone.get_by_role("link", name=re.compile("好家风阅览室")).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("好家风阅览室")
    phone.get_by_role("link", name="我借的书").click()
    expect(phone.get_by_text("《好家风读本》")).to_be_visible()
    expect(phone.get_by_text(re.compile("应还日期 \\d{4}年\\d{1,2}月\\d{1,2}日"))).to_be_visible()
    check_axe(phone)
    switch_elder_mode(phone, on=True)
    assert_elder_page(phone)
    shot(phone, "library-my-loans-elder")

    desk.get_by_label("要还的书(扫 ISBN 条码或输入书名)").fill("9787544291163")
    desk.get_by_role("button", name="查找借出记录").click()
    desk.get_by_role("button", name="还书 《好家风读本》 张三丰").click()
    expect(desk.get_by_role("status").filter(has_text="已还书:《好家风读本》(张三丰)")).to_be_visible()
    check_axe(desk)
    shot(desk, "library-desk")
    loan.refresh_from_db()
    assert loan.returned_to == world.users.window_staff and Book.objects.get(pk=book.pk).available == 1

"""A resident orders a repair on the phone, the vendor accepts and completes it on its phone, the resident rates it."""

import re

import pytest
from playwright.sync_api import expect

from jumin.cases.models import Case, CaseRating
from jumin.vendors.models import ServiceOrder, VendorRating
from jumin.vendors.tests.factories import VendorFactory, tomorrow

from .conftest import PHONE, assert_elder_page, check_axe, log_in, shot, switch_elder_mode

pytestmark = pytest.mark.e2e


def test_resident_orders_a_repair_the_vendor_completes_it_and_the_resident_rates_it(live_server, world, new_page):
    vendor = VendorFactory(community=world.a, name="老马水电维修", category="repair", discount_percent=80)

    # --- the resident finds 维修 on the phone and orders ---
    resident = new_page(PHONE)
    log_in(resident, live_server, world.users.resident.phone)
    resident.get_by_role("link", name=re.compile("便民服务")).click()
    expect(resident.get_by_role("heading", level=1)).to_have_text("便民服务")
    check_axe(resident)
    shot(resident, "vendors-browse")
    resident.get_by_role("link", name=re.compile("^维修")).click()
    expect(resident.get_by_role("heading", level=1)).to_have_text("维修")
    resident.get_by_role("link", name=re.compile("老马水电维修")).click()
    expect(resident.locator("main")).to_contain_text("居民享8折")
    check_axe(resident)
    resident.get_by_role("link", name="预约上门服务").click()
    expect(resident.get_by_label("服务地址")).to_have_value(world.home.dwelling.address)
    switch_elder_mode(resident, on=True)
    assert_elder_page(resident)
    check_axe(resident)
    resident.get_by_label("上门日期").fill(tomorrow().isoformat())
    resident.get_by_label("下午(13:00–18:00)").check()
    resident.get_by_label("需要什么服务").fill("厨房水龙头漏水,需要换一个")
    resident.get_by_role("button", name="提交预约").click()
    expect(resident.locator("main")).to_contain_text("已向老马水电维修下单")
    expect(resident.locator("main")).to_contain_text("当前状态已下单")
    shot(resident, "vendors-order-placed")
    switch_elder_mode(resident, on=False)
    case = Case.objects.get(kind="service_order")

    # --- the vendor logs in on its phone and lands on its orders ---
    shop = new_page(PHONE)
    log_in(shop, live_server, vendor.user.phone)
    expect(shop.get_by_role("heading", level=1)).to_contain_text("我的订单")
    check_axe(shop)
    shop.get_by_role("link", name=re.compile(case.number)).click()
    expect(shop.locator("main")).to_contain_text("厨房水龙头漏水")
    check_axe(shop)
    shot(shop, "vendors-vendor-order")
    shop.get_by_role("button", name="接单", exact=True).click()
    expect(shop.get_by_role("status").filter(has_text="已接单")).to_be_visible()
    shop.get_by_role("button", name="已到达,开始服务").click()
    expect(shop.locator("main")).to_contain_text("已登记上门")
    shop.get_by_label("原价(元)").fill("100")
    shop.get_by_label("实收(元)").fill("90")
    shop.get_by_role("button", name="服务完成").click()
    expect(shop.locator("main")).to_contain_text("最多收 80.00 元")
    shop.get_by_label("原价(元)").fill("100")
    shop.get_by_label("实收(元)").fill("80")
    shop.get_by_role("button", name="服务完成").click()
    expect(shop.locator("main")).to_contain_text("已登记服务完成")
    check_axe(shop)

    # --- the resident sees the price with the discount and rates ---
    resident.reload()
    expect(resident.locator("main")).to_contain_text("当前状态已完成")
    panel = resident.get_by_role("region", name="订单信息")
    expect(panel).to_contain_text("原价 100.00 元,居民享8折,实收 80.00 元(省 20.00 元)")
    check_axe(resident)
    group = panel.get_by_role("group", name="价格实惠吗")
    group.get_by_label("5 星(很好)").check()
    panel.get_by_role("group", name="准时上门了吗").get_by_label("4 星(较好)").check()
    panel.get_by_role("group", name="活干得好吗").get_by_label("5 星(很好)").check()
    panel.get_by_label("想说的话(可不填)").fill("师傅很专业")
    panel.get_by_role("button", name="提交评价").click()
    expect(resident.locator("main")).to_contain_text("感谢您的评价")
    expect(resident.locator("main")).to_contain_text("当前状态已评价")
    check_axe(resident)
    shot(resident, "vendors-rated")

    order = ServiceOrder.objects.get(case=case)
    assert order.charged == 80 and Case.objects.get(pk=case.pk).status == "rated"
    rating = VendorRating.objects.get(order=order)
    assert (rating.price, rating.punctuality, rating.quality, rating.comment) == (5, 4, 5, "师傅很专业")
    assert CaseRating.objects.get(case=case).value == "satisfied"

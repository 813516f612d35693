"""便民生活服务直通车: an elderly resident in 长辈模式 finds washing powder on the phone (slot, price beside market
price, what it saves), orders it for delivery and pays no fee; the window staff pick and pack it, send it with a
colleague, hand it over with the pickup code; the savings report counts it as a free 60+ delivery."""

import re

import pytest
from playwright.sync_api import expect

from jumin.shelf.models import Order, OrderStatus, Slot
from jumin.shelf.tests.factories import ProductFactory

from .conftest import DESKTOP, PHONE, assert_elder_page, check_axe, log_in, shot, switch_elder_mode

pytestmark = pytest.mark.e2e


def test_an_elder_orders_washing_powder_for_free_delivery_and_staff_deliver_it(live_server, world, new_page):
    powder = ProductFactory(community=world.a, name="洗衣粉", spec="500 g", stock=30)
    ProductFactory(community=world.a, name="肥皂", spec="4 块", factory_price="3.50", market_price="4.80", stock=10)
    Slot.objects.create(community=world.a, number=12, product=powder)

    phone = new_page(PHONE)
    log_in(phone, live_server, world.users.resident.phone)
    switch_elder_mode(phone, on=True)
    phone.get_by_role("link", name=re.compile("便民直通车")).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("便民直通车")
    card = phone.locator("li.card").filter(has_text="洗衣粉")
    expect(card).to_contain_text("直通车价 0.92 元")
    expect(card).to_contain_text("市场价 1.30 元")
    expect(card).to_contain_text("省 0.38 元")
    expect(card).to_contain_text("货架 012 号")
    check_axe(phone)
    assert_elder_page(phone)
    card.get_by_label("数量").fill("2")
    card.get_by_role("button", name="把 洗衣粉 500 g 放入购物篮").click()
    expect(phone.get_by_role("status").filter(has_text="已放入购物篮:洗衣粉 500 g × 2")).to_be_visible()
    phone.get_by_role("link", name=re.compile("购物篮")).click()
    expect(phone.get_by_text("比市场价省 0.76 元")).to_be_visible()
    phone.get_by_label(re.compile("您已年满 60 周岁")).check()
    check_axe(phone)
    assert_elder_page(phone)
    phone.get_by_role("button", name="提交订单").click()
    expect(phone.get_by_role("status").filter(has_text="下单成功")).to_be_visible()
    expect(phone.get_by_text("送货上门(60 岁以上免费)")).to_be_visible()
    expect(phone.get_by_text(re.compile("应付 1.84 元"))).to_be_visible()
    check_axe(phone)
    assert_elder_page(phone)
    shot(phone, "shelf-elder-order")
    order = Order.objects.get()
    assert (order.free_delivery, str(order.delivery_fee)) == (True, "0.00")

    desk = new_page(DESKTOP)
    log_in(desk, live_server, world.users.window_staff.phone)
    desk.get_by_role("navigation", name="功能导航").get_by_role("link", name="直通车订单").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("直通车订单")
    check_axe(desk)
    desk.get_by_role("link", name="拣货单").click()
    expect(desk.get_by_role("cell", name="012")).to_be_visible()
    check_axe(desk)
    desk.get_by_role("link", name=order.number).click()
    desk.get_by_role("button", name="拣货打包完成").click()
    expect(desk.get_by_role("status").filter(has_text="已拣货打包")).to_be_visible()
    desk.get_by_label("送货人(工作人员或志愿者)").select_option(label=f"{world.users.grid_worker.name}(网格员)")
    desk.get_by_role("button", name="安排送货").click()
    expect(desk.get_by_role("status").filter(has_text=f"已安排 {world.users.grid_worker.name} 送货")).to_be_visible()
    desk.get_by_label("取件码(向居民要)").fill(order.pickup_code)
    desk.get_by_role("button", name="核对取件码并交货").click()
    expect(desk.get_by_role("status").filter(has_text="已交货,订单完成")).to_be_visible()
    desk.get_by_label("现金").check()
    desk.get_by_role("button", name="登记收款").click()
    expect(desk.get_by_role("status").filter(has_text="已登记收款 1.84 元")).to_be_visible()
    check_axe(desk)
    order.refresh_from_db()
    assert order.status == OrderStatus.RECEIVED and order.paid_at is not None

    desk.get_by_role("navigation", name="功能导航").get_by_role("link", name="直通车节省报表").click()
    expect(desk.get_by_test_id("saved")).to_have_text("0.76 元")
    expect(desk.get_by_test_id("elderly")).to_have_text("1 次")
    check_axe(desk)
    shot(desk, "shelf-report")

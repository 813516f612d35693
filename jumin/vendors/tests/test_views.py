"""Pages per role: the resident orders on the phone, the vendor works only its own orders, staff vet and follow."""

import io

import pytest
from openpyxl import load_workbook

from jumin.cases.models import Case
from jumin.vendors.models import Vendor, VendorStatus

from .factories import VendorFactory, advance, licence_file, place, tomorrow


def test_resident_browses_categories_and_sees_only_approved_vendors(login, vendors):
    VendorFactory(community=vendors.a, name="待审核维修部", status=VendorStatus.PENDING)
    VendorFactory(community=vendors.a, name="已暂停维修部", status=VendorStatus.SUSPENDED)
    client = login(vendors.users.resident)
    page = client.get("/me/services/")
    assert page.status_code == 200 and "维修" in page.content.decode()
    listing = client.get("/me/services/repair/").content.decode()
    assert vendors.vendor.name in listing and "居民享8折" in listing
    assert "待审核维修部" not in listing and "已暂停维修部" not in listing and "黄河维修部" not in listing
    pending = Vendor.objects.get(name="待审核维修部")
    assert client.get(f"/me/services/vendors/{pending.uuid}/").status_code == 404
    assert client.get(f"/me/services/vendors/{vendors.vendor_b.uuid}/").status_code == 404
    assert client.get("/me/services/nonsense/").status_code == 404


def test_resident_orders_with_the_address_prefilled(login, vendors):
    client = login(vendors.users.resident)
    form = client.get(f"/me/services/vendors/{vendors.vendor.uuid}/order/").content.decode()
    assert vendors.home.dwelling.address in form
    response = client.post(
        f"/me/services/vendors/{vendors.vendor.uuid}/order/",
        {
            "window_date": tomorrow().isoformat(),
            "window_slot": "afternoon",
            "description": "卫生间下水道堵了",
            "address": vendors.home.dwelling.address,
            "contact_phone": vendors.resident.phone,
            "photo": licence_file("photo.png"),
        },
    )
    case = Case.objects.get(kind="service_order")
    assert response.status_code == 302 and response["Location"] == f"/me/cases/{case.uuid}/"
    assert case.attachments.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "已向" in page and "订单信息" in page and "下午(13:00–18:00)" in page


def test_order_form_refuses_hostile_input_without_writing(login, vendors):
    client = login(vendors.users.resident)
    response = client.post(
        f"/me/services/vendors/{vendors.vendor.uuid}/order/",
        {"window_date": "2026-99-99", "window_slot": "midnight", "description": "x" * 20000, "address": "=1+1"},
    )
    assert response.status_code == 200 and not Case.objects.exists()


def test_vendor_sees_only_its_own_orders(login, vendors):
    mine = place(vendors, vendors.vendor)
    theirs = place(vendors, vendors.other_vendor)
    client = login(vendors.vendor.user)
    home = client.get("/vendor/").content.decode()
    assert mine.case.number in home and theirs.case.number not in home
    assert client.get(f"/vendor/orders/{mine.case.uuid}/").status_code == 200
    assert client.get(f"/vendor/orders/{theirs.case.uuid}/").status_code == 404
    assert client.post(f"/vendor/orders/{theirs.case.uuid}/accept/").status_code == 404
    assert client.get(f"/me/cases/{mine.case.uuid}/").status_code == 404
    assert Case.objects.get(pk=theirs.case.pk).status == "placed"


def test_vendor_accepts_visits_and_completes_on_its_pages(login, vendors):
    order = place(vendors, vendors.vendor)
    client = login(vendors.vendor.user)
    url = f"/vendor/orders/{order.case.uuid}/"
    assert "接单" in client.get(url).content.decode()
    client.post(url + "accept/")
    client.post(url + "visit/")
    refused = client.post(url + "complete/", {"list_price": "100", "charged": "95"}, follow=True)
    assert "最多收 80.00 元" in refused.content.decode()
    done = client.post(url + "complete/", {"list_price": "100", "charged": "80"}, follow=True)
    assert "已登记服务完成" in done.content.decode()
    assert Case.objects.get(pk=order.case.pk).status == "done"


def test_resident_rates_from_the_order_panel(login, vendors):
    order = advance(place(vendors, vendors.vendor), "done")
    client = login(vendors.users.resident)
    page = client.get(f"/me/cases/{order.case.uuid}/").content.decode()
    assert "给这次服务打分" in page and "您对办理结果满意吗" not in page
    response = client.post(
        f"/me/services/orders/{order.case.uuid}/rate/", {"price": "5", "punctuality": "5", "quality": "4"}, follow=True
    )
    assert "感谢您的评价" in response.content.decode()
    assert Case.objects.get(pk=order.case.pk).status == "rated"
    assert client.post(f"/me/services/orders/{order.case.uuid}/rate/", {"price": "99"}).status_code == 302


def test_outsider_resident_gets_404_for_an_order(login, vendors):
    order = place(vendors, vendors.vendor)
    client = login(vendors.users.outsider)
    assert client.get(f"/me/cases/{order.case.uuid}/").status_code == 404
    assert client.post(f"/me/services/orders/{order.case.uuid}/cancel/").status_code == 404


def test_vendor_without_a_business_is_sent_to_apply_and_can(login, world):
    from jumin.core.models import Role
    from jumin.people.tests.factories import UserFactory

    user = UserFactory(role=Role.VENDOR, community=world.a)
    client = login(user)
    assert client.get("/")["Location"] == "/vendor/"
    assert client.get("/vendor/")["Location"] == "/vendor/apply/"
    response = client.post(
        "/vendor/apply/",
        {
            "name": "新开家政",
            "category": "housekeeping",
            "contact_name": "周",
            "contact_phone": "13712345678",
            "service_area": "玉龙湖社区",
            "offer_kind": "discount",
            "discount_percent": "85",
            "licence": licence_file(),
        },
        follow=True,
    )
    assert "正在等待社区审核" in response.content.decode()
    assert Vendor.objects.get(user=user).status == VendorStatus.PENDING


def test_secretary_vets_and_suspends_from_the_office(login, vendors):
    pending = VendorFactory(community=vendors.a, name="待审核家政", status=VendorStatus.PENDING)
    client = login(vendors.users.secretary)
    page = client.get(f"/office/vendors/{pending.uuid}/").content.decode()
    assert "审核通过" in page
    client.post(f"/office/vendors/{pending.uuid}/approve/")
    assert Vendor.objects.get(pk=pending.pk).status == VendorStatus.APPROVED
    response = client.post(f"/office/vendors/{pending.uuid}/suspend/", {"reason": ""}, follow=True)
    assert "请填写暂停的原因" in response.content.decode()
    client.post(f"/office/vendors/{pending.uuid}/suspend/", {"reason": "差评整改"})
    assert Vendor.objects.get(pk=pending.pk).status == VendorStatus.SUSPENDED


def test_grid_worker_may_view_but_not_vet(login, vendors):
    pending = VendorFactory(community=vendors.a, status=VendorStatus.PENDING)
    client = login(vendors.users.grid_worker)
    assert client.get(f"/office/vendors/{pending.uuid}/").status_code == 200
    assert client.post(f"/office/vendors/{pending.uuid}/approve/").status_code == 403
    assert Vendor.objects.get(pk=pending.pk).status == VendorStatus.PENDING


def test_other_communitys_secretary_gets_404(login, vendors):
    client = login(vendors.users.other_secretary)
    assert client.get(f"/office/vendors/{vendors.vendor.uuid}/").status_code == 404
    assert client.post(f"/office/vendors/{vendors.vendor.uuid}/suspend/", {"reason": "x"}).status_code == 404


def test_resident_and_vendor_cannot_open_office_pages(login, vendors):
    for user in (vendors.users.resident, vendors.vendor.user):
        assert login(user).get("/office/vendors/").status_code == 404


def test_staff_orders_for_a_resident_who_phones_in(login, vendors):
    client = login(vendors.users.window_staff)
    url = f"/office/vendors/orders/new/?resident={vendors.far_resident.uuid}&vendor={vendors.vendor.uuid}"
    assert vendors.far_resident.household.dwelling.address in client.get(url).content.decode()
    response = client.post(
        "/office/vendors/orders/new/",
        {
            "resident": str(vendors.far_resident.uuid),
            "vendor": str(vendors.vendor.uuid),
            "window_date": tomorrow().isoformat(),
            "window_slot": "morning",
            "description": "电话报修:灯不亮",
            "address": "玉龙花园 2号楼201",
            "contact_phone": "13812345678",
        },
    )
    case = Case.objects.get(kind="service_order")
    assert response["Location"] == f"/office/cases/{case.uuid}/" and case.resident == vendors.far_resident


@pytest.fixture
def many_orders(vendors):
    for i in range(22):
        VendorFactory(community=vendors.a, name=f"商家{i:02d}")
        place(vendors, vendors.vendor, description=f"第{i}单")
    return vendors


@pytest.mark.parametrize(
    "url", ["/office/vendors/", "/office/vendors/orders/", "/office/vendors/orders/?status=placed"]
)
def test_office_lists_run_a_constant_number_of_queries(login, many_orders, url, django_assert_max_num_queries):
    client = login(many_orders.users.secretary)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_vendor_home_and_resident_category_are_constant_queries(login, many_orders, django_assert_max_num_queries):
    client = login(many_orders.vendor.user)
    with django_assert_max_num_queries(10):
        assert client.get("/vendor/?tab=new").status_code == 200
    client.logout()
    client = login(many_orders.users.resident)
    with django_assert_max_num_queries(10):
        assert client.get("/me/services/repair/").status_code == 200


def test_order_ledger_follows_filters_and_masks_phones(login, many_orders):
    response = login(many_orders.users.secretary).get("/office/vendors/orders/export.xlsx?status=placed")
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][0] == "编号" and len(rows) == 23
    assert all("****" in row[5] for row in rows[1:])


def test_vendor_ledger_exports(login, many_orders):
    response = login(many_orders.users.secretary).get("/office/vendors/export.xlsx?category=repair")
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][0] == "商家" and len(rows) == 1 + 24 + 0


def test_staff_never_accept_a_service_order_in_the_vendors_place(login, vendors):
    """接单 is the vendor's step: the case page offers staff no 受理 or 指派, and neither the page's POST nor the
    API moves a placed order on."""
    from jumin.core.models import ApiToken

    order = place(vendors, vendors.vendor)
    staff = vendors.users.window_staff
    client = login(staff)
    page = client.get(f"/office/cases/{order.case.uuid}/").content.decode()
    assert f"/cases/{order.case.uuid}/take/" not in page and f"/cases/{order.case.uuid}/assign/" not in page
    refused = client.post(f"/cases/{order.case.uuid}/take/", follow=True).content.decode()
    assert "便民服务订单不由工作人员受理" in refused
    api = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(staff)}"}
    response = client.post(
        f"/api/v1/cases/{order.case.uuid}/transitions", {"to": "accepted"}, content_type="application/json", **api
    )
    assert response.status_code == 400 and "不由工作人员受理" in response.json()["detail"]
    response = client.post(
        f"/api/v1/cases/{order.case.uuid}/assign",
        {"assignee": str(vendors.users.secretary.uuid)},
        content_type="application/json",
        **api,
    )
    assert response.status_code in (400, 403, 404, 422)
    case = Case.objects.get(pk=order.case.pk)
    assert (case.status, case.assignee_id) == ("placed", None)

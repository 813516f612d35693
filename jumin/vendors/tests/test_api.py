import pytest

from jumin.cases.models import Case
from jumin.core.models import ApiToken
from jumin.vendors.models import VendorStatus

from .factories import VendorFactory, advance, place, tomorrow


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}


def post(client, user, path, data):
    return client.post(path, data, content_type="application/json", **bearer(user))


def order_payload(vendor, **extra):
    return {
        "vendor": str(vendor.uuid),
        "description": "空调不制冷",
        "window": {"date": tomorrow().isoformat(), "slot": "morning"},
        **extra,
    }


def test_resident_lists_approved_vendors_of_the_community(client, vendors, django_assert_max_num_queries):
    for i in range(20):
        VendorFactory(community=vendors.a, name=f"家政{i}", category="housekeeping")
    VendorFactory(community=vendors.a, status=VendorStatus.PENDING)
    headers = bearer(vendors.users.resident)
    with django_assert_max_num_queries(6):
        body = client.get("/api/v1/vendors?page_size=100", **headers).json()
    assert body["count"] == 22 and {"items", "count", "page", "pages", "next"} <= set(body)
    assert all(v["status"] == "approved" for v in body["items"])
    assert client.get("/api/v1/vendors?category=housekeeping", **headers).json()["count"] == 20
    assert client.get("/api/v1/vendors?category=nope", **headers).status_code == 422


def test_staff_see_pending_vendors_too(client, vendors):
    VendorFactory(community=vendors.a, status=VendorStatus.PENDING)
    body = client.get("/api/v1/vendors?status=pending", **bearer(vendors.users.secretary)).json()
    assert body["count"] == 1


def test_resident_orders_through_the_api(client, vendors):
    response = post(client, vendors.users.resident, "/api/v1/vendors/orders", order_payload(vendors.vendor))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "placed" and body["vendor"]["uuid"] == str(vendors.vendor.uuid)
    assert body["address"] == vendors.home.dwelling.address
    case = Case.objects.get(uuid=body["uuid"])
    assert case.kind == "service_order" and case.resident == vendors.resident


def test_order_for_another_communitys_vendor_is_404(client, vendors):
    response = post(client, vendors.users.resident, "/api/v1/vendors/orders", order_payload(vendors.vendor_b))
    assert response.status_code == 404 and not Case.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        {"vendor": "not-a-uuid", "description": "x", "window": {"date": "2026-01-01", "slot": "morning"}},
        {"description": "x", "window": {"date": "2026-01-01", "slot": "morning"}},
        {"vendor": "00000000-0000-0000-0000-000000000000", "description": 5, "window": "tomorrow"},
        {"vendor": "00000000-0000-0000-0000-000000000000", "description": "x" * 20000, "window": {}},
    ],
)
def test_malformed_order_is_refused_with_a_message(client, vendors, payload):
    response = post(client, vendors.users.resident, "/api/v1/vendors/orders", payload)
    assert response.status_code in (400, 404, 422) and "detail" in response.json()
    assert not Case.objects.exists()


def test_past_window_is_400_with_field(client, vendors):
    payload = order_payload(vendors.vendor, window={"date": "2020-01-01", "slot": "morning"})
    response = post(client, vendors.users.resident, "/api/v1/vendors/orders", payload)
    assert response.status_code == 400 and response.json()["field"] == "window"


def test_staff_order_needs_a_resident_in_scope(client, vendors):
    far = order_payload(vendors.vendor, resident=str(vendors.far_resident.uuid))
    assert post(client, vendors.users.grid_worker, "/api/v1/vendors/orders", far).status_code == 404
    assert post(client, vendors.users.window_staff, "/api/v1/vendors/orders", far).status_code == 201


def test_vendor_works_its_orders_through_the_api_and_not_others(client, vendors):
    mine = place(vendors, vendors.vendor)
    theirs = place(vendors, vendors.other_vendor)
    user = vendors.vendor.user
    listing = client.get("/api/v1/vendors/orders", **bearer(user)).json()
    assert [o["uuid"] for o in listing["items"]] == [str(mine.case.uuid)]
    assert post(client, user, f"/api/v1/vendors/orders/{theirs.case.uuid}/accept", {}).status_code == 404
    assert post(client, user, f"/api/v1/vendors/orders/{mine.case.uuid}/accept", {}).json()["status"] == "accepted"
    assert post(client, user, f"/api/v1/vendors/orders/{mine.case.uuid}/accept", {}).status_code == 409
    post(client, user, f"/api/v1/vendors/orders/{mine.case.uuid}/visit", {})
    done = post(
        client, user, f"/api/v1/vendors/orders/{mine.case.uuid}/complete", {"list_price": "200", "charged": "160"}
    )
    assert done.status_code == 200 and done.json()["charged"] == "160.00"


def test_resident_rates_through_the_api_once(client, vendors):
    order = advance(place(vendors, vendors.vendor), "done")
    path = f"/api/v1/vendors/orders/{order.case.uuid}/rating"
    rating = {"price": 4, "punctuality": 5, "quality": 5, "comment": "好"}
    assert post(client, vendors.users.resident, path, rating).status_code == 201
    assert post(client, vendors.users.resident, path, rating).status_code == 409
    assert post(client, vendors.users.resident, path, {**rating, "price": 9}).status_code == 422


def test_order_shows_in_the_case_api_with_its_detail(client, vendors):
    order = place(vendors, vendors.vendor)
    body = client.get(f"/api/v1/cases/{order.case.uuid}", **bearer(vendors.users.resident)).json()
    assert body["kind"] == "service_order" and body["detail"]["window"]["slot"] == "morning"


def test_control_characters_are_refused_and_nothing_written(client, vendors):
    payload = order_payload(vendors.vendor, description="漏水\x00\x1b")
    response = post(client, vendors.users.resident, "/api/v1/vendors/orders", payload)
    assert response.status_code in (400, 422) and "控制字符" in str(response.json())
    assert not Case.objects.exists()

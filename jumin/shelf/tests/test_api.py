import json

import pytest

from jumin.shelf.models import Order, Product

pytestmark = pytest.mark.django_db


def _post(client, url, body):
    return client.post(url, json.dumps(body) if not isinstance(body, str) else body, content_type="application/json")


def test_products_list_price_market_price_stock_and_slots(shop, login):
    body = login(shop.users.resident).get("/api/v1/shelf/products").json()
    powder = next(p for p in body["items"] if p["name"] == "洗衣粉")
    assert (powder["price"], powder["market_price"], powder["saved"]) == ("0.92", "1.30", "0.38")
    assert (powder["available"], powder["slots"]) == (20, ["003", "004"])
    assert body["count"] == 2 and set(body) >= {"items", "count", "page", "pages", "next"}


def test_a_resident_orders_for_delivery_and_gets_201_with_totals(shop, login):
    client = login(shop.users.resident)
    response = _post(
        client, "/api/v1/shelf/orders", {"items": [{"product": str(shop.powder.uuid), "quantity": 2}], "delivery": True}
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["total"], body["market_total"], body["saved"], body["delivery_fee"]) == (
        "1.84",
        "2.60",
        "0.76",
        "0.00",
    )
    assert body["free_delivery"] and body["lines"][0]["quantity"] == 2 and body["uuid"]
    listed = client.get("/api/v1/shelf/orders").json()
    assert listed["count"] == 1 and listed["items"][0]["pickup_code"] == body["pickup_code"]
    cancelled = client.post(f"/api/v1/shelf/orders/{body['uuid']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert Product.objects.get(pk=shop.powder.pk).stock == 20


def test_409_names_each_short_product_and_writes_nothing(shop, login):
    client = login(shop.users.neighbour)
    items = [{"product": str(shop.powder.uuid), "quantity": 21}, {"product": str(shop.soap.uuid), "quantity": 6}]
    response = _post(client, "/api/v1/shelf/orders", {"items": items, "delivery": False})
    assert response.status_code == 409
    body = response.json()
    assert {s["name"] for s in body["short"]} == {"洗衣粉 500 g", "肥皂 4 块"} and "洗衣粉" in body["detail"]
    assert not Order.objects.exists()


def test_staff_order_for_a_resident_by_uuid_and_others_get_404(shop, login):
    body = {
        "items": [{"product": str(shop.soap.uuid), "quantity": 1}],
        "delivery": True,
        "resident": str(shop.world.resident.uuid),
    }
    assert _post(login(shop.users.window_staff), "/api/v1/shelf/orders", body).status_code == 201
    assert _post(login(shop.users.other_secretary), "/api/v1/shelf/orders", body).status_code == 404
    assert _post(login(shop.users.grid_worker), "/api/v1/shelf/orders", body).status_code == 404
    other = {"items": [{"product": str(shop.elsewhere.uuid), "quantity": 1}], "delivery": False}
    assert _post(login(shop.users.resident), "/api/v1/shelf/orders", other).status_code == 404


def test_the_shop_list_for_staff_and_cancel_of_anothers_order_is_404(shop, login):
    created = _post(
        login(shop.users.resident), "/api/v1/shelf/orders", {"items": [{"product": str(shop.soap.uuid), "quantity": 1}]}
    ).json()
    staff = login(shop.users.window_staff).get("/api/v1/shelf/orders").json()
    assert staff["count"] == 1
    assert login(shop.users.neighbour).post(f"/api/v1/shelf/orders/{created['uuid']}/cancel").status_code == 404
    assert login(shop.users.neighbour).post("/api/v1/shelf/orders/not-a-uuid/cancel").status_code in (404, 422)


@pytest.mark.parametrize(
    "body",
    [
        "{not json",
        {"items": []},
        {"items": [{"product": "x", "quantity": 1}]},
        {"items": [{"product": "00000000-0000-0000-0000-000000000000", "quantity": 2**70}]},
        {"items": [{"product": "00000000-0000-0000-0000-000000000000", "quantity": "1"}]},
        {"items": [{"product": "00000000-0000-0000-0000-000000000000", "quantity": 1}], "delivery": "yes"},
        {"items": "洗衣粉"},
        {"items": [{"product": "=1+1\x00", "quantity": 1}]},
    ],
)
def test_hostile_bodies_get_a_chinese_4xx_and_write_nothing(shop, login, body):
    response = _post(login(shop.users.resident), "/api/v1/shelf/orders", body)
    assert 400 <= response.status_code < 500 and response.json()["detail"]
    assert not Order.objects.exists()

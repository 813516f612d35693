import datetime

import pytest
from django.utils import timezone

from jumin.core.models import ApiToken
from jumin.piecework.models import HandIn, WorkClaim, WorkOrder


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}


def post(client, user, path, data):
    return client.post(path, data, content_type="application/json", **bearer(user))


def order_payload(factory, **extra):
    deadline = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    return {
        "factory": str(factory.uuid),
        "item": "线束插接",
        "quantity": 200,
        "unit_pay": "0.50",
        "deadline": deadline,
        "eligible_tags": ["laid_off"],
        "max_per_resident": 50,
        **extra,
    }


def test_staff_post_an_order_and_get_uuid_and_remaining(client, piece):
    response = post(client, piece.users.window_staff, "/api/v1/piecework/orders", order_payload(piece.factory))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["remaining"] == 200 and body["unit_pay"] == "0.50" and body["eligible_tags"] == ["laid_off"]
    assert WorkOrder.objects.get(uuid=body["uuid"]).unit_pay_fen == 50
    detail = client.get(f"/api/v1/piecework/orders/{body['uuid']}", **bearer(piece.users.neighbour))
    assert detail.status_code == 200 and detail.json()["remaining"] == 200


@pytest.mark.parametrize(
    "extra",
    [
        {"unit_pay": "abc"},
        {"quantity": 0},
        {"quantity": 10**30},
        {"eligible_tags": "laid_off,x"},
        {"deadline": "2020-01-01"},
    ],
)
def test_bad_order_payloads_are_refused(client, piece, extra):
    response = post(client, piece.users.window_staff, "/api/v1/piecework/orders", order_payload(piece.factory, **extra))
    assert response.status_code in (400, 422) and "detail" in response.json()
    assert WorkOrder.objects.count() == 1


def test_resident_cannot_post_an_order(client, piece):
    response = post(client, piece.users.neighbour, "/api/v1/piecework/orders", order_payload(piece.factory))
    assert response.status_code == 403


def test_claim_409_when_too_few_remain_or_limit_reached_and_404_when_ineligible(client, piece):
    path = f"/api/v1/piecework/orders/{piece.order.uuid}/claims"
    assert post(client, piece.users.neighbour, path, {"quantity": 101}).status_code == 409
    ok = post(client, piece.users.neighbour, path, {"quantity": 60})
    assert ok.status_code == 201 and ok.json()["remaining"] == 40
    assert post(client, piece.users.resident, path, {"quantity": 1}).status_code == 404
    assert client.get(f"/api/v1/piecework/orders/{piece.order.uuid}", **bearer(piece.users.resident)).status_code == 404
    limited = post(client, piece.users.window_staff, "/api/v1/piecework/orders", order_payload(piece.factory))
    limit_path = f"/api/v1/piecework/orders/{limited.json()['uuid']}/claims"
    assert post(client, piece.users.neighbour, limit_path, {"quantity": 51}).status_code == 409


def test_staff_claim_for_a_resident_at_the_counter(client, piece):
    path = f"/api/v1/piecework/orders/{piece.order.uuid}/claims"
    response = post(client, piece.users.window_staff, path, {"resident": str(piece.neighbour.uuid), "quantity": 5})
    assert response.status_code == 201
    assert WorkClaim.objects.get().claimed_by == piece.users.window_staff


def test_hand_in_and_inspection_through_the_api(client, piece):
    claim = post(client, piece.users.neighbour, f"/api/v1/piecework/orders/{piece.order.uuid}/claims", {"quantity": 10})
    claim_uuid = claim.json()["uuid"]
    over = post(client, piece.users.neighbour, f"/api/v1/piecework/claims/{claim_uuid}/handins", {"pieces": 11})
    assert over.status_code == 409
    handin = post(client, piece.users.neighbour, f"/api/v1/piecework/claims/{claim_uuid}/handins", {"pieces": 10})
    assert handin.status_code == 201
    path = f"/api/v1/piecework/handins/{handin.json()['uuid']}/inspection"
    assert post(client, piece.users.neighbour, path, {"accepted": 10, "rejected": 0}).status_code == 403
    assert post(client, piece.users.window_staff, path, {"accepted": 12, "rejected": 0}).status_code == 400
    done = post(client, piece.users.window_staff, path, {"accepted": 9, "rejected": 1, "reason": "断线"})
    assert done.status_code == 200 and done.json()["accepted"] == 9
    assert (
        post(client, piece.users.window_staff, path, {"accepted": 9, "rejected": 1, "reason": "x"}).status_code == 409
    )
    assert HandIn.objects.get().accepted == 9 and WorkClaim.objects.get().accepted == 9


def test_outsiders_get_404_for_claims(client, piece):
    claim = post(client, piece.users.neighbour, f"/api/v1/piecework/orders/{piece.order.uuid}/claims", {"quantity": 10})
    path = f"/api/v1/piecework/claims/{claim.json()['uuid']}/handins"
    assert post(client, piece.users.resident, path, {"pieces": 1}).status_code == 404
    assert post(client, piece.users.other_secretary, path, {"pieces": 1}).status_code == 404
    assert (
        post(client, piece.users.neighbour, "/api/v1/piecework/claims/not-a-uuid/handins", {"pieces": 1}).status_code
        == 404
    )


def test_factory_contact_sees_only_its_factory(client, piece):
    from .factories import make_factory, post_order

    other = post_order(piece, make_factory(piece, name="别家工厂"))
    headers = bearer(piece.factory.user)
    listing = client.get("/api/v1/piecework/orders", **headers).json()
    assert [o["uuid"] for o in listing["items"]] == [str(piece.order.uuid)]
    assert client.get(f"/api/v1/piecework/orders/{other.uuid}", **headers).status_code == 404
    assert client.get("/api/v1/piecework/factories", **headers).json()["count"] == 1
    assert client.get("/api/v1/piecework/factories", **bearer(piece.users.secretary)).json()["count"] == 2

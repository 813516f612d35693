import io

import pytest
from openpyxl import load_workbook

from jumin.people.tests.factories import ResidentFactory, UserFactory
from jumin.piecework import services
from jumin.piecework.models import WorkClaim, WorkOrder

from .factories import make_factory, post_order


def test_laid_off_resident_claims_and_hands_in_on_the_phone(login, piece):
    client = login(piece.users.neighbour)
    assert piece.order.item in client.get("/me/piecework/").content.decode()
    response = client.post(f"/me/piecework/orders/{piece.order.uuid}/", {"quantity": "20"})
    claim = WorkClaim.objects.get()
    assert response["Location"] == f"/me/piecework/claims/{claim.uuid}/"
    client.post(f"/me/piecework/claims/{claim.uuid}/", {"pieces": "20"})
    assert WorkClaim.objects.get().handed_in == 20
    assert "待验收" in client.get(f"/me/piecework/claims/{claim.uuid}/").content.decode()


def test_ineligible_resident_gets_404_for_the_order(login, piece):
    client = login(piece.users.resident)
    assert client.get(f"/me/piecework/orders/{piece.order.uuid}/").status_code == 404
    assert piece.order.item not in client.get("/me/piecework/").content.decode()


def test_someone_elses_claim_is_404(login, piece):
    claim = services.claim_take(actor=piece.users.neighbour, order=piece.order, quantity=2)
    assert login(piece.users.resident).get(f"/me/piecework/claims/{claim.uuid}/").status_code == 404


def test_staff_inspect_and_pay_from_the_order_page(login, piece):
    claim = services.claim_take(actor=piece.users.neighbour, order=piece.order, quantity=10)
    handin = services.handin_record(actor=piece.users.neighbour, claim=claim, pieces=10)
    client = login(piece.users.window_staff)
    page = client.get(f"/office/piecework/orders/{piece.order.uuid}/").content.decode()
    assert "验收 10 件" in page
    client.post(
        f"/office/piecework/handins/{handin.uuid}/inspect/", {"accepted": "9", "rejected": "1", "reason": "断线"}
    )
    client.post(f"/office/piecework/claims/{claim.uuid}/pay/", {"method": "cash"})
    claim.refresh_from_db()
    assert claim.accepted == 9 and claim.paid_fen == 450
    income = login(piece.users.neighbour).get("/me/piecework/income/").content.decode()
    assert "4.50 元" in income


def test_grid_worker_cannot_inspect(login, piece):
    claim = services.claim_take(actor=piece.users.neighbour, order=piece.order, quantity=1)
    handin = services.handin_record(actor=piece.users.neighbour, claim=claim, pieces=1)
    response = login(piece.users.grid_worker).post(
        f"/office/piecework/handins/{handin.uuid}/inspect/", {"accepted": "1", "rejected": "0"}
    )
    assert response.status_code in (403, 404)
    handin.refresh_from_db()
    assert handin.accepted is None


def test_staff_post_an_order_from_the_form(login, piece):
    response = login(piece.users.secretary).post(
        "/office/piecework/orders/new/",
        {
            "factory": piece.factory.pk,
            "item": "毛衣缝扣",
            "quantity": "500",
            "unit_pay": "0.30",
            "deadline": "2099-01-01",
            "eligible_tags": ["laid_off"],
        },
    )
    order = WorkOrder.objects.get(item="毛衣缝扣")
    assert response["Location"] == f"/office/piecework/orders/{order.uuid}/" and order.remaining == 500


def test_factory_contact_sees_own_orders_and_statement_only(login, piece):
    other = post_order(piece, make_factory(piece, name="别家工厂"))
    client = login(piece.factory.user)
    assert client.get("/")["Location"] == "/factory/"
    home = client.get("/factory/").content.decode()
    assert piece.order.item in home
    assert client.get(f"/factory/orders/{other.uuid}/").status_code == 404
    pdf = client.get("/factory/statement.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get("/office/piecework/").status_code == 404


def test_statement_excel_totals_match_the_ledgers(login, piece):
    claim = services.claim_take(actor=piece.users.neighbour, order=piece.order, quantity=7)
    handin = services.handin_record(actor=piece.users.neighbour, claim=claim, pieces=7)
    services.handin_inspect(actor=piece.users.window_staff, handin=handin, accepted=7, rejected=0)
    services.claim_pay(actor=piece.users.window_staff, claim=claim, method="cash")
    response = login(piece.users.secretary).get(f"/office/piecework/factories/{piece.factory.uuid}/statement.xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[-1][0] == "合计" and rows[-1][6] == "3.50" and rows[-1][7] == "3.50"


@pytest.fixture
def many(piece):
    for i in range(21):
        order = post_order(piece, piece.factory, item=f"订单{i}", eligible_tags=[])
        resident = ResidentFactory(household=piece.home, name=f"工人{i}", tags=[piece.tags.laid_off])
        user = UserFactory(role="resident", resident=resident, phone=resident.phone)
        services.claim_take(actor=user, order=order, quantity=2)
        services.claim_take(actor=user, order=piece.order, quantity=1)
    return piece


def test_lists_are_constant_queries_and_export_follows_filters(login, many, django_assert_max_num_queries):
    client = login(many.users.secretary)
    for url in ("/office/piecework/", "/office/piecework/?status=open", f"/office/piecework/orders/{many.order.uuid}/"):
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200
    rows = list(load_workbook(io.BytesIO(client.get("/office/piecework/export.xlsx?q=订单1").content)).active.values)
    assert rows[0][0] == "工厂" and len(rows) == 1 + 11  # 订单1, 订单10 … 订单19
    claims = list(
        load_workbook(
            io.BytesIO(client.get(f"/office/piecework/orders/{many.order.uuid}/claims.xlsx").content)
        ).active.values
    )
    assert len(claims) == 22 and all("****" in r[2] for r in claims[1:])


def test_resident_pages_are_constant_queries(login, many, django_assert_max_num_queries):
    user = WorkClaim.objects.filter(order=many.order).first().resident.user
    client = login(user)
    for url in ("/me/piecework/", "/me/piecework/claims/", "/me/piecework/income/"):
        with django_assert_max_num_queries(10):
            assert client.get(url).status_code == 200


def test_claims_appear_in_the_residents_inbox(login, piece):
    from jumin.cases.inbox import InboxFeed

    claim = services.claim_take(actor=piece.users.neighbour, order=piece.order, quantity=3)
    entries = list(InboxFeed(piece.users.neighbour)[0:10])
    mine = [e for e in entries if e.source == "家庭代工"]
    assert len(mine) == 1 and mine[0].url == f"/me/piecework/claims/{claim.uuid}/" and mine[0].is_open
    assert "认领 手工串珠手链 3 件" in login(piece.users.neighbour).get("/me/cases/").content.decode()
    assert not [e for e in InboxFeed(piece.users.resident)[0:10] if e.source == "家庭代工"]

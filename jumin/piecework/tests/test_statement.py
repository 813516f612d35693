"""The factory settlement statement by period: local days in Asia/Shanghai, on the page, in Excel, PDF and the API,
with totals that are the sums of the lines and months that add up to the all-time ledgers."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook

from jumin.core.models import ApiToken
from jumin.people.tests.factories import ResidentFactory, UserFactory
from jumin.piecework import selectors, services
from jumin.piecework.models import WorkOrder

from .factories import make_factory, post_order

SH = ZoneInfo("Asia/Shanghai")
NOV_LAST_MINUTE = datetime.datetime(2026, 11, 30, 23, 59, tzinfo=SH)  # 15:59 UTC on Nov 30
DEC_FIRST_MINUTE = datetime.datetime(2026, 12, 1, 0, 0, tzinfo=SH)  # 16:00 UTC, still Nov 30 in UTC
NOV = {"start": datetime.date(2026, 11, 1), "end": datetime.date(2026, 11, 30)}
DEC = {"start": datetime.date(2026, 12, 1), "end": datetime.date(2026, 12, 31)}


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}


def _posted_in_november(order):
    WorkOrder.objects.filter(pk=order.pk).update(created_at=datetime.datetime(2026, 11, 2, 9, 0, tzinfo=SH))
    order.refresh_from_db()
    return order


def _work(staff, claim, pieces, *, rejected=0, inspected_at, paid_at=None):
    handin = services.handin_record(actor=staff, claim=claim, pieces=pieces)
    reason = "断线" if rejected else ""
    services.handin_inspect(
        actor=staff, handin=handin, accepted=pieces - rejected, rejected=rejected, reason=reason, now=inspected_at
    )
    if paid_at:
        services.claim_pay(actor=staff, claim=claim, method="cash", now=paid_at)


@pytest.fixture
def edge(piece):
    """One claim: 10 pieces inspected (9 good) and paid in the last minute of November, Shanghai time; 20 more
    inspected in the first minute of December (the same UTC day) and not yet paid."""
    _posted_in_november(piece.order)
    staff = piece.users.window_staff
    piece.claim = services.claim_take(actor=piece.users.neighbour, order=piece.order, quantity=30)
    _work(staff, piece.claim, 10, rejected=1, inspected_at=NOV_LAST_MINUTE, paid_at=NOV_LAST_MINUTE)
    _work(staff, piece.claim, 20, inspected_at=DEC_FIRST_MINUTE)
    return piece


def test_the_month_boundary_is_local_midnight_in_shanghai(edge):
    nov = selectors.settlement(edge.factory, **NOV)
    dec = selectors.settlement(edge.factory, **DEC)
    assert (nov["accepted"], nov["rejected"], nov["earned_fen"], nov["paid_fen"], nov["owed_fen"]) == (
        9,
        1,
        450,
        450,
        0,
    )
    assert (dec["accepted"], dec["rejected"], dec["earned_fen"], dec["paid_fen"], dec["owed_fen"]) == (
        20,
        0,
        1000,
        0,
        1000,
    )
    last_day = selectors.settlement(edge.factory, start=NOV["end"], end=NOV["end"])
    first_day = selectors.settlement(edge.factory, start=DEC["start"], end=DEC["start"])
    assert last_day["accepted"] == 9 and first_day["accepted"] == 20


def test_consecutive_periods_add_up_to_the_income_ledger(edge):
    services.claim_pay(
        actor=edge.users.window_staff,
        claim=edge.claim,
        method="cash",
        now=DEC_FIRST_MINUTE + datetime.timedelta(hours=9),
    )
    months = [selectors.settlement(edge.factory, **p) for p in (NOV, DEC)]
    ledger = selectors.income_ledger(edge.users.neighbour.resident_id)
    assert sum(m["earned_fen"] for m in months) == ledger["earned_fen"] == 1450
    assert sum(m["paid_fen"] for m in months) == ledger["paid_fen"] == 1450
    assert months[1]["owed_fen"] == 0
    everything = selectors.settlement(edge.factory)
    assert everything["earned_fen"] == 1450 and everything["paid_fen"] == 1450


def test_totals_are_the_sums_of_the_lines_for_the_period(piece):
    staff = piece.users.window_staff
    orders = [_posted_in_november(piece.order)]
    orders.append(
        _posted_in_november(post_order(piece, piece.factory, item="毛衣缝扣", unit_pay="0.37", eligible_tags=[]))
    )
    people = [ResidentFactory(household=piece.home, name=f"工人{i}", tags=[piece.tags.laid_off]) for i in range(4)]
    for i, person in enumerate(people):
        user = UserFactory(role="resident", resident=person, phone=person.phone)
        for order in orders:
            claim = services.claim_take(actor=user, order=order, quantity=9 + i)
            when = NOV_LAST_MINUTE if i % 2 else DEC_FIRST_MINUTE
            _work(staff, claim, 5, rejected=i % 2, inspected_at=when, paid_at=when if i < 2 else None)
    for period in (NOV, DEC):
        s = selectors.settlement(piece.factory, **period)
        assert len(s["rows"]) == 2
        for key in ("accepted", "rejected", "earned_fen", "paid_fen", "owed_fen"):
            assert s[key] == sum(r[key] for r in s["rows"]), key
    assert selectors.settlement(piece.factory, **NOV)["earned_fen"] == 2 * 4 * (50 + 37)  # people 1 and 3, 4 good each
    assert selectors.settlement(piece.factory, **DEC)["earned_fen"] == 2 * 5 * (50 + 37)  # people 0 and 2, 5 good each


def test_excel_and_pdf_follow_the_period_and_the_total_row_sums_the_lines(login, edge):
    client = login(edge.users.secretary)
    url = f"/office/piecework/factories/{edge.factory.uuid}/statement"
    rows = list(
        load_workbook(io.BytesIO(client.get(f"{url}.xlsx?start=2026-11-01&end=2026-11-30").content)).active.values
    )
    assert rows[0][4] == "本期合格件数"
    lines, total = rows[1:-1], rows[-1]
    assert total[0] == "合计" and (total[4], total[5], total[6], total[7], total[8]) == (9, 1, "4.50", "4.50", "0.00")
    assert total[4] == sum(r[4] for r in lines)
    dec = list(
        load_workbook(io.BytesIO(client.get(f"{url}.xlsx?start=2026-12-01&end=2026-12-31").content)).active.values
    )
    assert dec[-1][4] == 20 and dec[-1][6] == "10.00" and dec[-1][8] == "10.00"
    pdf = client.get(f"{url}.pdf?start=2026-12-01&end=2026-12-31")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "20261201-20261231" in pdf["Content-Disposition"]


def test_the_page_offers_the_period_and_downloads_keep_it(login, edge):
    page = login(edge.users.secretary).get(
        f"/office/piecework/factories/{edge.factory.uuid}/statement.html?start=2026-11-01&end=2026-11-30"
    )
    html = page.content.decode()
    assert 'name="start" value="2026-11-01"' in html and "2026年11月1日至2026年11月30日" in html
    assert "4.50 元" in html and "statement.xlsx?start=2026-11-01&amp;end=2026-11-30" in html


def test_the_default_period_is_this_month_in_shanghai(login, client, edge):
    # 2026-12-31 20:00 UTC is already 1 January 2027 in Shanghai: the default month is January, with nothing in it.
    with time_machine.travel(datetime.datetime(2026, 12, 31, 20, 0, tzinfo=datetime.UTC), tick=False):
        body = client.get(f"/api/v1/piecework/factories/{edge.factory.uuid}/statement", **bearer(edge.users.secretary))
        assert body.json()["start"] == "2027-01-01" and body.json()["end"] == "2027-01-01"
        assert body.json()["earned"] == "0.00" and body.json()["owed"] == "10.00"  # December's work is still owed
    with time_machine.travel(datetime.datetime(2026, 12, 15, 4, 0, tzinfo=datetime.UTC), tick=False):
        home = login(edge.factory.user).get("/factory/").content.decode()
        assert "2026年12月1日至2026年12月15日" in home and "应付工资 10.00 元" in home


def test_the_api_statement_sums_its_lines(client, edge):
    response = client.get(
        f"/api/v1/piecework/factories/{edge.factory.uuid}/statement?start=2026-11-01&end=2026-12-31",
        **bearer(edge.factory.user),
    )
    body = response.json()
    assert response.status_code == 200, body
    assert body["accepted"] == sum(line["accepted"] for line in body["lines"]) == 29
    assert body["earned"] == "14.50" and body["paid"] == "4.50" and body["owed"] == "10.00"
    assert body["lines"][0]["order"] == str(edge.order.uuid)


def test_the_statement_is_404_outside_scope(client, login, edge):
    other = make_factory(edge, name="别家工厂")
    path = "/api/v1/piecework/factories/{}/statement"
    assert client.get(path.format(other.uuid), **bearer(edge.factory.user)).status_code == 404
    assert client.get(path.format(edge.factory.uuid), **bearer(edge.users.neighbour)).status_code == 404
    assert client.get(path.format(edge.factory.uuid), **bearer(edge.users.other_secretary)).status_code == 404
    assert client.get(path.format("not-a-uuid"), **bearer(edge.users.secretary)).status_code == 404
    assert login(edge.factory.user).get("/factory/statement.xlsx?start=2026-11-01").status_code == 200
    office = login(edge.users.other_secretary).get(f"/office/piecework/factories/{edge.factory.uuid}/statement.html")
    assert office.status_code == 404


HOSTILE_PERIODS = ["start=abc", "start=2026-12-31&end=2026-12-01", "end=99999999-01-01", "start=%3D1%2B1"]


def test_a_wrong_period_is_explained_in_chinese_and_never_a_500(login, client, edge):
    office = login(edge.users.secretary)
    url = f"/office/piecework/factories/{edge.factory.uuid}/statement"
    api = f"/api/v1/piecework/factories/{edge.factory.uuid}/statement"
    token = bearer(edge.users.secretary)
    for query in [*HOSTILE_PERIODS, "start=" + "1" * 20000]:
        page = office.get(f"{url}.html?{query}")
        assert page.status_code == 200 and "下面是本月的结算单" in page.content.decode(), query
        assert office.get(f"{url}.xlsx?{query}").status_code == 200
        answer = client.get(f"{api}?{query}", **token)
        assert answer.status_code in (400, 422) and any("\u4e00" <= ch <= "\u9fff" for ch in answer.json()["detail"])
    assert "结束日期不能早于开始日期" in office.get(f"{url}.html?{HOSTILE_PERIODS[1]}").content.decode()


def test_the_statement_page_is_a_constant_number_of_queries(login, piece, django_assert_max_num_queries):
    for i in range(21):
        order = post_order(piece, piece.factory, item=f"订单{i}", eligible_tags=[])
        claim = services.claim_take(actor=piece.users.neighbour, order=order, quantity=2)
        _work(piece.users.window_staff, claim, 2, inspected_at=None, paid_at=None)
    client = login(piece.users.secretary)
    with django_assert_max_num_queries(12):
        page = client.get(f"/office/piecework/factories/{piece.factory.uuid}/statement.html")
    assert page.content.decode().count("/office/piecework/orders/") >= 22
    factory_client = login(piece.factory.user)
    with django_assert_max_num_queries(12):
        assert factory_client.get("/factory/").status_code == 200

"""The order's life from the resident's order to the rating, vetting, suspension and the low-rating flag."""

import datetime
from decimal import Decimal

import pytest

from jumin.cases.models import Case, CaseEvent, CaseRating, Phase
from jumin.core.errors import Conflict, DomainError, PermissionDenied
from jumin.core.models import AuditEvent, Role
from jumin.people.tests.factories import UserFactory
from jumin.vendors import services
from jumin.vendors.models import ServiceOrder, Vendor, VendorRating, VendorStatus

from .factories import advance, licence_file, place


def test_resident_order_opens_a_service_order_case_with_the_household_address(vendors):
    order = place(vendors, vendors.vendor)
    case = Case.objects.get(pk=order.case.pk)
    assert case.kind == "service_order" and case.status == "placed" and case.number.startswith("FW")
    assert case.resident == vendors.resident
    assert order.address == vendors.home.dwelling.address
    assert order.contact_phone == vendors.resident.phone
    assert AuditEvent.objects.filter(action="vendor.order", target_id=str(order.pk)).exists()


def test_order_runs_accept_visit_complete_rate_and_records_the_discount(vendors):
    order = advance(place(vendors, vendors.vendor), "done")
    order.refresh_from_db()
    assert order.list_price == Decimal("100.00") and order.charged == Decimal("80.00") and order.saving == Decimal("20")
    rating = services.order_rate(actor=vendors.users.resident, order=order, price=5, punctuality=4, quality=5)
    case = Case.objects.get(pk=order.case.pk)
    assert case.status == "rated" and case.phase == Phase.CLOSED and case.assignee == vendors.vendor.user
    assert rating.score == Decimal("4.7")
    assert CaseRating.objects.get(case=case).value == "satisfied"
    moves = list(CaseEvent.objects.filter(case=case, kind="transition").values_list("to_status", flat=True))
    assert moves == ["accepted", "visiting", "done", "rated"]


def test_charge_above_the_resident_discount_is_refused(vendors):
    order = advance(place(vendors, vendors.vendor), "visiting")
    with pytest.raises(DomainError, match=r"最多收 80\.00 元"):
        services.order_complete(actor=vendors.vendor.user, order=order, list_price="100", charged="90")
    assert Case.objects.get(pk=order.case.pk).status == "visiting"
    assert ServiceOrder.objects.get(pk=order.pk).charged is None


@pytest.mark.parametrize("amount", ["abc", "-1", "1e400", "NaN", "12.345", "999999999999"])
def test_malformed_price_is_refused_in_chinese(vendors, amount):
    order = advance(place(vendors, vendors.vendor), "visiting")
    with pytest.raises(DomainError, match="金额"):
        services.order_complete(actor=vendors.vendor.user, order=order, list_price=amount, charged="0")


def test_another_vendor_cannot_accept_the_order(vendors):
    order = place(vendors, vendors.vendor)
    with pytest.raises(PermissionDenied):
        services.order_accept(actor=vendors.other_vendor.user, order=order)
    assert Case.objects.get(pk=order.case.pk).status == "placed"


def test_declining_needs_a_reason_the_resident_sees(vendors):
    order = place(vendors, vendors.vendor)
    with pytest.raises(DomainError, match="原因"):
        services.order_decline(actor=vendors.vendor.user, order=order, reason=" ")
    services.order_decline(actor=vendors.vendor.user, order=order, reason="当天已约满")
    case = Case.objects.get(pk=order.case.pk)
    assert case.status == "declined" and case.events.filter(comment="当天已约满", public=True).exists()


def test_accepting_twice_is_a_conflict(vendors):
    order = place(vendors, vendors.vendor)
    services.order_accept(actor=vendors.vendor.user, order=order)
    with pytest.raises(Conflict):
        services.order_accept(actor=vendors.vendor.user, order=order)


def test_resident_cancels_before_the_visit_but_not_after(vendors):
    order = place(vendors, vendors.vendor)
    services.order_cancel(actor=vendors.users.resident, order=order, reason="自己修好了")
    assert Case.objects.get(pk=order.case.pk).status == "cancelled"
    late = advance(place(vendors, vendors.vendor), "visiting")
    with pytest.raises(Conflict):
        services.order_cancel(actor=vendors.users.resident, order=late)


def test_neighbour_cannot_rate_someone_elses_order(vendors):
    order = advance(place(vendors, vendors.vendor), "done")
    with pytest.raises(PermissionDenied):
        services.order_rate(actor=vendors.users.neighbour, order=order, price=1, punctuality=1, quality=1)
    assert not VendorRating.objects.exists()


def test_staff_order_for_a_resident_who_phones_in(vendors):
    order = place(vendors, vendors.vendor, actor=vendors.users.window_staff, resident=vendors.far_resident)
    assert order.case.resident == vendors.far_resident and order.case.raised_by == vendors.users.window_staff


def test_grid_worker_cannot_order_for_a_resident_outside_the_grid(vendors):
    with pytest.raises(PermissionDenied):
        place(vendors, vendors.vendor, actor=vendors.users.grid_worker, resident=vendors.far_resident)


def test_ordering_from_another_communitys_vendor_is_refused(vendors):
    with pytest.raises(DomainError, match="暂不接单"):
        place(vendors, vendors.vendor_b)


@pytest.mark.parametrize("days", [-1, 31])
def test_window_outside_the_bookable_days_is_refused(vendors, days):
    from django.utils import timezone

    with pytest.raises(DomainError, match=r"上门日期|天以内"):
        place(vendors, vendors.vendor, window_date=timezone.localdate() + datetime.timedelta(days=days))
    assert not Case.objects.exists()


def test_three_poor_ratings_flag_the_vendor_and_staff_can_suspend_it(vendors):
    for _ in range(3):
        order = advance(place(vendors, vendors.vendor), "done")
        services.order_rate(actor=vendors.users.resident, order=order, price=2, punctuality=1, quality=2)
    vendor = Vendor.objects.get(pk=vendors.vendor.pk)
    assert vendor.flagged_at is not None
    assert CaseRating.objects.filter(value="unsatisfied").count() == 3
    services.vendor_suspend(actor=vendors.users.secretary, vendor=vendor, reason="多次差评,暂停整改")
    vendor.refresh_from_db()
    assert vendor.status == VendorStatus.SUSPENDED and vendor.flagged_at is None
    with pytest.raises(DomainError, match="暂不接单"):
        place(vendors, vendor)


def test_good_ratings_do_not_flag(vendors):
    for _ in range(3):
        order = advance(place(vendors, vendors.vendor), "done")
        services.order_rate(actor=vendors.users.resident, order=order, price=5, punctuality=5, quality=4)
    assert Vendor.objects.get(pk=vendors.vendor.pk).flagged_at is None


def test_suspended_vendor_cannot_accept_but_finishes_work_in_hand(vendors):
    waiting = place(vendors, vendors.vendor)
    in_hand = advance(place(vendors, vendors.vendor), "accepted")
    services.vendor_suspend(actor=vendors.users.window_staff, vendor=vendors.vendor, reason="暂停整改")
    waiting.vendor.refresh_from_db()
    with pytest.raises(Conflict):
        services.order_accept(actor=vendors.vendor.user, order=waiting)
    in_hand.vendor.refresh_from_db()
    services.order_visit(actor=vendors.vendor.user, order=in_hand)


def test_vendor_applies_and_staff_vet_it(world):
    user = UserFactory(role=Role.VENDOR, community=world.a)
    vendor = services.vendor_apply(
        actor=user,
        name="新开维修部",
        category="repair",
        contact_name="周师傅",
        contact_phone="13712345678",
        service_area="玉龙湖社区",
        offer_kind="discount",
        discount_percent=85,
        licence=licence_file(),
    )
    assert vendor.status == VendorStatus.PENDING and vendor.licence_type == "image/png"
    with pytest.raises(PermissionDenied):
        services.vendor_approve(actor=world.users.grid_worker, vendor=vendor)
    with pytest.raises(PermissionDenied):
        services.vendor_approve(actor=world.users.other_secretary, vendor=vendor)
    services.vendor_refuse(actor=world.users.secretary, vendor=vendor, reason="执照已过期")
    vendor.refresh_from_db()
    assert vendor.status == VendorStatus.REFUSED and vendor.status_reason == "执照已过期"
    again = services.vendor_apply(
        actor=user,
        name="新开维修部",
        category="repair",
        contact_name="周师傅",
        contact_phone="13712345678",
        service_area="玉龙湖社区",
        offer_kind="price_list",
        price_list="疏通 60 元",
    )
    assert again.pk == vendor.pk and again.status == VendorStatus.PENDING and again.discount_percent is None
    services.vendor_approve(actor=world.users.secretary, vendor=again)
    assert Vendor.objects.get(pk=vendor.pk).status == VendorStatus.APPROVED
    assert AuditEvent.objects.filter(target_type="vendor", action="vendor.approve").exists()


def test_application_needs_a_licence_and_a_sane_discount(world):
    user = UserFactory(role=Role.VENDOR, community=world.a)
    base = {
        "actor": user,
        "name": "店",
        "category": "repair",
        "contact_name": "周",
        "contact_phone": "13712345678",
        "service_area": "社区",
    }
    with pytest.raises(DomainError, match="折扣"):
        services.vendor_apply(**base, offer_kind="discount", discount_percent=120, licence=licence_file())
    with pytest.raises(DomainError, match="营业执照"):
        services.vendor_apply(**base, offer_kind="discount", discount_percent=80)
    assert not Vendor.objects.exists()


def test_resident_complaint_becomes_a_case(vendors):
    order = advance(place(vendors, vendors.vendor), "done")
    complaint = services.order_complain(actor=vendors.users.resident, order=order, text="收费和说好的不一样")
    assert complaint.case.kind == "vendor_complaint" and complaint.vendor == vendors.vendor
    assert complaint.case.status == "submitted" and complaint.case.resident == vendors.resident


def test_vendor_role_has_no_case_visibility_beyond_its_orders(vendors):
    from jumin.cases.selectors import cases_for

    place(vendors, vendors.vendor)
    assert not cases_for(vendors.vendor.user).exists()

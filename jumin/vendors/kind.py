"""A resident's order to a vendor, and a complaint about one, on the shared case engine.

服务订单: 已下单 → 已接单 (or 商家未接单, with a reason) → 已上门 → 已完成 (price charged) → 已评价. The resident may
cancel before the visit. Every step is the vendor's or the resident's and needs the order's own checks, so all are
`by=BY_KIND` and run only through vendors.services; the generic case page offers none of them as buttons.
The resident rates on the order's own form (price, punctuality, quality): ratable_statuses is 已评价, which only
that form reaches, so the generic satisfaction form never shows beside it.

商家投诉: an ordinary staff case (受理 → 答复 → 办结) about one order."""

from jumin.cases.kinds import CaseKind, Status, Transition
from jumin.cases.models import Phase
from jumin.core.models import Role

KIND = "service_order"
COMPLAINT_KIND = "vendor_complaint"
BY_KIND = "kind"

PLACED = "placed"
ACCEPTED = "accepted"
VISITING = "visiting"
DONE = "done"
RATED = "rated"
DECLINED = "declined"
CANCELLED = "cancelled"

OPEN_STATUSES = (PLACED, ACCEPTED, VISITING)
CANCELLABLE = (PLACED, ACCEPTED)


def _load_detail(case):
    from .models import ServiceOrder

    order = ServiceOrder.objects.select_related("vendor").filter(case=case).first()
    if order is not None:
        order.case = case
    return order


def _load_complaint(case):
    from .models import Complaint

    return Complaint.objects.select_related("vendor", "order__case").filter(case=case).first()


def _panel_context(case, viewer) -> dict:
    """The order's steps this viewer may take, from the services' predicates, for the case page's panel."""
    from .models import Score
    from .services import order_actions

    order = _load_detail(case)
    return {"order_actions": order_actions(order, viewer) if order else set(), "score_choices": Score.choices}


def _api_detail(order, *, viewer, is_worker: bool) -> dict:
    return order.as_api(viewer=viewer, is_worker=is_worker)


def _create_from_api(actor, data):
    from .services import order_place_from_api

    return order_place_from_api(actor=actor, data=data).case


SERVICE_ORDER_KIND = CaseKind(
    code=KIND,
    label="便民服务订单",
    prefix="FW",
    statuses=(
        Status(PLACED, "已下单", Phase.NEW),
        Status(ACCEPTED, "已接单", Phase.TAKEN),
        Status(VISITING, "已上门", Phase.TAKEN),
        Status(DONE, "已完成", Phase.CLOSED),
        Status(RATED, "已评价", Phase.CLOSED),
        Status(DECLINED, "商家未接单", Phase.CLOSED),
        Status(CANCELLED, "已取消", Phase.CLOSED),
    ),
    transitions=(
        Transition(ACCEPTED, (PLACED,), "接单", by=BY_KIND),
        Transition(DECLINED, (PLACED,), "不接单", by=BY_KIND, requires_comment=True),
        Transition(VISITING, (ACCEPTED,), "已上门", by=BY_KIND),
        Transition(DONE, (VISITING,), "服务完成", by=BY_KIND),
        Transition(RATED, (DONE,), "评价", by=BY_KIND),
        Transition(CANCELLED, CANCELLABLE, "取消订单", by=BY_KIND),
    ),
    taken_status=ACCEPTED,
    reopen_status=ACCEPTED,
    # Window staff follow orders residents phone in; the vendor works the order from its own pages.
    worker_roles=frozenset({Role.WINDOW_STAFF}),
    response_working_days=1,
    due_working_days=3,
    ratable_statuses=(RATED,),
    generic_actions=False,
    panel_template="vendors/order_panel.html",
    load_detail=_load_detail,
    panel_context=_panel_context,
    api_detail=_api_detail,
    create_from_api=_create_from_api,
    new_url_name="vendors:browse",
)

COMPLAINT_CASE_KIND = CaseKind(
    code=COMPLAINT_KIND,
    label="商家投诉",
    prefix="TS",
    statuses=(
        Status("submitted", "已提交", Phase.NEW),
        Status("accepted", "已受理", Phase.TAKEN),
        Status("answered", "已答复", Phase.ANSWERED),
        Status("closed", "已办结", Phase.CLOSED),
    ),
    transitions=(
        Transition("accepted", ("submitted",), "受理"),
        Transition("answered", ("accepted",), "答复", requires_comment=True),
        Transition("closed", ("answered",), "办结"),
    ),
    taken_status="accepted",
    reopen_status="accepted",
    worker_roles=frozenset({Role.WINDOW_STAFF, Role.GRID_WORKER}),
    response_working_days=1,
    due_working_days=5,
    ratable_statuses=("closed",),
    panel_template="vendors/complaint_panel.html",
    load_detail=_load_complaint,
)

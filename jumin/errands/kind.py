"""The errand's state machine on the shared case engine.

已申请 → 已受理 → 材料已收 → 已递交 → 结果已回 → 已领取, or 已退回 (with a reason) from any open status.
Three steps need the errand's own checks — every document ticked, a result note, the pickup code — so they are
marked `by=BY_KIND`: the generic case pages offer only `by="worker"` transitions as buttons, and these run only
through errands.services."""

from jumin.cases.kinds import BY_KIND, CaseKind, Status, Transition
from jumin.cases.models import Phase
from jumin.core.models import Role

KIND = "errand"

APPLIED = "applied"
ACCEPTED = "accepted"
DOCS_RECEIVED = "docs_received"
SUBMITTED = "submitted"
RESULT_BACK = "result_back"
PICKED_UP = "picked_up"
RETURNED = "returned"

OPEN_STATUSES = (APPLIED, ACCEPTED, DOCS_RECEIVED, SUBMITTED, RESULT_BACK)
DEFAULT_DUE_WORKING_DAYS = 5


def _load_detail(case):
    from .models import Errand

    errand = Errand.objects.select_related("service_item__window").filter(case=case).first()
    if errand is not None:
        errand.case = case
    return errand


def _api_detail(errand, *, viewer, is_worker: bool) -> dict:
    return errand.as_api(viewer=viewer, is_worker=is_worker)


def _due_working_days(case) -> int:
    """The service item's own time limit (老年人优待证: 10 working days), at opening and after a reopen alike."""
    from .models import Errand

    days = Errand.objects.filter(case=case).values_list("service_item__time_limit_working_days", flat=True).first()
    return days or DEFAULT_DUE_WORKING_DAYS


def _create_from_api(actor, data):
    from .services import errand_request_from_api

    return errand_request_from_api(actor=actor, data=data)


CASE_KIND = CaseKind(
    code=KIND,
    label="行政代办",
    prefix="DB",
    statuses=(
        Status(APPLIED, "已申请", Phase.NEW),
        Status(ACCEPTED, "已受理", Phase.TAKEN),
        Status(DOCS_RECEIVED, "材料已收", Phase.TAKEN),
        Status(SUBMITTED, "已递交", Phase.TAKEN),
        Status(RESULT_BACK, "结果已回", Phase.ANSWERED),
        Status(PICKED_UP, "已领取", Phase.CLOSED),
        Status(RETURNED, "已退回", Phase.CLOSED),
    ),
    transitions=(
        Transition(ACCEPTED, (APPLIED,), "受理"),
        Transition(DOCS_RECEIVED, (ACCEPTED,), "材料已收", by=BY_KIND),
        Transition(SUBMITTED, (DOCS_RECEIVED,), "已递交主管部门"),
        Transition(RESULT_BACK, (SUBMITTED,), "结果已回", by=BY_KIND, requires_comment=True),
        Transition(PICKED_UP, (RESULT_BACK,), "已领取", by=BY_KIND),
        Transition(RETURNED, OPEN_STATUSES, "退回", requires_comment=True, caution=True),
    ),
    taken_status=ACCEPTED,
    reopen_status=ACCEPTED,
    worker_roles=frozenset({Role.WINDOW_STAFF, Role.GRID_WORKER}),
    response_working_days=1,
    due_working_days=DEFAULT_DUE_WORKING_DAYS,
    ratable_statuses=(PICKED_UP,),
    panel_template="errands/errand_panel.html",
    headline_template="errands/pickup_headline.html",
    load_detail=_load_detail,
    create_from_api=_create_from_api,
    new_url_name="errands:new",
    api_detail=_api_detail,
    due_working_days_for=_due_working_days,
    # A result back waits for the resident to come and collect it: the community's part is done.
    waiting_on_resident=(RESULT_BACK,),
)

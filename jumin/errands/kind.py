"""The errand's state machine on the shared case engine.

已申请 → 已受理 → 材料已收 → 已递交 → 结果已回 → 已领取, or 已退回 (with a reason) from any open status.
Three steps need the errand's own checks — every document ticked, a result note, the pickup code — so they are
marked `by=BY_KIND`: the generic case pages offer only `by="worker"` transitions as buttons, and these run only
through errands.services."""

from jumin.cases.kinds import CaseKind, Status, Transition
from jumin.cases.models import Phase
from jumin.core.models import Role

KIND = "errand"
BY_KIND = "kind"

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


def _create_from_api(actor, data):
    from .services import errand_request_from_api

    return errand_request_from_api(actor=actor, data=data)


ERRAND_KIND = CaseKind(
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
        Transition(RETURNED, OPEN_STATUSES, "退回", requires_comment=True),
    ),
    taken_status=ACCEPTED,
    reopen_status=ACCEPTED,
    worker_roles=frozenset({Role.WINDOW_STAFF, Role.GRID_WORKER}),
    response_working_days=1,
    due_working_days=DEFAULT_DUE_WORKING_DAYS,
    ratable_statuses=(PICKED_UP,),
    panel_template="errands/errand_panel.html",
    load_detail=_load_detail,
    create_from_api=_create_from_api,
    new_url_name="errands:new",
)

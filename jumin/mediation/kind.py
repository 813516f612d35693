"""The dispute kind of case: its statuses and the moves between them.

Every move belongs to a mediation service (a first session starts mediation, an agreement needs its text, an agreed
case needs a follow-up visit before it is closed), so the transitions use by="kind": the shared case page and the
case API refuse them (cases.services.case_transition_generic); the dispute panel offers them, through the services."""

from jumin.cases.kinds import BY_KIND, CaseKind, Status, Transition
from jumin.cases.models import Phase
from jumin.core.models import Role

KIND = "dispute"

REGISTERED = "registered"
ACCEPTED = "accepted"
MEDIATING = "mediating"
AGREED = "agreed"
FAILED = "failed"
CLOSED = "closed"


def _load_detail(case):
    from .selectors import dispute_detail

    return dispute_detail(case)


def _create_from_api(actor, data):
    from .api import dispute_create_from_api  # types the kind's own fields (422) before the service reads them

    return dispute_create_from_api(actor, data)


def _panel_context(case, viewer) -> dict:
    from .rules import dispute_can_assign_mediator

    return {"may_assign_mediator": dispute_can_assign_mediator(viewer, case)}


def _api_detail(detail, *, viewer, is_worker: bool) -> dict:
    return detail.as_api(viewer=viewer, is_worker=is_worker)


CASE_KIND = CaseKind(
    code=KIND,
    label="矛盾调解",
    prefix="TJ",
    statuses=(
        Status(REGISTERED, "已登记", Phase.NEW),
        Status(ACCEPTED, "已受理", Phase.TAKEN),
        Status(MEDIATING, "调解中", Phase.TAKEN),
        Status(AGREED, "已达成协议", Phase.ANSWERED),
        Status(FAILED, "调解未成", Phase.ANSWERED),
        Status(CLOSED, "已结案", Phase.CLOSED),
    ),
    transitions=(
        Transition(MEDIATING, (ACCEPTED,), "开始调解", by=BY_KIND),
        Transition(AGREED, (MEDIATING,), "达成协议", by=BY_KIND),
        Transition(FAILED, (ACCEPTED, MEDIATING), "调解未成", by=BY_KIND, requires_comment=True),
        Transition(CLOSED, (AGREED, FAILED), "结案", by=BY_KIND),
    ),
    taken_status=ACCEPTED,
    reopen_status=MEDIATING,
    follow_up_statuses=(AGREED,),
    generic_actions=False,
    worker_roles=frozenset({Role.MEDIATOR}),
    response_working_days=1,
    due_working_days=10,
    confidential=True,
    ratable_statuses=(CLOSED,),
    panel_template="mediation/dispute_panel.html",
    load_detail=_load_detail,
    create_from_api=_create_from_api,
    new_url_name="mediation:dispute-new",
    api_detail=_api_detail,
    panel_context=_panel_context,
)

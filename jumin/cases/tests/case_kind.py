"""A minimal kind of case for testing the shared engine on its own."""

from jumin.cases.kinds import CaseKind, Status, Transition, register_case_kind
from jumin.cases.models import Phase
from jumin.core.models import Role

TEST_KIND = CaseKind(
    code="test",
    label="测试事项",
    prefix="CS",
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
    worker_roles=frozenset({Role.GRID_WORKER, Role.WINDOW_STAFF}),
    response_working_days=1,
    due_working_days=3,
)

SECRET_KIND = CaseKind(
    code="test_secret",
    label="保密测试事项",
    prefix="CX",
    statuses=TEST_KIND.statuses,
    transitions=TEST_KIND.transitions,
    taken_status="accepted",
    reopen_status="accepted",
    worker_roles=frozenset({Role.MEDIATOR}),
    confidential=True,
)

register_case_kind(TEST_KIND)
register_case_kind(SECRET_KIND)

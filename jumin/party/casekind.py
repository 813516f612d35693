"""社情民意 as a kind of case: its statuses, transitions and deadlines on the shared engine (core.casekinds)."""

from jumin.cases.kinds import CaseKind, Status, Transition
from jumin.cases.models import Phase
from jumin.core.models import Role

OPINION = "opinion"


def opinion_kind(**plugins) -> CaseKind:
    return CaseKind(
        code=OPINION,
        label="社情民意",
        prefix="MY",
        statuses=(
            Status("submitted", "已提交", Phase.NEW),
            Status("accepted", "已受理", Phase.TAKEN),
            Status("answered", "已答复", Phase.ANSWERED),
            Status("closed", "已办结", Phase.CLOSED),
            Status("declined", "已不予受理", Phase.CLOSED),
        ),
        transitions=(
            Transition("accepted", ("submitted",), "受理"),
            Transition("answered", ("accepted",), "答复", requires_comment=True, public=True),
            Transition("closed", ("answered",), "办结"),
            # The resident is told why, so the reason is a public reply.
            Transition("declined", ("submitted", "accepted"), "不予受理", requires_comment=True, public=True),
        ),
        taken_status="accepted",
        reopen_status="accepted",
        worker_roles=frozenset({Role.GRID_WORKER, Role.WINDOW_STAFF, Role.PARTY_REP}),
        response_working_days=1,
        due_working_days=3,
        ratable_statuses=("closed", "declined"),
        **plugins,
    )

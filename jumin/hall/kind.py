"""服务差评: a poor rating of a hall service becomes a case for the secretary to look into and answer."""

from jumin.cases.kinds import CaseKind, Status, Transition
from jumin.cases.models import Phase
from jumin.core.models import Role

KIND = "hall_rating"

RATING_KIND = CaseKind(
    code=KIND,
    label="大厅服务差评",
    prefix="CP",
    statuses=(
        Status("submitted", "待核实", Phase.NEW),
        Status("accepted", "核实中", Phase.TAKEN),
        Status("answered", "已答复", Phase.ANSWERED),
        Status("closed", "已办结", Phase.CLOSED),
    ),
    transitions=(
        Transition("accepted", ("submitted",), "受理核实"),
        Transition("answered", ("accepted",), "答复居民", requires_comment=True),
        Transition("closed", ("answered",), "办结"),
    ),
    taken_status="accepted",
    reopen_status="accepted",
    worker_roles=frozenset({Role.SECRETARY}),
    response_working_days=1,
    due_working_days=3,
)

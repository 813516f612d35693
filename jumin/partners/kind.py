"""难题共办 on the shared case engine: 已交办 → 推进中 → 已办结 (or 已撤销, with a reason)."""

from jumin.cases.kinds import CaseKind, Status, Transition
from jumin.cases.models import Phase
from jumin.core.models import Role

KIND = "joint_task"


def _load_detail(case):
    from .models import JointTask

    return JointTask.objects.select_related("owner_unit", "meeting", "resolution").filter(case=case).first()


CASE_KIND = CaseKind(
    code=KIND,
    label="难题共办",
    prefix="GB",
    statuses=(
        Status("assigned", "已交办", Phase.NEW),
        Status("in_progress", "推进中", Phase.TAKEN),
        Status("done", "已办结", Phase.CLOSED),
        Status("dropped", "已撤销", Phase.CLOSED),
    ),
    transitions=(
        Transition("in_progress", ("assigned",), "开始推进"),
        Transition("done", ("in_progress",), "办结", requires_comment=True),
        Transition("dropped", ("assigned", "in_progress"), "撤销", requires_comment=True, caution=True),
    ),
    taken_status="in_progress",
    reopen_status="in_progress",
    worker_roles=frozenset({Role.PARTY_REP}),
    response_working_days=2,
    due_working_days=20,
    panel_template="partners/task_panel.html",
    load_detail=_load_detail,
)

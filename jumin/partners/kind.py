"""难题共办 on the shared case engine: 已交办 → 推进中 → 已办结 (or 已撤销, with a reason)."""

from jumin.cases.kinds import CaseKind, Status, Transition
from jumin.cases.models import Phase
from jumin.core.models import Role
from jumin.core.workdays import working_days_until

KIND = "joint_task"


def deadline_working_days(deadline, now=None) -> int:
    """The meeting's deadline (a date) as the engine's working days from `now`: due at the end of the last
    working day by that date. The same count serves the opening and a reopen."""
    from django.utils import timezone

    return working_days_until(now or timezone.now(), deadline)


def _due_working_days(case) -> int:
    from .models import JointTask

    deadline = JointTask.objects.filter(case=case).values_list("deadline", flat=True).first()
    return deadline_working_days(deadline) if deadline else CASE_KIND.due_working_days


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
    due_working_days_for=_due_working_days,
)

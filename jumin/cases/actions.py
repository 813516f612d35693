"""What the case pages offer, decided from the rules: one clear primary step per state, the rest secondary, and
steps that end a case without doing it (不予受理, 退回) apart, behind a confirmation. Templates only read this."""

from dataclasses import dataclass, field

from . import rules
from .forms import TransitionForm
from .kinds import BY_WORKER
from .models import Phase


@dataclass
class Step:
    to: str
    label: str
    requires_comment: bool
    public: bool
    caution: bool
    form: TransitionForm
    comment_id: str


@dataclass
class StaffActions:
    can_work: bool = False
    take: bool = False
    primary: Step | None = None
    secondary: list[Step] = field(default_factory=list)
    caution: list[Step] = field(default_factory=list)
    message: bool = False
    assign: bool = False
    escalate: bool = False
    follow_up: bool = False
    attach: bool = False

    @property
    def any_secondary(self) -> bool:
        return bool(self.secondary or self.caution or self.assign or self.escalate)


def _step(case, transition) -> Step:
    return Step(
        to=transition.to,
        label=transition.label,
        requires_comment=transition.requires_comment,
        public=transition.public,
        caution=transition.caution,
        form=TransitionForm(initial={"to": transition.to, "expected_status": case.status}),
        comment_id=f"step-{transition.to}-comment",
    )


def staff_actions(user, case) -> StaffActions:
    works = rules.case_can_work(user, case)
    actions = StaffActions(can_work=works)
    if not works:
        return actions
    spec = case.spec
    actions.take = rules.case_can_take(user, case, can_work=True)
    steps = [
        _step(case, t)
        for t in spec.transitions_from(case.status, by=BY_WORKER)
        if not (case.phase == Phase.NEW and t.to == spec.taken_status)  # that one is the 受理 button
    ]
    forward = [s for s in steps if not s.caution]
    actions.caution = [s for s in steps if s.caution]
    if not actions.take and forward:
        actions.primary, actions.secondary = forward[0], forward[1:]
    else:
        actions.secondary = forward
    actions.message = True
    # A kind with its own panel (mediation) offers 转办 and 转交街道 there, under the same rules.
    actions.assign = spec.generic_actions and rules.case_can_assign(user, case, can_work=True)
    actions.escalate = spec.generic_actions and rules.case_can_escalate(user, case, can_work=True)
    actions.follow_up = spec.generic_actions and rules.case_can_follow_up(user, case, can_work=True)
    actions.attach = True
    return actions


@dataclass
class ResidentActions:
    remind: bool = False
    rate: bool = False
    reopen: bool = False
    attach: bool = False


def resident_actions(user, case, *, rating) -> ResidentActions:
    return ResidentActions(
        remind=rules.case_can_remind(user, case),
        rate=rules.case_can_rate(user, case, rating=rating),
        reopen=rules.case_can_reopen(user, case, rating=rating),
        attach=rules.is_requester(user, case) and case.phase != Phase.CLOSED,
    )

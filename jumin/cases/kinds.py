"""Kinds of case and their state machines: the one contract every app's `kind.py` follows.

An app defines `KIND` (the code stored on Case.kind) and `CASE_KIND = CaseKind(...)` in its own kind.py, with its
plug-ins as module-level functions that import lazily, and registers it from AppConfig.ready() with
`register_case_kind(CASE_KIND)`: opinions (party), errands, disputes (mediation); vendor orders and joint tasks
reuse the same engine."""

from collections.abc import Callable
from dataclasses import dataclass, field

from .models import Phase


@dataclass(frozen=True)
class Status:
    code: str
    label: str
    phase: str


# Who makes a move: the case's worker (assignee or secretary), the resident who raised it, or only the kind's own
# service (the step needs the kind's checks: documents, pickup codes, agreements), which the generic case page and
# the case API refuse.
BY_WORKER = "worker"
BY_RESIDENT = "resident"
BY_KIND = "kind"


@dataclass(frozen=True)
class Transition:
    to: str
    sources: tuple[str, ...]
    label: str
    by: str = BY_WORKER
    requires_comment: bool = False
    # A reply the resident sees, or an internal step.
    public: bool = True
    # Ends the case without doing it (不予受理, 退回): offered apart from the main step, behind a confirmation.
    caution: bool = False


@dataclass(frozen=True)
class CaseKind:
    code: str
    label: str
    prefix: str
    statuses: tuple[Status, ...]
    transitions: tuple[Transition, ...]
    # Status right after a worker takes the case; where a reopened case goes back to.
    taken_status: str
    reopen_status: str
    # Roles that may take and work cases of this kind (the secretary always may).
    worker_roles: frozenset[str]
    response_working_days: int = 1
    due_working_days: int = 3
    confidential: bool = False
    # Resident may rate once the case is closed in one of these statuses (e.g. not after 已退回).
    ratable_statuses: tuple[str, ...] = ()
    # Statuses before closing in which a follow-up visit (回访) may already be recorded (e.g. an agreed dispute).
    follow_up_statuses: tuple[str, ...] = ()
    # False when the kind's panel offers its own assign/escalate steps (mediation), so the case page hides the
    # generic 转办 and 转交街道 forms.
    generic_actions: bool = True
    # Plug-ins from the kind's app: a partial shown on the case page (staff and resident) with context
    # {"case", "detail", "viewer", "is_worker", "is_requester"}; `load_detail(case)` returns the kind's own row
    # (one query); `create_from_api(actor, data)` opens a case from POST /api/v1/cases (data holds title, text
    # and the kind's own fields) and returns it; `new_url_name` is the resident's "raise one" page.
    panel_template: str | None = None
    # A partial shown first on the resident's case page, above everything (an errand's pickup code), same context.
    headline_template: str | None = None
    load_detail: Callable | None = None
    create_from_api: Callable | None = None
    new_url_name: str | None = None
    # `panel_context(case, viewer)` -> dict: the kind's own rules for its panel (may_assign_mediator …).
    panel_context: Callable | None = None
    # `api_detail(detail, *, viewer, is_worker)` -> dict: the kind's part of GET /api/v1/cases/{id} ("detail").
    api_detail: Callable | None = None
    # `due_working_days_for(case)` -> int: a deadline per case (an errand takes its service item's time limit);
    # used when the case opens and again when it is reopened. None: `due_working_days` for every case.
    due_working_days_for: Callable | None = None
    # Open statuses that wait on the resident, not the community (an errand's result waiting to be picked up):
    # such a case is never 超期.
    waiting_on_resident: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)

    def due_days(self, case) -> int:
        return self.due_working_days_for(case) if self.due_working_days_for else self.due_working_days

    def detail_for_api(self, detail, *, viewer, is_worker: bool) -> dict:
        if detail is None or self.api_detail is None:
            return {}
        return self.api_detail(detail, viewer=viewer, is_worker=is_worker)

    @property
    def initial(self) -> str:
        return self.statuses[0].code

    def status(self, code: str) -> Status:
        for status in self.statuses:
            if status.code == code:
                return status
        raise KeyError(code)

    def status_label(self, code: str) -> str:
        try:
            return self.status(code).label
        except KeyError:
            return code

    def phase_of(self, code: str) -> str:
        return self.status(code).phase

    def transition(self, source: str, to: str) -> Transition | None:
        for t in self.transitions:
            if t.to == to and source in t.sources:
                return t
        return None

    def transitions_from(self, source: str, by: str | None = None) -> list[Transition]:
        return [t for t in self.transitions if source in t.sources and (by is None or t.by == by)]

    @property
    def staff_take(self) -> bool:
        """Whether staff 受理 a new case of this kind themselves. Not when the kind gives that step to someone else
        (a vendor accepts its own service orders): then neither 受理 nor 指派 may move a new case on."""
        take = self.transition(self.initial, self.taken_status)
        return take is None or take.by == BY_WORKER

    def closed_statuses(self) -> list[str]:
        return [s.code for s in self.statuses if s.phase == Phase.CLOSED]


_kinds: dict[str, CaseKind] = {}


def register_case_kind(kind: CaseKind) -> None:
    for t in kind.transitions:
        kind.status(t.to)
        for s in t.sources:
            kind.status(s)
    _kinds[kind.code] = kind


def kind_spec(code: str) -> CaseKind:
    return _kinds[code]


def case_kinds() -> list[CaseKind]:
    return list(_kinds.values())


def kind_choices() -> list[tuple[str, str]]:
    return [(k.code, k.label) for k in _kinds.values()]

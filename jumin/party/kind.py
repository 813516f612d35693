"""社情民意 as a kind of case: its statuses, transitions and deadlines on the shared engine (jumin.cases.kinds)."""

from jumin.cases.kinds import CaseKind, Status, Transition
from jumin.cases.models import Phase
from jumin.core.models import Role

KIND = "opinion"


def _load_detail(case):
    from .selectors import opinion_detail

    return opinion_detail(case)


def _create_from_api(actor, data):
    from .services import opinion_create_from_api

    return opinion_create_from_api(actor, data)


def _api_detail(opinion, *, viewer, is_worker: bool) -> dict:
    return opinion.as_api(viewer=viewer, is_worker=is_worker)


CASE_KIND = CaseKind(
    code=KIND,
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
        Transition("declined", ("submitted", "accepted"), "不予受理", requires_comment=True, public=True, caution=True),
    ),
    taken_status="accepted",
    reopen_status="accepted",
    worker_roles=frozenset({Role.GRID_WORKER, Role.WINDOW_STAFF, Role.PARTY_REP}),
    response_working_days=1,
    due_working_days=3,
    ratable_statuses=("closed", "declined"),
    panel_template="party/opinion_panel.html",
    load_detail=_load_detail,
    create_from_api=_create_from_api,
    new_url_name="party:opinion-new",
    api_detail=_api_detail,
)

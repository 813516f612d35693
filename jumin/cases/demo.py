"""Demo-data helper: write a case that has already travelled along a path of statuses, with consistent
timestamps and history, without going through the live services (which stamp "now")."""

import datetime

from jumin.core.models import Role
from jumin.core.workdays import add_working_days_each

from .kinds import kind_spec
from .models import Case, CaseEvent, CaseParty, CaseRating, EventKind, Phase
from .services import ON_BEHALF_COMMENT


def demo_case(
    *,
    kind: str,
    resident,
    title: str,
    body: str,
    created_at: datetime.datetime,
    path: list[tuple[str, datetime.timedelta, str]],
    worker,
    raised_by=None,
    rating: tuple[str, str] | None = None,
    parties=(),
) -> Case:
    """`path` lists (status, time after creation, comment) after the initial status, e.g.
    [("accepted", 2h, ""), ("answered", 1d, "已联系物业"), ("closed", 2d, "")]; `rating` is (value, comment)."""
    spec = kind_spec(kind)
    response_due, due_at = add_working_days_each(created_at, spec.response_working_days, spec.due_working_days)
    case = Case.objects.create(
        kind=kind,
        community_id=resident.community_id,
        grid_id=resident.grid_id,
        household_id=resident.household_id,
        resident=resident,
        raised_by=raised_by,
        title=title[:100],
        body=body,
        status=spec.initial,
        phase=spec.phase_of(spec.initial),
        confidential=spec.confidential,
        response_due=response_due,
        due_at=due_at,
    )
    # As case_services.case_open: staff opening a case for a resident says so on the first step.
    on_behalf = raised_by is not None and raised_by.role != Role.RESIDENT
    events = [
        CaseEvent(
            community_id=case.community_id,
            case=case,
            actor=raised_by,
            kind=EventKind.CREATED,
            comment=ON_BEHALF_COMMENT if on_behalf else "",
            to_status=spec.initial,
            created_at=created_at,
        )
    ]
    updates = {"number": f"{spec.prefix}{created_at:%Y%m%d}{case.pk:05d}", "created_at": created_at}
    status = spec.initial
    for to, offset, comment in path:
        when = created_at + offset
        phase = spec.phase_of(to)
        events.append(
            CaseEvent(
                community_id=case.community_id,
                case=case,
                actor=worker,
                kind=EventKind.TRANSITION,
                from_status=status,
                to_status=to,
                comment=comment,
                created_at=when,
            )
        )
        if phase != Phase.NEW and "taken_at" not in updates:
            updates.update(taken_at=when, assignee=worker)
        if phase in (Phase.ANSWERED, Phase.CLOSED) and "answered_at" not in updates:
            updates["answered_at"] = when
        if phase == Phase.CLOSED:
            updates["closed_at"] = when
        status = to
    updates.update(
        status=status,
        phase=spec.phase_of(status),
        updated_at=created_at + (path[-1][1] if path else datetime.timedelta()),
    )
    Case.objects.filter(pk=case.pk).update(**updates)
    CaseEvent.objects.bulk_create(events)
    CaseParty.objects.create(
        community_id=case.community_id, case=case, resident=resident, role=CaseParty.Role.REQUESTER
    )
    for other in parties:
        CaseParty.objects.get_or_create(community_id=case.community_id, case=case, resident=other)
    if rating and spec.phase_of(status) == Phase.CLOSED:
        CaseRating.objects.create(
            community_id=case.community_id, case=case, round=1, value=rating[0], comment=rating[1]
        )
    case.refresh_from_db()
    return case

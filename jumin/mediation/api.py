import datetime
import uuid

from django.http import Http404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from jumin.cases.selectors import can_work
from jumin.core.api_pagination import Page

from . import selectors

router = Router(tags=["矛盾调解"])


class SessionOut(Schema):
    held_at: datetime.datetime
    place: str
    attendees: list[str]
    other_attendees: str
    # Only the mediator and the secretary read the notes; parties see when and where.
    notes: str | None = Field(None, alias="visible_notes")
    recorded_by: str | None

    @staticmethod
    def resolve_attendees(obj) -> list[str]:
        return [r.name for r in obj.attendees.all()]

    @staticmethod
    def resolve_recorded_by(obj) -> str | None:
        return obj.created_by.name if obj.created_by_id else None


@router.get(
    "/disputes/{case_uuid}/sessions",
    response=list[SessionOut],
    summary="调解记录(仅当事人、调解员和社区书记可见)",
    description="调解的时间、地点、参加人;记录内容只对调解员和社区书记显示。其他人一律 404。",
)
@paginate(Page)
def session_list(request, case_uuid: str):
    user = request.auth
    dispute = selectors.dispute_get(user, _uuid(case_uuid))
    return selectors.sessions_for(dispute, is_worker=can_work(user, dispute.case))


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise Http404 from exc

import datetime
import uuid

from django.http import Http404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from jumin.cases.selectors import can_work
from jumin.core.api_pagination import Page
from jumin.core.models import Role
from jumin.core.schemas import InputSchema, validated_field

from . import selectors, services

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


class NamedPartyIn(InputSchema):
    name: str = Field("", description="对方姓名")
    address: str = Field("", description="对方住址")


def dispute_create_from_api(actor, data: dict):
    """POST /api/v1/cases with kind "dispute": other_parties typed before the service reads it (residents name
    the other side, staff pick residents by uuid)."""
    wanted = list[NamedPartyIn] if actor.role == Role.RESIDENT else list[str]
    parties = validated_field(wanted, data.get("other_parties") or [], field="other_parties")
    parties = [p.model_dump() if isinstance(p, NamedPartyIn) else p for p in parties]
    return services.dispute_create_from_api(actor, {**data, "other_parties": parties})


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise Http404 from exc

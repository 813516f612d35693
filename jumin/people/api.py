import datetime

from django.http import Http404
from ninja import File, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from jumin.core.access import scope_for, user_can
from jumin.core.errors import PermissionDenied
from jumin.places.models import Community

from . import selectors
from .idcard import mask_phone

router = Router(tags=["户籍"])


class HouseholdFilters(Schema):
    compound: int | None = None
    grid: int | None = None
    tag: str | None = None
    age_band: str | None = None
    q: str | None = None
    community: int | None = None


class HouseholdOut(Schema):
    uuid: str
    community_id: int
    address: str
    compound: str
    grid: str
    head_name: str
    member_count: int
    tags: list[str]


class MemberOut(Schema):
    uuid: str
    name: str
    relationship: str
    gender: str
    birth_date: datetime.date
    age: int
    id_number: str
    phone: str
    tags: list[str]
    status: str


class HouseholdDetailOut(HouseholdOut):
    version: int
    members: list[MemberOut]


class SummaryOut(Schema):
    community_id: int
    community: str
    stations: int
    grids: int
    compounds: int
    buildings: int
    households: int
    residents: int
    elderly: int
    by_tag: dict[str, int]


class RosterErrorOut(Schema):
    row: int
    column: str
    message: str


class RosterReportOut(Schema):
    created: int
    updated: int
    unchanged: int
    errors: list[RosterErrorOut]
    dry_run: bool


def _household_out(h) -> dict:
    return {
        "uuid": str(h.uuid),
        "community_id": h.community_id,
        "address": h.dwelling.address,
        "compound": h.compound.name,
        "grid": h.grid.name,
        "head_name": h.head_name,
        "member_count": h.member_count,
        "tags": getattr(h, "tag_names", []),
    }


class HouseholdPagination(PageNumberPagination):
    """Page of households, with member tags attached in one query for the page."""

    def paginate_queryset(self, queryset, pagination, request, **params):
        result = super().paginate_queryset(queryset, pagination, request, **params)
        items = list(result["items"])
        selectors.with_member_tags(items)
        result["items"] = [_household_out(h) for h in items]
        return result


@router.get("/households", response=list[HouseholdOut], summary="住户列表(分页、按权限范围)")
@paginate(HouseholdPagination, page_size=20)
def household_list(request, filters: Query[HouseholdFilters]):
    data = filters.dict()
    scope = scope_for(request.auth, data.pop("community"))
    return selectors.households_for(scope, **data)


@router.get("/households/{household_uuid}", response=HouseholdDetailOut, summary="一户一档")
def household_detail(request, household_uuid: str):
    scope = scope_for(request.auth)
    household = selectors.household_get(scope, _uuid(household_uuid))
    members = selectors.household_members(household, include_moved_out=not request.auth.is_resident)
    see_phone = user_can(request.auth, "register.see_phone") or request.auth.is_resident
    selectors.with_member_tags([household])  # the same household tags as the list
    out = _household_out(household)
    out["version"] = household.version
    out["members"] = [
        {
            "uuid": str(m.uuid),
            "name": m.name,
            "relationship": m.get_relationship_display(),
            "gender": m.get_gender_display(),
            "birth_date": m.birth_date,
            "age": m.age(),
            "id_number": m.id_masked,
            "phone": m.phone if see_phone else mask_phone(m.phone),
            "tags": selectors.member_tag_names(m),
            "status": m.get_status_display(),
        }
        for m in members
    ]
    return out


@router.get("/communities/{community_id}/summary", response=SummaryOut, summary="社区概况")
def community_summary(request, community_id: int):
    user = request.auth
    scope = scope_for(user)
    if not user.is_office or community_id not in scope.community_ids:
        raise Http404
    return selectors.community_summary(Community.objects.get(pk=community_id))


@router.post("/roster/import", response=RosterReportOut, summary="导入花名册(.xlsx),dry_run=true 只校验不写入")
def roster_import_endpoint(request, file: File[UploadedFile], dry_run: bool = True):
    from .roster import roster_import

    user = request.auth
    if not user_can(user, "register.import"):
        raise PermissionDenied("您没有导入花名册的权限")
    report = roster_import(actor=user, scope=scope_for(user), community=user.community, file=file, dry_run=dry_run)
    return report.as_dict()


def _uuid(value: str):
    import uuid

    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise Http404 from exc

import datetime
from typing import Literal

from django.http import Http404
from ninja import Field, File, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate

from jumin.core.access import scope_for, user_can
from jumin.core.api_pagination import Cached, Page
from jumin.core.errors import PermissionDenied
from jumin.core.schemas import DbId, InputSchema, RowOut
from jumin.places.models import Community

from . import selectors
from .idcard import mask_phone

router = Router(tags=["户籍"])


class HouseholdFilters(InputSchema):
    compound: DbId | None = Field(None, description="小区 id")
    grid: DbId | None = Field(None, description="网格 id")
    tag: str | None = Field(None, max_length=50, description="标签代码,如 elderly、laid_off")
    age_band: Literal[tuple(selectors.AGE_BANDS)] | None = Field(None, description="年龄段")
    q: str | None = Field(
        None,
        max_length=50,
        description="姓名、拼音首字母(如 zsf)或全拼、完整手机号、手机尾号,或身份证尾号(可查看完整身份证号的角色)",
    )
    community: DbId | None = Field(None, description="社区 id(街道领导切换社区时用)")


class HouseholdOut(RowOut):
    uuid: str
    community_id: int
    address: str
    compound: str
    grid: str
    head_name: str
    member_count: int
    tags: list[str]


class MemberOut(RowOut):
    uuid: str
    name: str
    relationship: str
    gender: str
    birth_date: datetime.date | None = Field(description="出生日期;只给可查看完整身份证号的角色,其他角色为 null")
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


def _household_out(row: dict) -> dict:
    """A household as the API shows it, from `selectors.household_rows` / `household_row`."""
    return {
        "uuid": str(row["uuid"]),
        "community_id": row["community_id"],
        "address": row["address"],
        "compound": row["compound_name"],
        "grid": row["grid_name"],
        "head_name": row["head_name"],
        "member_count": row["member_count"],
        "tags": row["tag_names"],
    }


class HouseholdPagination(Page):
    """Page of households, as the list page shows them (rows and their tags in two queries)."""

    def present(self, items, request):
        return [_household_out(row) for row in selectors.household_rows(items)]


@router.get(
    "/households",
    response=list[HouseholdOut],
    summary="住户列表(分页、按权限范围)",
    description="与网页台账相同的筛选与范围:网格员只见所管网格,居民只见本户,街道领导见全街道。按住户编号排序,翻页稳定。",
)
@paginate(HouseholdPagination)
def household_list(request, filters: Query[HouseholdFilters]):
    data = filters.dict()
    scope = scope_for(request.auth, data.pop("community"))
    id_tail = selectors.can_see_identity(request.auth)
    key = selectors.list_cache_key("api-household", scope, request.GET.urlencode(), id_tail=id_tail)
    return Cached(selectors.households_for(scope, **data, id_tail=id_tail), key, selectors.LIST_SECONDS)


@router.get(
    "/households/{household_uuid}",
    response=HouseholdDetailOut,
    summary="一户一档",
    description="住所、成员及与户主关系、标签。身份证号一律脱敏;手机号只对书记、窗口人员、网格员完整显示,与网页相同。",
)
def household_detail(request, household_uuid: str):
    scope = scope_for(request.auth)
    household = selectors.household_get(scope, _uuid(household_uuid))
    members = selectors.household_members(household, include_moved_out=not request.auth.is_resident)
    see_phone = user_can(request.auth, "register.see_phone")  # as on the household page
    see_birth_date = selectors.can_see_identity(request.auth)
    selectors.with_member_tags([household])  # the same household tags as the list
    out = _household_out(selectors.household_row(household))
    out["version"] = household.version
    out["members"] = [
        {
            "uuid": str(m.uuid),
            "name": m.name,
            "relationship": m.get_relationship_display(),
            "gender": m.get_gender_display(),
            "birth_date": m.birth_date if see_birth_date else None,
            "age": m.age(),
            "id_number": m.id_masked,
            "phone": m.phone if see_phone else mask_phone(m.phone),
            "tags": selectors.member_tag_names(m),
            "status": m.get_status_display(),
        }
        for m in members
    ]
    return out


@router.get(
    "/communities/{community_id}/summary",
    response=SummaryOut,
    summary="社区概况",
    description="小区、楼栋、住户、居民、网格、60 岁以上老人数及按标签计数。仅限工作人员,且社区须在其范围内。",
)
def community_summary(request, community_id: int):
    user = request.auth
    scope = scope_for(user)
    if not user.is_office or community_id not in scope.community_ids:
        raise Http404
    return selectors.community_summary(Community.objects.get(pk=community_id))


@router.post(
    "/roster/import",
    response=RosterReportOut,
    summary="导入花名册(.xlsx),dry_run=true 只校验不写入",
    description="multipart 上传 file。dry_run=false 时所有合格行在同一事务写入,其余逐行报告(行号、列、中文说明);按身份证号匹配,重复导入不改变数据。",
)
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

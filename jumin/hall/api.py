from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from jumin.core.access import Scope, scope_for
from jumin.core.api_pagination import Page
from jumin.core.schemas import DbId, InputSchema

from . import selectors

router = Router(tags=["服务大厅"])


class ItemFilters(InputSchema):
    proxy_allowed: bool | None = None
    window: DbId | None = None
    q: str | None = Field(None, max_length=50)
    community: DbId | None = None


class WindowOut(Schema):
    id: int
    number: int
    name: str


class ItemOut(Schema):
    id: int
    community_id: int
    window: WindowOut
    name: str
    description: str
    required_documents: list[str]
    time_limit_working_days: int
    proxy_allowed: bool
    in_person_required: str
    active: bool


@router.get(
    "/hall/items",
    response=list[ItemOut],
    summary="服务事项(办事指南);proxy_allowed=true 只看可代办",
    description="本社区大厅的服务事项及所需材料;居民只看到在办的事项。按社区、窗口号排序。",
)
@paginate(Page)
def item_list(request, filters: Query[ItemFilters]):
    user = request.auth
    data = filters.dict()
    community = data.pop("community")
    scope = scope_for(user)
    if community is not None:
        scope = Scope(community_ids=tuple(i for i in scope.community_ids if i == community))
    return selectors.items_for(
        scope, window=data["window"], proxy=data["proxy_allowed"], q=data["q"], active_only=not user.is_office
    )

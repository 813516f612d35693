"""Notices in the API: what reaches me (a resident), the community's (staff), and publishing one."""

import datetime

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from jumin.core.api_pagination import Page
from jumin.core.errors import PermissionDenied
from jumin.core.schemas import DbId, InputSchema

from . import selectors, services
from .models import Category

router = Router(tags=["通知公告"])


class AudienceIn(InputSchema):
    compounds: list[DbId] = Field([], max_length=100, description="小区 id(与住户接口的 compound 筛选相同)")
    grids: list[DbId] = Field([], max_length=100, description="网格 id(与住户接口的 grid 筛选相同)")
    tags: list[str] = Field([], max_length=100, description="标签代码,如 elderly、low_income(与住户接口的 tag 相同)")


class NoticeIn(InputSchema):
    multiline_fields = frozenset({"body"})

    title: str = Field(max_length=100)
    body: str = Field(max_length=5000)
    category: Category = Field(Category.POLICY, description="policy 政策,event 活动,warning 提醒")
    urgent: bool = Field(False, description="紧急:同时发短信,工作人员可查看未读名单")
    audience: AudienceIn = Field(default_factory=AudienceIn, description="都不填为全体居民;填了几项取同时符合者")
    pinned: bool = False


class NoticeOut(Schema):
    uuid: str
    title: str
    body: str
    category: str
    category_label: str
    urgent: bool
    pinned: bool
    audience_all: bool = Field(description="是否发给全体居民")
    published_at: datetime.datetime
    read: bool | None = Field(description="居民:本人是否已读;工作人员:null")
    read_count: int | None = Field(description="工作人员:已读人数;居民:null")


def _out(n) -> dict:
    return {
        "uuid": str(n.uuid),
        "title": n.title,
        "body": n.body,
        "category": n.category,
        "category_label": n.get_category_display(),
        "urgent": n.urgent,
        "pinned": n.pinned,
        "audience_all": n.audience_all,
        "published_at": n.published_at,
        "read": getattr(n, "is_read", None),
        "read_count": getattr(n, "read_count", None),
    }


class NoticePage(Page):
    def present(self, items, request):
        return [_out(n) for n in items]


@router.get(
    "/notices",
    response=list[NoticeOut],
    summary="通知(居民:发给我的;工作人员:本社区的)",
    description="置顶在前,再按发布时间新的在前。指定了小区、网格或标签的通知只出现在对象居民的列表里。",
)
@paginate(NoticePage)
def notice_list(request, q: str | None = Query(None, max_length=50, description="标题或内容")):
    return selectors.notices_for(request.auth, q=q)


@router.post(
    "/notices",
    response={201: NoticeOut},
    summary="发布通知(工作人员)",
    description="title、body、audience(compounds、grids、tags)、pinned、urgent。通知送到对象居民的站内消息;返回 201。",
)
def notice_create(request, payload: NoticeIn):
    user = request.auth
    if user.community_id is None:
        raise PermissionDenied("您没有权限发布通知")
    notice = services.notice_publish(
        actor=user,
        community=user.community,
        title=payload.title,
        body=payload.body,
        category=payload.category,
        urgent=payload.urgent,
        pinned=payload.pinned,
        compounds=payload.audience.compounds,
        grids=payload.audience.grids,
        tags=payload.audience.tags,
    )
    return Status(201, _out(selectors.notice_get(user, notice.uuid)))

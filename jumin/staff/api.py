import uuid as uuidlib

from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from jumin.core.access import user_can
from jumin.core.api_pagination import Page
from jumin.core.errors import NotFound, PermissionDenied
from jumin.core.schemas import DbId, InputSchema
from jumin.people.idcard import mask_phone
from jumin.places.models import Community

from . import selectors, services

router = Router(tags=["工作人员账号"])


class StaffOut(Schema):
    uuid: str
    name: str
    phone: str = Field(description="手机号(脱敏)")
    role: str = Field(description="角色代码,与 /api/v1/me 的 role 相同")
    role_display: str
    community_id: int | None
    community: str | None
    grids: list[int]
    windows: list[int]
    active: bool


class StaffCreatedOut(StaffOut):
    setup_url: str = Field(description="一次性设置密码链接(72 小时内有效,只显示这一次)")


class StaffIn(InputSchema):
    phone: str = Field(max_length=20, description="登录手机号")
    name: str = Field(max_length=100)
    role: str = Field(max_length=30, description="grid_worker、window_staff、mediator、party_rep、secretary")
    grids: list[DbId] = Field(default_factory=list, max_length=200, description="网格员负责的网格编号")
    windows: list[DbId] = Field(default_factory=list, max_length=50, description="窗口工作人员的窗口编号")
    community: DbId | None = Field(None, description="所属社区编号;社区书记可省略(本社区),街道管理员必填")


class StaffPatch(InputSchema):
    role: str | None = Field(None, max_length=30)
    grids: list[DbId] | None = Field(None, max_length=200)
    windows: list[DbId] | None = Field(None, max_length=50)
    active: bool | None = None
    name: str | None = Field(None, max_length=100)


class StaffFilters(InputSchema):
    community: DbId | None = None
    role: str | None = Field(None, max_length=30)


class SetupLinkOut(Schema):
    setup_url: str


class RoleOut(Schema):
    code: str
    label: str
    pages: list[str]
    capabilities: list[str]


def staff_out(user) -> dict:
    return {
        "uuid": str(user.uuid),
        "name": user.name,
        "phone": mask_phone(user.phone),
        "role": user.role,
        "role_display": user.get_role_display(),
        "community_id": user.community_id,
        "community": user.community.name if user.community_id else None,
        "grids": sorted(g.pk for g in user.grids.all()),
        "windows": sorted(w.pk for w in user.hall_windows.all()),
        "active": user.is_active,
    }


def _setup_url(request, raw: str) -> str:
    return request.build_absolute_uri(reverse("staff:setup", args=[raw]))


def _require_view(user) -> None:
    if not user_can(user, "staff.view"):
        raise PermissionDenied("您没有管理工作人员账号的权限")


def _get(user, value: str):
    try:
        key = uuidlib.UUID(value)
    except ValueError as exc:
        raise NotFound("没有找到该账号") from exc
    return services.staff_get(user, key)


class StaffPage(Page):
    def present(self, items, request):
        return [staff_out(u) for u in items]


@router.get(
    "/staff",
    response=list[StaffOut],
    summary="工作人员账号",
    description="社区书记看到本社区的工作人员;街道管理员看到本街道各社区的工作人员和街道管理员。没有权限返回 403。",
)
@paginate(StaffPage)
def staff_list(request, filters: Query[StaffFilters]):
    user = request.auth
    _require_view(user)
    return selectors.staff_for(user, community_id=filters.community, role=filters.role)


@router.get(
    "/staff/roles",
    response=list[RoleOut],
    summary="各角色可以做什么(权限表)",
    description="每个工作人员角色可用的页面和全部权限代码,来自权限检查所用的同一张权限表。",
)
def role_list(request):
    _require_view(request.auth)
    return selectors.role_table()


@router.post(
    "/staff",
    response={201: StaffCreatedOut},
    summary="开设工作人员账号",
    description=(
        "返回 201 与一次性设置密码链接 setup_url(本人打开后设置密码)。不能开设与自己同级或更高的角色(403);"
        "网格、窗口或社区不在管辖范围内返回 404;手机号已有账号返回 409。"
    ),
)
def staff_create(request, payload: StaffIn):
    user = request.auth
    _require_view(user)
    community_id = payload.community or user.community_id
    community = Community.objects.filter(pk=community_id).first() if community_id else None
    created, raw = services.staff_create(
        actor=user,
        community=community,
        phone=payload.phone,
        name=payload.name,
        role=payload.role,
        grid_ids=payload.grids,
        window_ids=payload.windows,
    )
    created = selectors.staff_for(user).get(pk=created.pk)
    return Status(201, staff_out(created) | {"setup_url": _setup_url(request, raw)})


@router.patch(
    "/staff/{uuid}",
    response=StaffOut,
    summary="修改工作人员账号(角色、网格、窗口、启用)",
    description="active=false 停用:该账号的会话和令牌在下一次请求时即失效。不能修改自己的账号或同级、更高的账号(403)。",
)
def staff_update(request, uuid: str, payload: StaffPatch):
    user = request.auth
    _require_view(user)
    target = _get(user, uuid)
    data = payload.dict(exclude_unset=True)
    services.staff_update(
        actor=user,
        user=target,
        **{"role": data["role"]} if data.get("role") is not None else {},
        **{"grid_ids": data["grids"]} if data.get("grids") is not None else {},
        **{"window_ids": data["windows"]} if data.get("windows") is not None else {},
        **{"active": data["active"]} if data.get("active") is not None else {},
        **{"name": data["name"]} if data.get("name") is not None else {},
    )
    return staff_out(selectors.staff_for(user).get(pk=target.pk))


@router.post(
    "/staff/{uuid}/reset-password",
    response=SetupLinkOut,
    summary="重置工作人员密码",
    description="旧密码、会话和令牌立即失效,返回一次性设置密码链接(72 小时内有效)。不在管辖范围内返回 404。",
)
def staff_reset_password(request, uuid: str):
    user = request.auth
    _require_view(user)
    target = _get(user, uuid)
    raw = services.staff_reset_password(actor=user, user=target)
    return {"setup_url": _setup_url(request, raw)}

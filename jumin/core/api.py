from django.conf import settings
from django.contrib.auth import authenticate, logout
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from .models import ApiToken
from .schemas import InputSchema

router = Router(tags=["账号"])


class TokenIn(InputSchema):
    phone: str = Field(max_length=20, description="登录手机号")
    password: str = Field(max_length=128)


class TokenOut(Schema):
    token: str = Field(description="放在请求头 Authorization: Bearer <令牌> 中")
    token_type: str = "bearer"  # noqa: S105


class MeOut(Schema):
    uuid: str
    name: str
    phone: str
    role: str = Field(description="身份代码,如 resident、grid_worker、secretary")
    role_display: str
    community_id: int | None
    community: str | None
    grid_ids: list[int]
    household_uuid: str | None
    elder_mode: bool


@router.post(
    "/auth/token",
    auth=None,
    response=TokenOut,
    summary="手机号+密码换取令牌",
    description=(
        "密码错误返回 401。同一手机号在同一地址连续输错多次后暂时锁定(与网页登录共用计数),锁定期间返回 429,"
        "即使密码正确也不发令牌。生产环境不接受演示密码。"
    ),
)
def token_obtain(request, payload: TokenIn):
    user = authenticate(request, username=payload.phone, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        # django-axes counted this failure and refused; answer in JSON here instead of letting its middleware
        # swap in the HTML lockout page.
        request.axes_locked_out = False
        minutes = round(float(settings.AXES_COOLOFF_TIME) * 60)
        raise HttpError(429, f"密码错误次数过多,账号已被暂时锁定。请 {minutes} 分钟后再试,或到社区服务大厅求助。")
    if user is None or not user.is_active:
        raise HttpError(401, "手机号或密码不正确")
    return {"token": ApiToken.issue(user)}


@router.post(
    "/auth/logout",
    response={204: None},
    summary="退出登录(注销当前令牌)",
    description="注销这次请求所带的令牌,之后再用它访问返回 401;其他设备上的令牌不受影响。以网页会话调用时退出该会话。",
)
def token_revoke(request):
    api_token = getattr(request, "api_token", None)
    if api_token is not None:
        ApiToken.objects.filter(pk=api_token.pk).delete()
    else:
        logout(request)
    return Status(204, None)


@router.get("/me", response=MeOut, summary="当前用户", description="身份、所属社区与网格、本人住户编号、长辈模式。")
def me(request):
    user = request.auth
    resident = user.resident if user.resident_id else None
    return {
        "uuid": str(user.uuid),
        "name": user.name,
        "phone": user.phone,
        "role": user.role,
        "role_display": user.get_role_display(),
        "community_id": user.community_id or (resident.community_id if resident else None),
        "community": user.community.name if user.community_id else None,
        "grid_ids": list(user.grids.values_list("id", flat=True)),
        "household_uuid": str(resident.household.uuid) if resident else None,
        "elder_mode": user.elder_mode,
    }

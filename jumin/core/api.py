from django.contrib.auth import authenticate
from ninja import Router, Schema
from ninja.errors import HttpError

from .models import ApiToken

router = Router(tags=["账号"])


class TokenIn(Schema):
    phone: str
    password: str


class TokenOut(Schema):
    token: str
    token_type: str = "bearer"  # noqa: S105


class MeOut(Schema):
    uuid: str
    name: str
    phone: str
    role: str
    role_display: str
    community_id: int | None
    community: str | None
    grid_ids: list[int]
    household_uuid: str | None
    elder_mode: bool


@router.post("/auth/token", auth=None, response=TokenOut, summary="手机号+密码换取令牌")
def token_obtain(request, payload: TokenIn):
    user = authenticate(request, username=payload.phone, password=payload.password)
    if user is None or not user.is_active:
        raise HttpError(401, "手机号或密码不正确")
    return {"token": ApiToken.issue(user)}


@router.get("/me", response=MeOut, summary="当前用户")
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

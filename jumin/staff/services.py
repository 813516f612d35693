"""Writes on staff accounts: create, change role / grids / windows, disable and enable, reset the password, and the
one-time link with which the person sets it. Each is audited; the rules are in staff.rules."""

import datetime
import re

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jumin.core.access import scope_for
from jumin.core.audit import audit_record
from jumin.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from jumin.core.models import ApiToken, Role, User
from jumin.core.text import CONTROL_MESSAGE, has_control_chars
from jumin.hall.models import Window
from jumin.hall.services import hall_ensure_catalogue
from jumin.places.models import Community, Grid

from .models import StaffInvite, hash_token
from .rules import staff_can_assign, staff_can_manage, staff_in_scope

PHONE_RE = re.compile(r"^1\d{10}$")
INVITE_HOURS = 72
UNSET = object()


def _clean_phone(phone: str) -> str:
    phone = (phone or "").strip()
    if not PHONE_RE.match(phone):
        raise DomainError("手机号应为以 1 开头的 11 位数字", field="phone")
    return phone


def _clean_name(name: str, label: str = "姓名") -> str:
    name = (name or "").replace("\u3000", " ").strip()
    if not name:
        raise DomainError(f"请填写{label}", field="name")
    if len(name) > 50:
        raise DomainError(f"{label}过长(最多 50 个字)", field="name")
    if has_control_chars(name):
        raise DomainError(f"{label}{CONTROL_MESSAGE}", field="name")
    if name.startswith(("=", "+", "-", "@")):
        raise DomainError(f"{label}不能以 = + - @ 开头", field="name")
    return name


def _places(community_id: int, role: str, grid_ids, window_ids) -> tuple[list, list]:
    """The grids (grid workers only) and windows (window staff only) named, all of the account's community."""
    grid_ids, window_ids = sorted(set(grid_ids or ())), sorted(set(window_ids or ()))
    if grid_ids and role != Role.GRID_WORKER:
        raise DomainError("只有网格员需要负责网格", field="grids")
    if window_ids and role != Role.WINDOW_STAFF:
        raise DomainError("只有窗口工作人员需要分配窗口", field="windows")
    grids = list(Grid.objects.filter(community_id=community_id, pk__in=grid_ids))
    if len(grids) != len(grid_ids):
        raise NotFound("有网格不在本社区", field="grids")
    windows = list(Window.objects.filter(community_id=community_id, pk__in=window_ids))
    if len(windows) != len(window_ids):
        raise NotFound("有窗口不在本社区", field="windows")
    return grids, windows


def _invite(actor, user, now) -> str:
    """A fresh one-time link; older unused links of the account stop working."""
    StaffInvite.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
    raw = StaffInvite.new_token()
    StaffInvite.objects.create(
        user=user, created_by=actor, token_hash=hash_token(raw), expires_at=now + datetime.timedelta(hours=INVITE_HOURS)
    )
    return raw


def staff_create(
    *, actor, community: Community, phone: str, name: str, role: str, grid_ids=(), window_ids=(), now=None
) -> tuple[User, str]:
    """A new staff account without a password, and the one-time link (its token) with which the person sets one."""
    now = now or timezone.now()
    if not staff_can_assign(actor, role):
        raise PermissionDenied("您不能开设该角色的账号")
    if community is None or community.pk not in scope_for(actor).community_ids:
        raise NotFound("没有找到该社区", field="community")
    phone, name = _clean_phone(phone), _clean_name(name)
    grids, windows = _places(community.pk, role, grid_ids, window_ids)
    try:
        with transaction.atomic():
            user = User.objects.create_user(phone, None, name=name, role=role, community=community)
            user.grids.set(grids)
            user.hall_windows.set(windows)
            raw = _invite(actor, user, now)
            audit_record(
                actor=actor,
                action="staff.create",
                target=user,
                summary=f"开设账号:{name}({user.get_role_display()})",
                changes={
                    "角色": [None, user.get_role_display()],
                    "负责网格": [None, [g.name for g in grids]],
                    "窗口": [None, [w.name for w in windows]],
                },
                now=now,
            )
    except IntegrityError as exc:
        raise Conflict("该手机号已有账号", field="phone") from exc
    return user, raw


def staff_get(actor, uuid) -> User:
    """The account with this uuid if the actor may see it; else NotFound (404)."""
    user = User.objects.filter(uuid=uuid).select_related("community").first()
    if user is None or not staff_in_scope(actor, user):
        raise NotFound("没有找到该账号")
    return user


def staff_update(
    *, actor, user: User, role=UNSET, grid_ids=UNSET, window_ids=UNSET, active=UNSET, name=UNSET, now=None
):
    """Change role, grids, windows, name or whether the account may log in. Disabling ends its sessions (the
    session backend refuses inactive users on their next request) and deletes its API tokens at once."""
    now = now or timezone.now()
    if not staff_can_manage(actor, user):
        raise PermissionDenied("您不能修改该账号")
    new_role = user.role if role is UNSET else role
    if new_role != user.role and not staff_can_assign(actor, new_role):
        raise PermissionDenied("您不能授予该角色")
    old_grids = list(user.grids.order_by("number").values_list("name", flat=True))
    old_windows = list(user.hall_windows.order_by("number").values_list("name", flat=True))
    keep_grids = grid_ids is UNSET and new_role == Role.GRID_WORKER
    keep_windows = window_ids is UNSET and new_role == Role.WINDOW_STAFF
    grids, windows = _places(
        user.community_id,
        new_role,
        list(user.grids.values_list("pk", flat=True)) if keep_grids else ([] if grid_ids is UNSET else grid_ids),
        list(user.hall_windows.values_list("pk", flat=True))
        if keep_windows
        else ([] if window_ids is UNSET else window_ids),
    )
    new_name = user.name if name is UNSET else _clean_name(name)
    new_active = user.is_active if active is UNSET else bool(active)
    changes = {}
    if new_role != user.role:
        changes["角色"] = [user.get_role_display(), Role(new_role).label]
    if [g.name for g in sorted(grids, key=lambda g: g.number)] != old_grids:
        changes["负责网格"] = [old_grids, [g.name for g in sorted(grids, key=lambda g: g.number)]]
    if [w.name for w in sorted(windows, key=lambda w: w.number)] != old_windows:
        changes["窗口"] = [old_windows, [w.name for w in sorted(windows, key=lambda w: w.number)]]
    if new_name != user.name:
        changes["姓名"] = [user.name, new_name]
    if new_active != user.is_active:
        changes["启用"] = [user.is_active, new_active]
    if not changes:
        return user
    with transaction.atomic():
        # Compare-and-set on what was read: two managers changing one account at once cannot both win.
        rows = User.objects.filter(pk=user.pk, role=user.role, is_active=user.is_active, name=user.name)
        if rows.update(role=new_role, is_active=new_active, name=new_name, updated_at=now) != 1:
            raise Conflict("该账号已被他人修改,请刷新后重试。")
        user.role, user.is_active, user.name = new_role, new_active, new_name
        user.grids.set(grids)
        user.hall_windows.set(windows)
        if not new_active:
            ApiToken.objects.filter(user=user).delete()
            StaffInvite.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
        action = "staff.disable" if "启用" in changes and not new_active else "staff.update"
        if "启用" in changes and new_active:
            action = "staff.enable"
        audit_record(
            actor=actor,
            action=action,
            target=user,
            summary=f"{'停用' if action == 'staff.disable' else '启用' if action == 'staff.enable' else '修改'}账号:"
            f"{user.name}({user.get_role_display()})",
            changes=changes,
            now=now,
        )
    user.__dict__.pop("_scope_cache", None)
    return user


def staff_reset_password(*, actor, user: User, now=None) -> str:
    """The old password stops working at once (sessions and API tokens with it); the person sets a new one through
    the one-time link whose token this returns."""
    now = now or timezone.now()
    if not staff_can_manage(actor, user):
        raise PermissionDenied("您不能重置该账号的密码")
    with transaction.atomic():
        user.set_unusable_password()
        user.save(update_fields=["password", "updated_at"])
        ApiToken.objects.filter(user=user).delete()
        raw = _invite(actor, user, now)
        audit_record(
            actor=actor,
            action="staff.reset_password",
            target=user,
            summary=f"重置密码:{user.name}({user.get_role_display()}),已发放一次性设置密码链接",
            now=now,
        )
    return raw


def invite_for(raw: str, now=None) -> StaffInvite | None:
    """The live invite with this token, else None."""
    now = now or timezone.now()
    invite = StaffInvite.objects.filter(token_hash=hash_token(raw or "")).select_related("user").first()
    if invite is None or invite.used_at is not None or invite.expires_at <= now or not invite.user.is_active:
        return None
    return invite


def invite_redeem(*, raw: str, password: str, now=None) -> User:
    """Set the password through a one-time link: it must pass the password validators, and the link is then spent."""
    now = now or timezone.now()
    invite = invite_for(raw, now)
    if invite is None:
        raise DomainError("该链接已失效(已使用、已过期或账号已停用),请联系社区重新发放。")
    user = invite.user
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="password") from exc
    with transaction.atomic():
        if StaffInvite.objects.filter(pk=invite.pk, used_at__isnull=True).update(used_at=now) != 1:
            raise DomainError("该链接已使用,请直接登录。")
        user.set_password(password)
        user.save(update_fields=["password", "updated_at"])
        audit_record(
            actor=user, action="staff.set_password", target=user, summary=f"{user.name} 设置了登录密码", now=now
        )
    return user


def community_create(*, actor, name: str) -> Community:
    """The street administrator adds a community to its street."""
    if not (actor.role == Role.STREET_LEADER and actor.street_id) or not staff_can_assign(actor, Role.SECRETARY):
        raise PermissionDenied("只有街道管理员可以新建社区")
    name = _clean_name(name, "社区名称")
    try:
        with transaction.atomic():
            community = Community.objects.create(street_id=actor.street_id, name=name)
            hall_ensure_catalogue(community)  # the standard windows, so window staff can be given theirs
            audit_record(actor=actor, action="community.create", target=community, summary=f"新建社区:{name}")
    except IntegrityError as exc:
        raise DomainError(f"本街道已有“{name}”", field="name") from exc
    actor.__dict__.pop("_scope_cache", None)
    return community


def street_setup(
    *, street_name: str, district: str, city: str, communities: list[str], phone: str, name: str, password: str | None
) -> tuple[User, str | None]:
    """First run on an empty database: the street, its communities (with the hall's standard windows) and the
    first street administrator. With no password, returns a one-time link token for them to set one."""
    from jumin.places.models import Street

    if Street.objects.exists() or Community.objects.exists():
        raise DomainError(
            "数据库中已有街道或社区:setup 只用于空数据库。请用街道管理员账号登录,在“社区管理”中添加社区。"
        )
    street_name = _clean_name(street_name, "街道名称")
    names = [_clean_name(n, "社区名称") for n in communities]
    if not names:
        raise DomainError("请至少填写一个社区", field="communities")
    if len(set(names)) != len(names):
        raise DomainError("社区名称重复", field="communities")
    phone, name = _clean_phone(phone), _clean_name(name)
    admin = User(phone=phone, name=name, role=Role.STREET_LEADER)
    if password is not None:
        try:
            password_validation.validate_password(password, admin)
        except ValidationError as exc:
            raise DomainError(" ".join(exc.messages), field="password") from exc
    now = timezone.now()
    with transaction.atomic():
        street = Street.objects.create(
            name=street_name, district=(district or "").strip()[:50], city=(city or "").strip()[:50]
        )
        created = [Community.objects.create(street=street, name=n) for n in names]
        for community in created:
            hall_ensure_catalogue(community)
        admin = User.objects.create_user(phone, password, name=name, role=Role.STREET_LEADER, street=street)
        raw = None if password is not None else _invite(None, admin, now)
        audit_record(
            actor=None,
            action="street.setup",
            target=street,
            summary=f"首次设置:{street_name},{len(created)} 个社区,街道管理员 {name}",
            community=created[0],
        )
    return admin, raw

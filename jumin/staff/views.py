"""工作人员账号 pages: the list with the role table, create, change, disable / enable, reset password; the street
administrator's communities; and the one-time page where a person sets their password."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from jumin.core import errors
from jumin.core.access import require, scope_for, selected_community_id
from jumin.core.forms import add_domain_error
from jumin.core.models import Role
from jumin.core.pagination import paginate
from jumin.core.views import office_required
from jumin.hall.models import Window
from jumin.people.idcard import mask_phone
from jumin.places.models import Community, Grid

from . import selectors, services
from .forms import CommunityForm, SetPasswordForm, StaffForm
from .rules import assignable_roles, staff_can_manage


def _communities(user):
    return list(Community.objects.filter(pk__in=scope_for(user).community_ids).order_by("name"))


def _form(request, *, data=None, initial=None, editing=None):
    user = request.user
    communities = _communities(user)
    ids = [editing.community_id] if editing is not None else [c.pk for c in communities]
    grids = Grid.objects.filter(community_id__in=ids).select_related("community").order_by("community_id", "number")
    windows = Window.objects.filter(community_id__in=ids).select_related("community").order_by("community_id", "number")
    roles = set(assignable_roles(user))
    if editing is not None:
        roles.add(editing.role)
    return StaffForm(
        data,
        initial=initial,
        roles=roles,
        communities=communities,
        grids=grids,
        windows=windows,
        editing=editing is not None,
    )


def _link(request, raw: str) -> str:
    return request.build_absolute_uri(reverse("staff:setup", args=[raw]))


@office_required
@require("staff.view")
def staff_list(request):
    user = request.user
    community_id = selected_community_id(request)
    page = paginate(request, selectors.staff_for(user, community_id=community_id))
    rows = [{"user": u, "phone": mask_phone(u.phone), "may_manage": staff_can_manage(user, u)} for u in page]
    context = {
        "page": page,
        "rows": rows,
        "roles": selectors.role_table(),
        "may_create": bool(assignable_roles(user)),
        "is_street": user.role == Role.STREET_LEADER,
        "link": request.session.pop("staff_setup_link", None),
    }
    return render(request, "staff/list.html", context)


@office_required
@require("staff.manage")
def staff_create(request):
    form = _form(request, data=request.POST or None, initial={"community": selected_community_id(request)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        community_id = data.get("community") or request.user.community_id
        try:
            user, raw = services.staff_create(
                actor=request.user,
                community=Community.objects.filter(pk=community_id).first(),
                phone=data["phone"],
                name=data["name"],
                role=data["role"],
                grid_ids=data["grids"],
                window_ids=data["windows"],
            )
        except errors.DomainError as exc:
            add_domain_error(form, exc)
        else:
            request.session["staff_setup_link"] = {"name": user.name, "url": _link(request, raw)}
            messages.success(request, f"已开设 {user.name} 的账号。请把下面的一次性链接交给本人设置密码。")
            return redirect("staff:list")
    return render(request, "staff/form.html", {"form": form, "title": "开设工作人员账号"})


def _target(request, uuid):
    try:
        return services.staff_get(request.user, uuid)
    except errors.NotFound as exc:
        raise Http404 from exc


@office_required
@require("staff.manage")
def staff_edit(request, uuid):
    target = _target(request, uuid)
    if not staff_can_manage(request.user, target):
        raise errors.PermissionDenied("您不能修改该账号")
    initial = {
        "name": target.name,
        "role": target.role,
        "grids": list(target.grids.values_list("pk", flat=True)),
        "windows": list(target.hall_windows.values_list("pk", flat=True)),
    }
    form = _form(request, data=request.POST or None, initial=initial, editing=target)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.staff_update(
                actor=request.user,
                user=target,
                role=data["role"],
                name=data["name"],
                grid_ids=data["grids"],
                window_ids=data["windows"],
            )
        except errors.DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已保存 {target.name} 的账号。")
            return redirect("staff:list")
    return render(request, "staff/form.html", {"form": form, "title": f"修改账号:{target.name}", "target": target})


@office_required
@require("staff.manage")
@require_POST
def staff_toggle(request, uuid):
    target = _target(request, uuid)
    active = not target.is_active
    services.staff_update(actor=request.user, user=target, active=active)
    messages.success(request, f"已{'启用' if active else '停用'} {target.name} 的账号。")
    return redirect("staff:list")


@office_required
@require("staff.manage")
@require_POST
def staff_reset(request, uuid):
    target = _target(request, uuid)
    raw = services.staff_reset_password(actor=request.user, user=target)
    request.session["staff_setup_link"] = {"name": target.name, "url": _link(request, raw)}
    messages.success(request, f"已重置 {target.name} 的密码:旧密码已失效。请把下面的一次性链接交给本人设置新密码。")
    return redirect("staff:list")


@office_required
@require("community.manage")
def community_list(request):
    form = CommunityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            community = services.community_create(actor=request.user, name=form.cleaned_data["name"])
        except errors.DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已新建“{community.name}”。下一步:为它开设社区书记账号。")
            return redirect("staff:create")
    rows = selectors.communities_with_counts(request.user)
    return render(request, "staff/communities.html", {"form": form, "rows": rows})


def setup_password(request, token):
    """The one-time link: no login needed; the link is the proof. Spent once used."""
    invite = services.invite_for(token)
    form = SetPasswordForm(request.POST or None)
    if invite is not None and request.method == "POST" and form.is_valid():
        try:
            services.invite_redeem(raw=token, password=form.cleaned_data["password1"])
        except errors.DomainError as exc:
            add_domain_error(form, exc, {"password": "password1"})
        else:
            messages.success(request, "密码已设置,请用手机号和新密码登录。")
            return redirect("core:login")
    return render(request, "staff/setup_password.html", {"form": form, "invite": invite}, status=200 if invite else 410)


@office_required
@require("staff.view")
def staff_export(request):
    from jumin.core.exports import workbook, xlsx_response

    users = selectors.staff_for(request.user, community_id=selected_community_id(request))
    rows = (
        (
            u.community.name if u.community_id else "",
            u.name,
            mask_phone(u.phone),
            u.get_role_display(),
            "、".join(g.name for g in u.grids.all()),
            "、".join(w.name for w in u.hall_windows.all()),
            "启用" if u.is_active else "停用",
        )
        for u in users
    )
    header = ["社区", "姓名", "手机号", "角色", "负责网格", "窗口", "状态"]
    return xlsx_response(workbook("工作人员台账", header, rows), "工作人员台账")

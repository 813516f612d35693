from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse

from jumin.core.access import request_scope, require, user_can
from jumin.core.errors import DomainError
from jumin.core.exports import workbook, xlsx_response
from jumin.core.forms import add_domain_error
from jumin.core.pagination import paginate
from jumin.core.params import id_param
from jumin.core.views import office_required

from .. import rules, selectors, services
from ..forms import ServiceItemForm, WindowForm
from ..models import ServiceItem, Window

OPEN_AT_MOST = 3


def _filters(request) -> dict:
    return {
        "window": id_param(request.GET.get("window")),
        "proxy": selectors.PROXY_FILTERS.get(request.GET.get("proxy", "")),
        "q": request.GET.get("q", "").strip() or None,
    }


@office_required
@require("cases.work")
def item_list(request):
    scope = request_scope(request)
    filters = _filters(request)
    page = paginate(request, selectors.items_for(scope, **filters))
    context = {
        "page": page,
        "filters": filters,
        "proxy_value": request.GET.get("proxy", ""),
        "windows": selectors.windows_for(scope),
        "many_communities": len(scope.community_ids) > 1,
        "can_manage": user_can(request.user, "hall.manage") and _home_hall(request) is not None,
        "admin_url": _admin_url(request.user),
    }
    template = "hall/partials/item_rows.html" if request.htmx else "hall/item_list.html"
    return render(request, template, context)


@office_required
@require("cases.work")
def item_export(request):
    items = selectors.items_for(request_scope(request), **_filters(request))
    rows = (
        (
            item.community.name,
            f"{item.window.number}号 {item.window.name}",
            item.name,
            "是" if item.proxy_allowed else "否",
            item.time_limit_working_days,
            "、".join(item.required_documents),
            item.in_person_required,
            item.eligibility_label or "不限",
            float(item.fee),
            "是" if item.bookable else "否",
            item.daily_cap,
            "启用" if item.active else "停用",
        )
        for item in items.iterator(chunk_size=500)
    )
    header = [
        "社区",
        "窗口",
        "事项",
        "可代办",
        "办理时限(工作日)",
        "材料清单",
        "本人到场说明",
        "年龄条件",
        "收费(元)",
        "可预约",
        "每日取号上限",
        "状态",
    ]
    return xlsx_response(workbook("服务事项", header, rows), "服务事项台账")


@login_required
def guide(request):
    """办事指南: what each window does, what to bring, and which items the community can run for you."""
    if request.user.is_office:
        return redirect("hall:item-list")
    community_id = selectors.resident_community_id(request.user)
    proxy_only = request.GET.get("proxy") == "1"
    q = request.GET.get("q", "").strip()[:30]
    windows = selectors.guide_windows(community_id, proxy_only=proxy_only, q=q) if community_id else []
    count = sum(len(w.guide_items) for w in windows)
    context = {
        "windows": windows,
        "count": count,
        "proxy_only": proxy_only,
        "q": q,
        # A short list (a narrow search) shows the items opened; a long one folds them to a line each for phones.
        "open_items": count <= OPEN_AT_MOST,
        "bound": community_id is not None,
    }
    return render(request, "hall/guide.html", context)


def _admin_url(user) -> str:
    if not (user.is_staff and user_can(user, "hall.manage")):
        return ""
    try:
        return reverse("admin:hall_serviceitem_changelist")
    except NoReverseMatch:
        return ""


def _home_hall(request):
    """The community whose catalogue the user edits (window staff and the secretary: their own)."""
    community = request.user.community
    if community is None or not rules.may_manage_hall(request.user, community.pk):
        return None
    return community


def _item_of(request, item_id):
    community = _home_hall(request)
    if community is None:
        raise Http404
    item = ServiceItem.objects.filter(community=community, pk=item_id).first()
    if item is None:
        raise Http404
    return community, item


@office_required
@require("hall.manage")
def item_new(request):
    community = _home_hall(request)
    if community is None:
        raise Http404
    return _item_form(request, community, None)


@office_required
@require("hall.manage")
def item_edit(request, item_id):
    community, item = _item_of(request, item_id)
    return _item_form(request, community, item)


def _item_form(request, community, item):
    form = ServiceItemForm(request.POST or None, instance=item, community=community)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.service_item_save(
                actor=request.user,
                community=community,
                item=item,
                data=form.item_data(),
                other_windows=list(form.cleaned_data["other_windows"]),
                eligible_tags=list(form.cleaned_data["eligible_tags"]),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已保存服务事项“{saved.name}”")
            return redirect("hall:item-list")
    return render(request, "hall/item_form.html", {"form": form, "item": item})


@office_required
@require("hall.manage")
def window_list(request):
    scope = request_scope(request)
    windows = selectors.windows_for(scope).prefetch_related("staff").order_by("community_id", "number")
    return render(request, "hall/window_list.html", {"windows": windows, "can_edit": _home_hall(request) is not None})


@office_required
@require("hall.manage")
def window_edit(request, window_id):
    community = _home_hall(request)
    window = Window.objects.filter(community=community, pk=window_id).first() if community else None
    if window is None:
        raise Http404
    initial = {"name": window.name, "prefix": window.prefix, "staff": list(window.staff.all())}
    form = WindowForm(request.POST or None, initial=initial, community=community)
    if request.method == "POST" and form.is_valid():
        try:
            services.window_save(
                actor=request.user,
                window=window,
                name=form.cleaned_data["name"],
                prefix=form.cleaned_data["prefix"],
                staff=list(form.cleaned_data["staff"]),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已保存{window.number}号窗口")
            return redirect("hall:window-list")
    return render(request, "hall/window_form.html", {"form": form, "window": window})

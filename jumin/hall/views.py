from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse

from jumin.core.access import request_scope, require, user_can
from jumin.core.exports import workbook, xlsx_response
from jumin.core.pagination import paginate
from jumin.core.params import id_param
from jumin.core.views import office_required

from . import selectors

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
        "can_manage": user_can(request.user, "hall.manage"),
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
            "启用" if item.active else "停用",
        )
        for item in items.iterator(chunk_size=500)
    )
    header = ["社区", "窗口", "事项", "可代办", "办理时限(工作日)", "材料清单", "本人到场说明", "状态"]
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

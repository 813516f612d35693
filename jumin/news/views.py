from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render

from jumin.core.access import request_scope, require
from jumin.core.errors import DomainError
from jumin.core.exports import workbook, xlsx_response
from jumin.core.forms import add_domain_error
from jumin.core.pagination import paginate
from jumin.core.views import office_required
from jumin.people.idcard import mask_phone
from jumin.places.models import Community, Compound, Grid

from . import selectors, services
from .forms import BroadcastForm, NoticeForm

# ---- residents ------------------------------------------------------------------------------------------------


@login_required
def my_notices(request):
    if request.user.is_office:
        return redirect("news:notice-list")
    page = paginate(request, selectors.notices_for(request.user))
    return render(request, "news/my_notices.html", {"page": page})


@login_required
def my_notice(request, notice_uuid):
    if request.user.is_office:
        return redirect("news:notice-detail", notice_uuid)
    notice = selectors.notice_get(request.user, notice_uuid)
    services.notice_read(actor=request.user, notice=notice)
    return render(request, "news/my_notice.html", {"notice": notice})


@login_required
def broadcasts(request):
    base = "office_base.html" if request.user.is_office else "site_base.html"
    page = paginate(request, selectors.broadcasts_for(request.user, request_scope(request)))
    can_publish = request.user.is_office and services.can_publish(request.user, request.user.community_id)
    return render(request, "news/broadcasts.html", {"page": page, "base": base, "can_publish": can_publish})


@login_required
def broadcast(request, broadcast_uuid):
    base = "office_base.html" if request.user.is_office else "site_base.html"
    episode = selectors.broadcast_get(request.user, broadcast_uuid)
    return render(request, "news/broadcast.html", {"episode": episode, "base": base})


def board(request, community_uuid):
    """The hall's public screen: notices to everyone, very large type, no login."""
    community = get_object_or_404(Community, uuid=community_uuid)
    return render(request, "news/board.html", {"community": community, "notices": selectors.public_notices(community)})


# ---- office ---------------------------------------------------------------------------------------------------


@office_required
@require("news.view")
def notice_list(request):
    scope = request_scope(request)
    q = request.GET.get("q", "")[:50]
    page = paginate(request, selectors.notices_for(request.user, scope, q=q))
    context = {
        "page": page,
        "q": q,
        "can_publish": services.can_publish(request.user, request.user.community_id),
        "board_url": request.user.community and request.user.community.uuid,
    }
    template = "news/partials/notice_rows.html" if request.htmx else "news/notice_list.html"
    return render(request, template, context)


@office_required
@require("news.view")
def notice_export(request):
    rows = selectors.notices_for(request.user, request_scope(request), q=request.GET.get("q", "")[:50])
    data = (
        (
            n.title,
            n.get_category_display(),
            "是" if n.urgent else "否",
            "全体" if n.audience_all else "指定对象",
            f"{n.published_at:%Y-%m-%d %H:%M}",
            n.published_by.name,
            n.read_count,
        )
        for n in rows
    )
    header = ["标题", "类别", "紧急", "对象", "发布时间", "发布人", "已读人数"]
    return xlsx_response(workbook("通知台账", header, data), "通知台账")


def _notice_form(request, community):
    return NoticeForm(
        request.POST or None,
        compounds=Compound.objects.filter(community=community).order_by("name"),
        grids=Grid.objects.filter(community=community).order_by("number"),
        tags=services.tag_choices(),
    )


@office_required
@require("news.publish")
def notice_new(request):
    community = request.user.community
    if community is None:
        raise PermissionDenied("请在社区工作人员账号下发布通知")
    form = _notice_form(request, community)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notice = services.notice_publish(
                actor=request.user,
                community=community,
                title=data["title"],
                body=data["body"],
                category=data["category"],
                urgent=data["urgent"],
                pinned=data["pinned"],
                compounds=[int(c) for c in data["compounds"]],
                grids=[int(g) for g in data["grids"]],
                tags=data["tags"],
            )
        except DomainError as exc:
            add_domain_error(
                form, exc, {"audience.compounds": "compounds", "audience.grids": "grids", "audience.tags": "tags"}
            )
        else:
            messages.success(request, f"已发布通知“{notice.title}”,已送到对象居民的消息里")
            return redirect("news:notice-detail", notice.uuid)
    return render(request, "news/notice_new.html", {"form": form})


@office_required
def notice_detail(request, notice_uuid):
    """The notice with its audience and read receipts; who has not read it yet, with phone numbers to call."""
    notice = selectors.notice_get(request.user, notice_uuid)
    unread = paginate(request, selectors.unread_residents(notice))
    # Staff who publish notices phone the residents who have not read an urgent one; others see masked numbers.
    full = services.can_publish(request.user, notice.community_id)
    context = {
        "notice": notice,
        "unread": unread,
        "unread_rows": [(r, r.phone if full else mask_phone(r.phone)) for r in unread.object_list],
        "compounds": list(notice.compounds.all()),
        "grids": list(notice.grids.all()),
        "tags": dict(services.tag_choices()),
        "codes": list(notice.tag_codes.values_list("code", flat=True)),
    }
    context["tag_labels"] = [context["tags"].get(c, c) for c in context["codes"]]
    return render(request, "news/notice_detail.html", context)


@office_required
def notice_unread_export(request, notice_uuid):
    notice = selectors.notice_get(request.user, notice_uuid)
    full = services.can_publish(request.user, notice.community_id)
    data = (
        (r.name, r.grid.name, r.household.dwelling.address, r.phone if full else mask_phone(r.phone))
        for r in selectors.unread_residents(notice)
    )
    return xlsx_response(workbook("未读名单", ["姓名", "网格", "住址", "手机"], data), f"未读名单_{notice.title[:20]}")


@office_required
@require("news.publish")
def broadcast_new(request):
    community = request.user.community
    if community is None:
        raise PermissionDenied("请在社区工作人员账号下发布")
    form = BroadcastForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            episode = services.broadcast_publish(actor=request.user, community=community, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已发布北镇微视“{episode.title}”")
            return redirect("news:broadcast", episode.uuid)
    return render(request, "news/broadcast_new.html", {"form": form})

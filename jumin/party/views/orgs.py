"""The organisation pages: the tree with rolled-up counts, one organisation with its committee and roster (台账),
a member's record with transfers and care visits, the transfers waiting for approval, and a member's own page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone

from jumin.core.access import request_scope, require
from jumin.core.errors import DomainError
from jumin.core.exports import xlsx_response
from jumin.core.forms import add_domain_error
from jumin.core.pagination import paginate
from jumin.core.views import office_required
from jumin.partners.selectors import street_units
from jumin.people.idcard import mask_phone

from .. import selectors, services
from ..exports import roster_workbook, tree_workbook
from ..forms import (
    CareForm,
    CommitteeForm,
    DecideForm,
    EnrolForm,
    RosterFilterForm,
    SeatForm,
    TransferForm,
    TransferInForm,
)
from ..models import OrgLevel, PartyOrg, PartyOrgRole, TransferStatus

LEVEL_FILTER = [("", "全部层级"), *[(str(d), label) for d, (_, label) in enumerate(OrgLevel.choices, start=1)]]


def _run(request, form, call, success: str):
    """Call a service for a bound, valid form: a message and True on success, the error on the form otherwise."""
    try:
        call()
    except DomainError as exc:
        add_domain_error(form, exc)
        return False
    messages.success(request, success)
    return True


@office_required
@require("party.view")
def org_tree(request):
    scope = request_scope(request)
    depth = request.GET.get("depth", "")
    roots = selectors.org_tree(request.user, scope)
    rows = [n for n in selectors.flatten(roots) if not depth.isdigit() or n.org.depth <= int(depth)]
    committees = [n.org for n in rows if n.org.level == OrgLevel.COMMUNITY_COMMITTEE]
    unplaced = selectors.members_unplaced(scope).count() if committees else 0
    context = {
        "rows": rows,
        "depth": depth,
        "levels": LEVEL_FILTER,
        "unplaced": unplaced,
        "can_place": unplaced and any(services.can_manage_org(request.user, o) for o in committees),
        "pending_transfers": selectors.transfers_pending(request.user, scope).count(),
    }
    return render(request, "party/org_tree.html", context)


@office_required
@require("party.view")
def org_tree_export(request):
    rows = selectors.flatten(selectors.org_tree(request.user, request_scope(request)))
    return xlsx_response(tree_workbook(rows), "党组织统计台账")


@office_required
@require("party.manage")
def members_place(request):
    """编入组织: everyone the register tags 党员 in the community goes to the organisation of where they live."""
    if request.method != "POST":
        return redirect("party:org-tree")
    scope = request_scope(request)
    placed = 0
    for community_id in scope.community_ids:
        committee = selectors.community_committee(community_id)
        if committee is not None and services.can_manage_org(request.user, committee):
            placed += services.members_place_tagged(actor=request.user, community=committee.community)
    messages.success(request, f"已将 {placed} 名党员编入所在楼栋、网格的党组织,请到各组织名册中补录入党日期")
    return redirect("party:org-tree")


def _roster(request, org):
    filter_form = RosterFilterForm(request.GET)
    filters = filter_form.filters()
    members = selectors.members_for(request.user, request_scope(request), org=org, **filters)
    return filter_form, filters, members


@office_required
@require("party.view")
def org_detail(request, org_uuid):
    org = selectors.org_get(request.user, org_uuid, request_scope(request))
    filter_form, filters, members = _roster(request, org)
    page = paginate(request, members)
    if request.htmx:
        return render(
            request, "party/partials/roster_rows.html", {"page": page, "org": org, "filtered": any(filters.values())}
        )
    can_manage = services.can_manage_org(request.user, org)
    source = request.POST if request.method == "POST" else request.GET
    action = request.POST.get("action", "")
    q = source.get("find", "").strip()
    candidates = (
        selectors.resident_candidates(request_scope(request), q=q, chosen=source.get("resident")) if can_manage else []
    )
    enrol_form = EnrolForm(request.POST if action == "enrol" else None, candidates=candidates, prefix="enrol")
    transfer_in_form = TransferInForm(
        request.POST if action == "transfer_in" else None, candidates=candidates, prefix="in"
    )
    units = list(street_units(org.street_id, org.community_id)) if can_manage else []
    seat_form = SeatForm(request.POST if action == "seat" else None, units=units, prefix="seat")
    own_members = list(members.select_related(None).select_related("resident", "org")[:300]) if can_manage else []
    committee_form = CommitteeForm(
        request.POST if action == "committee" else None, members=own_members, prefix="committee"
    )
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("您没有权限管理该党组织")
        if action == "enrol" and enrol_form.is_valid():
            data = enrol_form.cleaned_data
            if _run(
                request,
                enrol_form,
                lambda: services.member_enrol(actor=request.user, org=org, **data),
                f"已将{data['resident'].name}编入{org.name}",
            ):
                return redirect("party:org-detail", org.uuid)
        elif action == "transfer_in" and transfer_in_form.is_valid():
            data = transfer_in_form.cleaned_data
            if _run(
                request,
                transfer_in_form,
                lambda: services.transfer_in_request(actor=request.user, org=org, **data),
                f"已登记{data['resident'].name}的转入申请,审批后编入{org.name}",
            ):
                return redirect("party:transfer-list")
        elif action == "committee" and committee_form.is_valid():
            data = committee_form.cleaned_data
            if _run(
                request,
                committee_form,
                lambda: services.committee_seat_add(actor=request.user, org=org, **data),
                f"已任命{data['member'].resident.name}为{org.name}{PartyOrgRole(data['role']).label}",
            ):
                return redirect("party:org-detail", org.uuid)
        elif action == "seat_remove":
            seat = next((s for s in selectors.org_committee(org) if str(s.pk) == request.POST.get("seat")), None)
            if seat is None:
                messages.error(request, "该委员已被免去,请刷新后查看")
            else:
                services.committee_seat_remove(actor=request.user, seat=seat)
                messages.success(request, f"已免去{seat.name}的{seat.get_role_display()}职务")
            return redirect("party:org-detail", org.uuid)
        elif action == "seat" and seat_form.is_valid():
            data = seat_form.cleaned_data
            if _run(
                request,
                seat_form,
                lambda: services.committee_seat_add(actor=request.user, org=org, role=PartyOrgRole.PART_TIME, **data),
                f"已添加兼职委员{data['name']}({data['partner_unit'].name})",
            ):
                return redirect("party:org-detail", org.uuid)
    node = next(
        (n for n in selectors.flatten(selectors.org_tree(request.user, request_scope(request))) if n.org.pk == org.pk),
        None,
    )
    context = {
        "org": org,
        "node": node,
        "committee": selectors.org_committee(org),
        "page": page,
        "filter_form": filter_form,
        "filtered": any(filters.values()),
        "can_manage": can_manage,
        "enrol_form": enrol_form,
        "transfer_in_form": transfer_in_form,
        "seat_form": seat_form,
        "committee_form": committee_form,
        "find": q,
        "candidates": candidates,
        "ancestors": _ancestors(org),
    }
    return render(request, "party/org_detail.html", context)


def _ancestors(org):
    chain, parent = [], org.parent
    while parent is not None:
        chain.insert(0, parent)
        parent = PartyOrg.objects.filter(pk=parent.parent_id).first() if parent.parent_id else None
    return chain


@office_required
@require("party.view")
def org_roster_export(request, org_uuid):
    org = selectors.org_get(request.user, org_uuid, request_scope(request))
    _, _, members = _roster(request, org)
    return xlsx_response(roster_workbook(org, members), f"{org.name}党员名册")


@office_required
@require("party.view")
def member_detail(request, member_uuid):
    member = selectors.member_get(request.user, member_uuid)
    can_manage = services.can_manage_org(request.user, member.org)
    action = request.POST.get("action", "")
    orgs = (
        [
            n.org
            for n in selectors.flatten(selectors.org_tree(request.user))
            if n.org.depth > 1 and n.org.pk != member.org_id
        ]
        if can_manage
        else []
    )
    transfer_form = TransferForm(request.POST if action == "transfer" else None, orgs=orgs, prefix="transfer")
    care_form = CareForm(
        request.POST if action == "care" else None, prefix="care", initial={"visited_on": timezone.localdate()}
    )
    if request.method == "POST":
        if action == "transfer" and transfer_form.is_valid():
            data = transfer_form.cleaned_data
            if _run(
                request,
                transfer_form,
                lambda: services.transfer_request(actor=request.user, member=member, **data),
                "已提交转接申请,等待社区书记审批",
            ):
                return redirect("party:member-detail", member.uuid)
        elif action == "care" and care_form.is_valid():
            if _run(
                request,
                care_form,
                lambda: services.care_visit_record(actor=request.user, member=member, **care_form.cleaned_data),
                "已登记走访",
            ):
                return redirect("party:member-detail", member.uuid)
        elif action == "confirm":
            try:
                services.member_confirm(actor=request.user, member=member)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, "已转为正式党员")
            return redirect("party:member-detail", member.uuid)
    today = timezone.localdate()
    context = {
        "member": member,
        "resident": member.resident,
        "phone": member.resident.phone if can_manage else mask_phone(member.resident.phone),
        "age": member.resident.age(today),
        **selectors.member_history(member),
        "claims": list(selectors.member_claims(member)[:50]),
        "can_transfer": services.can_request_transfer(request.user, member),
        "can_confirm": can_manage and member.standing == "probationary" and member.probation_ends <= today,
        "can_care": can_manage or request.user.role in ("party_rep", "grid_worker"),
        "transfer_form": transfer_form,
        "care_form": care_form,
    }
    return render(request, "party/member_detail.html", context)


@office_required
@require("party.view")
def transfer_list(request):
    scope = request_scope(request)
    if request.method == "POST":
        transfer = (
            selectors.transfers_pending(request.user, scope).filter(uuid=request.POST.get("transfer") or None).first()
        )
        form = DecideForm(request.POST)
        if transfer is None:
            messages.error(request, "该申请已审批或不存在,请刷新后查看")
        elif form.is_valid():
            try:
                services.transfer_decide(
                    actor=request.user,
                    transfer=transfer,
                    approve=form.cleaned_data["decision"] == "approve",
                    note=form.cleaned_data["note"],
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                label = "批准" if form.cleaned_data["decision"] == "approve" else "驳回"
                messages.success(
                    request, f"已{label}{transfer.member.resident.name}的{transfer.get_kind_display()}申请"
                )
        return redirect("party:transfer-list")
    transfers = list(selectors.transfers_pending(request.user, scope))
    rows = [(t, services.can_decide_transfer(request.user, t)) for t in transfers]
    return render(request, "party/transfer_list.html", {"rows": rows})


@login_required
def my_party(request):
    """我的党员档案 and the reception days: a member sees their own record; everyone sees the schedule."""
    member = selectors.my_membership(request.user)
    history = selectors.member_history(member) if member else {"transfers": [], "care": []}
    claims = list(selectors.member_claims(member)[:20]) if member else []
    upcoming = list(selectors.days_for(request.user, upcoming=True)[:5]) if request.user.resident_id else []
    return render(
        request,
        "party/my_party.html",
        {
            "member": member,
            "transfers": history["transfers"],
            "pending": any(t.status == TransferStatus.PENDING for t in history["transfers"]),
            "upcoming": upcoming,
            "signups": list(selectors.my_signups(request.user)[:10]),
            "open_tasks": list(selectors.tasks_open_to(member)[:10]) if member else [],
            "claims": claims,
        },
    )

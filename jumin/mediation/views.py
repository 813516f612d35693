from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jumin.cases.kinds import kind_spec
from jumin.cases.selectors import can_work
from jumin.core.access import request_scope, require
from jumin.core.audit import audit_record
from jumin.core.errors import DomainError
from jumin.core.exports import xlsx_response
from jumin.core.pagination import paginate
from jumin.core.views import office_required
from jumin.people.selectors import can_see_identity

from . import selectors, services
from .exports import counts_workbook
from .forms import (
    CATEGORY_CHOICES,
    AgreementForm,
    AssignMediatorForm,
    CloseForm,
    EscalateForm,
    FailForm,
    FollowUpForm,
    ResidentDisputeForm,
    ScanForm,
    SessionForm,
    StaffDisputeForm,
    first_error,
)
from .kind import KIND
from .models import Agreement

# Service field names that the forms call differently.
FORM_FIELDS = {"body": "text", "other_parties": "party_name_1"}


def _form_error(form, exc: DomainError) -> None:
    field = FORM_FIELDS.get(exc.field, exc.field)
    form.add_error(field if field in form.fields else None, exc.message)


# ---- raising a dispute -------------------------------------------------------------------------------------------


@login_required
def dispute_new(request):
    """申请调解 (resident)."""
    if request.user.is_office:
        return redirect("mediation:dispute-register")
    form = ResidentDisputeForm(request.POST or None)
    if request.method == "POST" and request.user.resident_id and form.is_valid():
        try:
            dispute = services.dispute_register(
                actor=request.user,
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                category=form.cleaned_data["category"],
                other_parties=form.other_parties(),
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(
                request, f"已提交调解申请 {dispute.case.number}。调解员会尽快与您联系,内容只有调解员和社区书记能看到。"
            )
            return redirect("cases:my-case", case_uuid=dispute.case.uuid)
    return render(request, "mediation/dispute_new.html", {"form": form, "bound": request.user.resident_id is not None})


def _selected(request, scope) -> list:
    source = request.POST if request.method == "POST" else request.GET
    return selectors.residents_by_uuid(scope, [u for u in source.getlist("p") if u][:10])


@office_required
@require("mediation.manage")
def dispute_register(request):
    """登记纠纷 (mediator, secretary): pick the parties from the register, then say who asked for mediation."""
    scope = request_scope(request)
    parties = _selected(request, scope)
    form = StaffDisputeForm(request.POST or None, parties=parties)
    if request.method == "POST" and form.is_valid():
        by_uuid = {str(r.uuid): r for r in parties}
        requester = by_uuid[form.cleaned_data["requester"]]
        try:
            dispute = services.dispute_register(
                actor=request.user,
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                category=form.cleaned_data["category"],
                resident=requester,
                other_parties=[r for r in parties if r.pk != requester.pk],
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            taken = "并由您受理" if dispute.case.assignee_id == request.user.pk else ",请指派调解员"
            messages.success(request, f"已登记纠纷 {dispute.case.number}{taken}")
            return redirect("cases:case-detail", case_uuid=dispute.case.uuid)
    q = (request.GET.get("q") or "").strip()
    selected_ids = {r.uuid for r in parties}
    id_tail = can_see_identity(request.user)
    results = [r for r in selectors.resident_search(scope, q, id_tail=id_tail) if r["uuid"] not in selected_ids]
    context = {"form": form, "parties": parties, "q": q, "results": results}
    return render(request, "mediation/dispute_register.html", context)


# ---- the list and the counts -------------------------------------------------------------------------------------


def _list_filters(request) -> dict:
    spec_statuses = {s.code for s in _statuses()}
    status = request.GET.get("status") or None
    category = request.GET.get("category") or None
    return {
        "status": status if status in spec_statuses else None,
        "category": category if category in dict(CATEGORY_CHOICES) else None,
        "q": (request.GET.get("q") or "").strip()[:50] or None,
    }


def _statuses():
    return kind_spec(KIND).statuses


@office_required
@require("cases.work")
def dispute_list(request):
    filters = _list_filters(request)
    disputes = selectors.disputes_for(request.user, request_scope(request), **filters)
    page = paginate(request, disputes)
    context = {
        "page": page,
        "filters": filters,
        "statuses": _statuses(),
        "categories": CATEGORY_CHOICES[1:],
    }
    template = "mediation/partials/dispute_rows.html" if request.htmx else "mediation/dispute_list.html"
    return render(request, template, context)


@office_required
@require("cases.work")
def dispute_counts_export(request):
    counts = selectors.dispute_counts(request.user, request_scope(request))
    return xlsx_response(counts_workbook(counts, _statuses()), "矛盾调解统计台账")


# ---- actions from the dispute panel ------------------------------------------------------------------------------


def dispute_action(view):
    """POST from the dispute panel: 404 unless the viewer may see the dispute, 403 when they see it but may not act;
    a refused action comes back as a message on the case page."""

    @wraps(view)
    @office_required
    @require_POST
    def wrapped(request, case_uuid, **kwargs):
        dispute = selectors.dispute_get(request.user, case_uuid)
        try:
            done = view(request, dispute, **kwargs)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, done)
            if not selectors.visible_dispute_cases(request.user).filter(pk=dispute.case.pk).exists():
                # Handed to the street or to another mediator: this person no longer sees it.
                return redirect("mediation:dispute-list")
        return redirect("cases:case-detail", case_uuid=dispute.case.uuid)

    return wrapped


def _valid(form):
    if not form.is_valid():
        raise DomainError(first_error(form))
    return form.cleaned_data


@dispute_action
def assign_mediator(request, dispute):
    data = _valid(AssignMediatorForm(request.POST, community_id=dispute.case.community_id))
    services.dispute_assign_mediator(actor=request.user, dispute=dispute, mediator=data["mediator"])
    return f"已指派调解员 {data['mediator'].name}"


@dispute_action
def session_add(request, dispute):
    data = _valid(SessionForm(request.POST, case=dispute.case))
    services.session_add(actor=request.user, dispute=dispute, **data)
    return "已记录本次调解"


@dispute_action
def agreement_record(request, dispute):
    data = _valid(AgreementForm(request.POST, request.FILES))
    services.agreement_record(actor=request.user, dispute=dispute, **data)
    return "已登记调解协议,纠纷状态为“已达成协议”。请在回访确认履行后结案。"


@dispute_action
def agreement_scan(request, dispute):
    data = _valid(ScanForm(request.POST, request.FILES))
    services.agreement_attach_scan(
        actor=request.user, dispute=dispute, upload=data["signed_scan"], signed_at=data["signed_at"]
    )
    return "已上传双方签字的调解协议"


@dispute_action
def follow_up(request, dispute):
    data = _valid(FollowUpForm(request.POST))
    services.dispute_follow_up(actor=request.user, dispute=dispute, **data)
    return "已记录回访"


@dispute_action
def dispute_fail(request, dispute):
    data = _valid(FailForm(request.POST))
    services.dispute_fail(actor=request.user, dispute=dispute, reason=data["reason"])
    return "已登记为调解未成"


@dispute_action
def dispute_close(request, dispute):
    data = _valid(CloseForm(request.POST))
    services.dispute_close(actor=request.user, dispute=dispute, comment=data["comment"])
    return "已结案"


@dispute_action
def dispute_escalate(request, dispute):
    data = _valid(EscalateForm(request.POST))
    services.dispute_escalate(actor=request.user, dispute=dispute, reason=data["reason"])
    return "已移交街道司法所"


@office_required
def party_link(request, case_uuid, named_id):
    """核实当事人: find the person a resident named, and make them a party."""
    dispute = selectors.dispute_get(request.user, case_uuid)
    named = selectors.named_party_get(dispute, named_id)
    if not can_work(request.user, dispute.case):
        raise PermissionDenied("只有本纠纷的调解员或社区书记可以核实当事人")
    scope = request_scope(request)
    if request.method == "POST":
        found = selectors.residents_by_uuid(scope, [request.POST.get("resident", "")])
        if not found:
            messages.error(request, "请在搜索结果中选择当事人")
            return redirect("mediation:party-link", case_uuid=case_uuid, named_id=named_id)
        try:
            services.dispute_link_party(actor=request.user, named_party=named, resident=found[0])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已核实当事人 {found[0].name}")
        return redirect("cases:case-detail", case_uuid=dispute.case.uuid)
    q = (request.GET.get("q") or named.name).strip()
    context = {
        "dispute": dispute,
        "case": dispute.case,
        "named": named,
        "q": q,
        "results": selectors.resident_search(scope, q, id_tail=can_see_identity(request.user)),
    }
    return render(request, "mediation/party_link.html", context)


@login_required
def agreement_scan_download(request, case_uuid):
    """The signed agreement: only for those who may see the dispute (404 for everyone else); every download is
    audited."""
    dispute = selectors.dispute_get(request.user, case_uuid)
    agreement = Agreement.objects.filter(dispute=dispute).first()
    if agreement is None or not agreement.signed_scan:
        raise Http404("没有签字协议")
    audit_record(
        actor=request.user,
        action="mediation.scan_download",
        target=agreement,
        summary=f"{dispute.case.number} 查看签字协议",
    )
    response = FileResponse(
        agreement.signed_scan.open("rb"),
        content_type=agreement.scan_content_type,
        as_attachment=True,
        filename=f"调解协议_{dispute.case.number}.{agreement.scan_extension}",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@office_required
def agreement_print(request, case_uuid):
    """人民调解协议书 to print and sign: only for those who may see the dispute (404 otherwise); audited."""
    dispute = selectors.dispute_get(request.user, case_uuid)
    agreement = Agreement.objects.filter(dispute=dispute).select_related("recorded_by").first()
    if agreement is None:
        raise Http404("还没有登记调解协议")
    audit_record(
        actor=request.user,
        action="mediation.agreement_print",
        target=agreement,
        summary=f"{dispute.case.number} 打印调解协议书",
    )
    parties = dispute.case.parties.select_related("resident__household__dwelling").order_by("role", "id")
    context = {"dispute": dispute, "case": dispute.case, "agreement": agreement, "parties": parties}
    return render(request, "mediation/agreement_print.html", context)

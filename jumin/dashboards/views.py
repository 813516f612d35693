"""The 工作台 of each office role and the audit list: oversight reads figures from every app below."""

from django.shortcuts import render

from jumin.cases import selectors as case_selectors
from jumin.core.access import request_scope, require, user_can
from jumin.core.models import AuditEvent
from jumin.core.pagination import paginate
from jumin.core.views import office_required

from .selectors import census, desk_for, first_steps


@office_required
def office(request):
    scope = request_scope(request)
    counts = census(scope)
    has_households = any(s.get("households") for s in counts["communities"])
    context = {
        "desk": desk_for(request.user, scope),
        "first_steps": first_steps(request.user, scope, has_households=has_households),
        "census": counts,
        # Tag chips open the filtered resident list for those who may read it.
        "can_open_lists": user_can(request.user, "register.view"),
    }
    return render(request, "dashboards/office.html", context)


@office_required
@require("audit.view")
def audit_list(request):
    scope = request_scope(request)
    events = AuditEvent.objects.filter(
        scope.q(), case_selectors.not_about_hidden_cases_q(request.user, scope)
    ).select_related("actor")
    action = request.GET.get("action", "").strip()
    if action:
        events = events.filter(action=action)
    page = paginate(request, events)
    template = "dashboards/partials/audit_rows.html" if request.htmx else "dashboards/audit_list.html"
    return render(request, template, {"page": page, "action": action})

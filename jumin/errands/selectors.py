"""Reads of errands. Visibility is the shared case visibility (core.case_selectors); this adds the errand row."""

from django.db.models import Q
from django.http import Http404

from jumin.cases.selectors import case_get, cases_for, is_requester
from jumin.core.access import Scope
from jumin.hall.models import ServiceItem

from . import kind as k
from .models import Errand


def errand_cases_for(user, scope: Scope, *, status=None, item=None, q=None):
    """The staff list: errand cases the user may see, each with its errand, item and window in the same query."""
    cases = cases_for(user, scope).filter(kind=k.KIND)
    if status:
        cases = cases.filter(status=status)
    if item:
        cases = cases.filter(errand__service_item_id=item)
    q = (q or "").strip()
    if q:
        cases = cases.filter(Q(number__icontains=q) | Q(resident__name__contains=q))
    return cases.select_related("errand__service_item__window", "community").order_by("-created_at", "-id")


def errand_get(user, case_uuid) -> Errand:
    """The errand of a case the user may see; 404 otherwise."""
    case = case_get(user, case_uuid)
    if case.kind != k.KIND:
        raise Http404("没有找到该代办事项")
    errand = k.CASE_KIND.load_detail(case)
    if errand is None:
        raise Http404("没有找到该代办事项")
    return errand


def errand_for_requester(user, case_uuid) -> Errand:
    """The requester's own errand (for the pickup QR code); anyone else gets 404."""
    errand = errand_get(user, case_uuid)
    if not is_requester(user, errand.case):
        raise Http404("没有找到该代办事项")
    return errand


def proxy_items(community_ids):
    return (
        ServiceItem.objects.filter(community_id__in=community_ids, proxy_allowed=True, active=True)
        .select_related("window")
        .order_by("window__number", "id")
    )

"""Reads of the hall catalogue. Staff see their communities' items; a resident sees their own community's."""

from django.db.models import Prefetch, Q

from jumin.core.access import Scope, scope_for
from jumin.core.params import id_param

from .models import ServiceItem, Window

PROXY_FILTERS = {"1": True, "0": False}


def items_for(scope: Scope, *, window=None, proxy=None, q=None, active_only=False):
    """Service items in the scope's communities (grid workers see the whole community's hall)."""
    if scope.is_empty:
        return ServiceItem.objects.none()
    items = ServiceItem.objects.filter(community_id__in=scope.community_ids)
    if window:
        items = items.filter(window_id=window)
    if proxy is not None:
        items = items.filter(proxy_allowed=proxy)
    if active_only:
        items = items.filter(active=True)
    q = (q or "").strip()
    if q:
        items = items.filter(Q(name__contains=q) | Q(description__contains=q))
    return items.select_related("window", "community").order_by("community_id", "window__number", "id")


def windows_for(scope: Scope):
    if scope.is_empty:
        return Window.objects.none()
    return Window.objects.filter(community_id__in=scope.community_ids).select_related("community")


def guide_windows(community_id: int, *, proxy_only: bool = False, q: str | None = None) -> list[Window]:
    """办事指南: a community's windows, each with its active items in `.guide_items` (two queries); `q` finds
    items by name, description or a document ("身份证")."""
    items = ServiceItem.objects.filter(active=True).order_by("id")
    if proxy_only:
        items = items.filter(proxy_allowed=True)
    windows = Window.objects.filter(community_id=community_id).prefetch_related(
        Prefetch("items", queryset=items, to_attr="guide_items")
    )
    windows = list(windows.order_by("number"))
    q = (q or "").strip()
    if q:
        # A hall has a few dozen items: matching in Python also searches the document names inside the JSON list,
        # which a database lookup cannot do the same way on SQLite and PostgreSQL.
        for w in windows:
            w.guide_items = [i for i in w.guide_items if _matches(i, q)]
    return [w for w in windows if w.guide_items]


def _matches(item: ServiceItem, q: str) -> bool:
    q = q.lower()
    return any(q in text.lower() for text in (item.name, item.description, *item.required_documents))


def resident_community_id(user) -> int | None:
    scope = scope_for(user)
    return scope.community_ids[0] if scope.community_ids and scope.household_id is not None else None


def active_item_get(community_id: int, item_id) -> ServiceItem | None:
    """An active item of the community (proxy or not: the caller explains why a non-proxy item cannot be asked)."""
    item_id = id_param(item_id)
    if item_id is None:
        return None
    return (
        ServiceItem.objects.filter(community_id=community_id, pk=item_id, active=True).select_related("window").first()
    )

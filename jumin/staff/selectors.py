"""Reads of staff accounts, scoped to who asks: a secretary its community's staff, a street leader its street's."""

from django.db.models import Q

from jumin.core.access import scope_for
from jumin.core.models import COMMUNITY_STAFF_ROLES, Role, User
from jumin.core.registry import registry


def staff_for(actor, *, community_id: int | None = None, role: str | None = None):
    scope = scope_for(actor)
    if scope.grid_ids is not None or not scope.community_ids:
        return User.objects.none()
    ids = scope.community_ids if community_id is None else tuple(i for i in scope.community_ids if i == community_id)
    q = Q(role__in=COMMUNITY_STAFF_ROLES, community_id__in=ids)
    if actor.role == Role.STREET_LEADER and community_id is None:
        q |= Q(role=Role.STREET_LEADER, street_id=actor.street_id)
    users = User.objects.filter(q)
    if role:
        users = users.filter(role=role)
    return (
        users.select_related("community")
        .prefetch_related("grids", "hall_windows")
        .order_by("community_id", "role", "phone")
    )


def role_table() -> list[dict]:
    """Each office role and what it may do: the sidebar entries it reaches and every capability it holds, from the
    one registry the permission checks read."""
    roles = [Role.STREET_LEADER, *(r for r in Role if r in COMMUNITY_STAFF_ROLES)]
    table = []
    for role in roles:
        capabilities = sorted(code for code, holders in registry.capabilities.items() if role in holders)
        pages = sorted({n.label for n in registry.nav if role in registry.capabilities.get(n.capability, ())})
        table.append({"code": role.value, "label": role.label, "pages": pages, "capabilities": capabilities})
    return table


def communities_with_counts(actor):
    """The street's communities, each with its staff and secretaries counted (the street administrator's page)."""
    from django.db.models import Count

    from jumin.places.models import Community

    return (
        Community.objects.filter(pk__in=scope_for(actor).community_ids)
        .annotate(
            staff_count=Count(
                "users", filter=Q(users__role__in=COMMUNITY_STAFF_ROLES, users__is_active=True), distinct=True
            ),
            secretary_count=Count("users", filter=Q(users__role=Role.SECRETARY, users__is_active=True), distinct=True),
            grid_count=Count("grids", distinct=True),
        )
        .order_by("name")
    )

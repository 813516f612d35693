"""Who may see what: roles → capabilities, and the row scope of each user.

Every read that depends on who asks goes through a selector that applies `scope_for(user)`; staff who
lack a capability get 403 on pages they know exist, rows outside their scope are 404.
"""

from dataclasses import dataclass
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from .models import OFFICE_ROLES, Role, User
from .registry import registry

# Capabilities live in the registry: each app registers its own from AppConfig.ready() (register_capability).
CAPABILITIES = registry.capabilities


def user_can(user, capability: str) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.role in CAPABILITIES[capability]  # KeyError: a capability nobody registered (a typo)


def roles_with(capability: str) -> frozenset[str]:
    """The roles holding a capability: whom to notify, whom a case may be handed to."""
    return CAPABILITIES[capability]


def require(capability: str):
    """View decorator: logged-in users without the capability get 403 (login is handled by the caller)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not user_can(request.user, capability):
                raise PermissionDenied("您没有权限执行此操作")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


@dataclass(frozen=True)
class Scope:
    """The rows a user may see: communities, optionally narrowed to grids, or one household (residents)."""

    community_ids: tuple[int, ...] = ()
    grid_ids: tuple[int, ...] | None = None
    household_id: int | None = None

    @property
    def is_empty(self) -> bool:
        return not self.community_ids

    def q(self, *, community="community_id", grid="grid_id", household=None) -> Q:
        if self.is_empty:
            return Q(pk__in=[])
        q = Q(**{f"{community}__in": self.community_ids})
        if self.grid_ids is not None:
            q &= Q(**{f"{grid}__in": self.grid_ids})
        if self.household_id is not None:
            if household is None:
                return Q(pk__in=[])
            q &= Q(**{household: self.household_id})
        return q

    def contains(self, row) -> bool:
        """Is this row (anything with community_id, and grid_id / household_id where it has them) in scope?"""
        if self.is_empty or row.community_id not in self.community_ids:
            return False
        if self.grid_ids is not None and getattr(row, "grid_id", None) not in self.grid_ids:
            return False
        return self.household_id is None or getattr(row, "household_id", None) == self.household_id

    def grids(self):
        """The grids of the scope (a grid worker: their own), ordered by community and number."""
        grids = User._meta.get_field("grids").related_model.objects.filter(community_id__in=self.community_ids)
        if self.grid_ids is not None:
            grids = grids.filter(pk__in=self.grid_ids)
        return grids.order_by("community_id", "number")


NO_SCOPE = Scope()


def community_model():
    """places.Community, reached through the user's foreign key: core sits below places and never imports it."""
    return User._meta.get_field("community").related_model


def street_community_ids(street_id: int) -> tuple[int, ...]:
    return tuple(community_model().objects.filter(street_id=street_id).order_by("id").values_list("id", flat=True))


def scope_for(user, community_id: int | None = None) -> Scope:
    """Scope of `user`; a street leader may narrow it to one of the street's communities."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_SCOPE
    cache = user.__dict__.setdefault("_scope_cache", {})
    if community_id in cache:
        return cache[community_id]
    scope = _compute_scope(user, community_id)
    cache[community_id] = scope
    return scope


def _compute_scope(user, community_id):
    if user.role == Role.STREET_LEADER and user.street_id:
        ids = street_community_ids(user.street_id)
        if community_id is not None:
            ids = tuple(i for i in ids if i == community_id)
        return Scope(community_ids=ids)
    if user.role == Role.RESIDENT:
        # The binding is set only when staff approve the activation.
        if user.resident_id is None:
            return NO_SCOPE
        resident = user.resident
        # Someone who moved out (or died) no longer belongs to that household; their own cases stay theirs
        # (case visibility follows the requester, not this scope).
        if resident.status != "active":
            return NO_SCOPE
        return Scope(community_ids=(resident.community_id,), household_id=resident.household_id)
    if user.role in OFFICE_ROLES and user.community_id:
        if user.role == Role.GRID_WORKER:
            grids = tuple(user.grids.order_by("id").values_list("id", flat=True))
            return Scope(community_ids=(user.community_id,), grid_ids=grids)
        return Scope(community_ids=(user.community_id,))
    return NO_SCOPE


def request_scope(request) -> Scope:
    """The scope for this request, honouring a street leader's community switcher."""
    return scope_for(request.user, selected_community_id(request))


def selected_community_id(request) -> int | None:
    if getattr(request.user, "role", None) != Role.STREET_LEADER:
        return None
    value = request.session.get("community_id")
    return int(value) if value else None

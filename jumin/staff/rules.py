"""Who may manage which staff accounts. The roles' rights come from the capabilities registry (jumin.core.access);
this is the one table of who may hand which role out, so nobody can give an account more than they hold."""

from jumin.core.access import scope_for, user_can
from jumin.core.models import COMMUNITY_STAFF_ROLES, Role

# The street administrator (a street leader) appoints communities' secretaries and any community staff; a
# secretary its community's staff below it. Nobody hands out their own role or one above it.
ASSIGNABLE = {
    Role.STREET_LEADER: frozenset(COMMUNITY_STAFF_ROLES),
    Role.SECRETARY: frozenset(COMMUNITY_STAFF_ROLES - {Role.SECRETARY}),
}
STAFF_ROLES = [r for r in Role if r in COMMUNITY_STAFF_ROLES]


def assignable_roles(actor) -> frozenset[str]:
    if not user_can(actor, "staff.manage"):
        return frozenset()
    return ASSIGNABLE.get(actor.role, frozenset())


def staff_in_scope(actor, user) -> bool:
    """Whether the account is one the actor may see at all (else 404)."""
    scope = scope_for(actor)
    if user.role in COMMUNITY_STAFF_ROLES:
        return user.community_id in scope.community_ids and scope.grid_ids is None
    if user.role == Role.STREET_LEADER:
        return actor.role == Role.STREET_LEADER and user.street_id == actor.street_id
    return False


def staff_can_manage(actor, user) -> bool:
    """May the actor change this account (role, grids, windows, active, password)? Never their own."""
    return user.pk != actor.pk and user.role in assignable_roles(actor) and staff_in_scope(actor, user)


def staff_can_assign(actor, role: str) -> bool:
    return role in assignable_roles(actor)

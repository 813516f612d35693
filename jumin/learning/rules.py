"""One predicate per rule: the services refuse with these, the views decide what to offer with them."""

from jumin.core.access import scope_for, user_can

from .models import StudySession


def course_can_manage(user, community_id: int | None) -> bool:
    """Write courses, materials, quizzes and assignments of a community: its secretary, the street leader."""
    return (
        community_id is not None and user_can(user, "learning.manage") and community_id in scope_for(user).community_ids
    )


def session_can_start(user) -> bool:
    return user_can(user, "learning.tutor") and bool(getattr(user, "community_id", None))


def session_can_run(user, session: StudySession) -> bool:
    """Sign members in and record their study: a tutor (or secretary) of the session's community, while it is open."""
    return session.is_open and user_can(user, "learning.tutor") and user.community_id == session.community_id


def session_can_see(user, session: StudySession) -> bool:
    if user_can(user, "learning.tutor") and user.community_id == session.community_id:
        return True
    return user_can(user, "learning.view") and session.community_id in scope_for(user).community_ids


def record_is_own(user, member) -> bool:
    return bool(getattr(user, "resident_id", None)) and member.resident_id == user.resident_id

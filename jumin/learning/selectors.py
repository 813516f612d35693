"""Reads of the learning station; every read that depends on who asks goes through one of these.

Who sees which members (and their progress) is the party app's answer (`members_for`, `orgs_visible_q`): the
secretary the community, the street leader the street, a grid worker their grid, a grid-branch secretary their
branch and below. A member sees their own. A tutor sees the sessions of their community and their attendees."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Max, OuterRef, Q, Sum
from django.http import Http404
from django.utils import timezone

from jumin.core.access import Scope, scope_for, user_can
from jumin.party.models import PartyMember, PartyOrg
from jumin.party.selectors import members_for, orgs_visible_q
from jumin.people.models import ELDERLY_AGE, ResidentStatus, age_on

from .models import Assignment, Attendance, Course, CourseDocument, StudyRecord, StudySession


class Status:
    DONE = "done"
    OVERDUE = "overdue"
    STUDYING = "studying"
    TODO = "todo"
    LABELS = {DONE: "✔ 已学完", OVERDUE: "⚠ 已逾期", STUDYING: "学习中", TODO: "待学习"}


@dataclass
class Due:
    """One course a member has to study, with how far they got."""

    course: Course
    due_on: datetime.date
    minutes: int = 0
    completed: bool = False
    score: int | None = None
    status: str = Status.TODO

    @property
    def status_label(self) -> str:
        return Status.LABELS[self.status]


def _status(due_on, minutes, completed, today) -> str:
    if completed:
        return Status.DONE
    if due_on < today:
        return Status.OVERDUE
    return Status.STUDYING if minutes else Status.TODO


# ---- courses -------------------------------------------------------------------------------------------------------


def my_member(user) -> PartyMember | None:
    """The caller's own membership while on the roll (with the organisation chain up to the street committee)."""
    if not getattr(user, "resident_id", None):
        return None
    return (
        PartyMember.objects.filter(resident_id=user.resident_id, active=True, resident__status=ResidentStatus.ACTIVE)
        .select_related("resident", "org__parent__parent__parent__parent")
        .first()
    )


def courses_q(user, scope: Scope | None = None) -> Q:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    if user_can(user, "learning.view"):
        scope = scope or scope_for(user)
        return Q(community_id__in=scope.community_ids)
    if user_can(user, "learning.tutor"):
        return Q(community_id=user.community_id or 0, published=True)
    scope = scope_for(user)
    return Q(community_id__in=scope.community_ids, published=True) if scope.household_id else Q(pk__in=[])


def courses_for(user, scope: Scope | None = None, *, q: str = ""):
    courses = (
        Course.objects.filter(courses_q(user, scope))
        .annotate(
            question_count=Count("questions", distinct=True),
            assignment_count=Count("assignments", distinct=True),
        )
        .order_by("-created_at", "-id")
    )
    q = (q or "").strip()[:50]
    if q:
        courses = courses.filter(Q(title__contains=q) | Q(summary__contains=q))
    return courses


def course_get(user, course_uuid, scope: Scope | None = None) -> Course:
    course = Course.objects.filter(courses_q(user, scope), uuid=course_uuid).select_related("community").first()
    if course is None:
        raise Http404("没有找到该课程")
    course.question_list = list(course.questions.order_by("position", "id"))
    course.document_list = list(course.documents.order_by("id"))
    return course


def document_get(user, document_uuid) -> CourseDocument:
    doc = CourseDocument.objects.filter(course__in=Course.objects.filter(courses_q(user)), uuid=document_uuid).first()
    if doc is None:
        raise Http404("没有找到该资料")
    return doc


def course_assignments(course: Course):
    return course.assignments.select_related("org", "member__resident", "assigned_by").order_by("due_on", "id")


# ---- what is due, for whom -----------------------------------------------------------------------------------------


def _chains(community_ids) -> dict[int, list[int]]:
    """For every organisation of these communities: itself and its ancestors (one query)."""
    parent = dict(PartyOrg.objects.filter(community_id__in=community_ids).values_list("id", "parent_id"))
    chains = {}
    for pk in parent:
        chain, at = [], pk
        while at is not None and at not in chain:
            chain.append(at)
            at = parent.get(at)
        chains[pk] = chain
    return chains


def dues_for(members, *, today: datetime.date) -> dict[int, list[Due]]:
    """Every member's courses due (through their organisation, one above it, or set for them), with progress.
    Three queries whatever the number of members: organisations, assignments, record totals."""
    members = list(members)
    if not members:
        return {}
    community_ids = sorted({m.community_id for m in members})
    chains = _chains(community_ids)
    by_org, by_member = defaultdict(list), defaultdict(list)
    assignments = Assignment.objects.filter(community_id__in=community_ids, course__published=True).select_related(
        "course"
    )
    for a in assignments:
        (by_org[a.org_id] if a.org_id else by_member[a.member_id]).append(a)
    member_ids = [m.pk for m in members]
    totals = {
        (r["member_id"], r["course_id"]): r
        for r in StudyRecord.objects.filter(member_id__in=member_ids)
        .order_by()
        .values("member_id", "course_id")
        .annotate(minutes=Sum("minutes"), done=Count("id", filter=Q(completed=True)), best=Max("score"))
    }
    out = {}
    for m in members:
        earliest = {}
        reach = [a for org_id in chains.get(m.org_id, [m.org_id]) for a in by_org.get(org_id, ())]
        for a in reach + by_member.get(m.pk, []):
            if a.course_id not in earliest or a.due_on < earliest[a.course_id].due_on:
                earliest[a.course_id] = a
        dues = []
        for a in sorted(earliest.values(), key=lambda a: (a.due_on, a.course_id)):
            t = totals.get((m.pk, a.course_id), {})
            minutes, completed = t.get("minutes") or 0, bool(t.get("done"))
            dues.append(
                Due(
                    course=a.course,
                    due_on=a.due_on,
                    minutes=minutes,
                    completed=completed,
                    score=t.get("best"),
                    status=_status(a.due_on, minutes, completed, today),
                )
            )
        out[m.pk] = dues
    return out


def member_dues(member: PartyMember, *, today: datetime.date | None = None) -> list[Due]:
    return dues_for([member], today=today or timezone.localdate()).get(member.pk, [])


def my_assignments(user):
    """The caller's assignments (through their organisation chain or set for them), each annotated `done`: two
    queries (membership, assignments). For 我的事项."""
    member = my_member(user)
    if member is None:
        return None, Assignment.objects.none()
    chain, org = [], member.org
    while org is not None:
        chain.append(org.pk)
        org = org.parent if org.parent_id else None
    done = StudyRecord.objects.filter(member=member, course_id=OuterRef("course_id"), completed=True)
    rows = (
        Assignment.objects.filter(Q(org_id__in=chain) | Q(member=member), course__published=True)
        .annotate(done=Exists(done))
        .select_related("course")
        .order_by("due_on", "id")
    )
    return member, rows


# ---- progress: by member and by organisation -----------------------------------------------------------------------


@dataclass
class MemberProgress:
    member: PartyMember
    age: int
    dues: list
    assigned: int = 0
    done: int = 0
    overdue: int = 0
    minutes: int = 0

    @property
    def elderly(self) -> bool:
        return self.age >= ELDERLY_AGE

    @property
    def needs_visit(self) -> bool:
        """An older member with a course overdue: someone should call round (and may study with them)."""
        return self.elderly and self.overdue > 0


def _progress_row(member: PartyMember, items: list, today: datetime.date) -> MemberProgress:
    return MemberProgress(
        member=member,
        age=age_on(member.resident.birth_date, today),
        dues=items,
        assigned=len(items),
        done=sum(d.completed for d in items),
        overdue=sum(d.status == Status.OVERDUE for d in items),
        minutes=sum(d.minutes for d in items),
    )


def progress_visible(user, scope: Scope | None = None, *, org=None, status: str = "", today=None):
    """Progress for whoever asks: staff and branch secretaries see their members (as on the progress pages), a
    member sees their own row, anyone else nothing."""
    from jumin.party.selectors import led_org_ids

    today = today or timezone.localdate()
    if user_can(user, "learning.view") or led_org_ids(user):
        return progress_rows(user, scope, org=org, status=status, today=today)
    member = my_member(user)
    if member is None or org is not None:
        return []
    return progress_rows_of([member], status=status, today=today)


def progress_rows_of(members, *, status: str = "", today: datetime.date) -> list[MemberProgress]:
    dues = dues_for(members, today=today)
    return _filter_progress([_progress_row(m, dues.get(m.pk, []), today) for m in members], status)


def _filter_progress(rows: list[MemberProgress], status: str) -> list[MemberProgress]:
    if status == "overdue":
        return [r for r in rows if r.overdue]
    if status == "visit":
        return [r for r in rows if r.needs_visit]
    if status == "done":
        return [r for r in rows if r.assigned and r.done == r.assigned]
    if status == "todo":
        return [r for r in rows if r.done < r.assigned]
    return rows


def progress_rows(user, scope: Scope | None = None, *, org=None, status: str = "", today=None) -> list[MemberProgress]:
    """Each visible member's progress over their assigned courses. status: overdue / visit / done / todo."""
    today = today or timezone.localdate()
    return progress_rows_of(list(members_for(user, scope, org=org, today=today)), status=status, today=today)


@dataclass
class OrgProgress:
    org: PartyOrg
    members: int = 0
    assigned: int = 0
    done: int = 0
    overdue: int = 0
    needs_visit: int = 0
    children: list = field(default_factory=list)

    @property
    def rate(self) -> int:
        return round(self.done * 100 / self.assigned) if self.assigned else 0


def org_progress(user, scope: Scope | None = None, *, today=None) -> list[OrgProgress]:
    """Every visible organisation with the progress of its members and of everything below it, in tree order
    (parents before children)."""
    today = today or timezone.localdate()
    orgs = list(PartyOrg.objects.filter(orgs_visible_q(user, scope)).order_by("depth", "name", "id"))
    nodes = {o.pk: OrgProgress(o) for o in orgs}
    for row in progress_rows(user, scope, today=today):
        node = nodes.get(row.member.org_id)
        if node is None:
            continue
        node.members += 1
        node.assigned += row.assigned
        node.done += row.done
        node.overdue += row.overdue
        node.needs_visit += row.needs_visit
    for o in sorted(orgs, key=lambda o: -o.depth):
        parent = nodes.get(o.parent_id)
        if parent is not None:
            child = nodes[o.pk]
            parent.children.append(child)
            for key in ("members", "assigned", "done", "overdue", "needs_visit"):
                setattr(parent, key, getattr(parent, key) + getattr(child, key))
    out, stack = [], sorted((n for n in nodes.values() if n.org.parent_id not in nodes), key=lambda n: n.org.name)
    stack.reverse()
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(sorted(node.children, key=lambda n: n.org.name, reverse=True))
    return out


def led_orgs(user) -> list[PartyOrg]:
    """The organisations a resident leads as secretary (a grid-branch secretary's branch)."""
    from jumin.party.selectors import led_org_ids

    ids = led_org_ids(user)
    return list(PartyOrg.objects.filter(pk__in=ids).order_by("depth", "name")) if ids else []


# ---- records -------------------------------------------------------------------------------------------------------


def records_q(user, scope: Scope | None = None) -> Q:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    if user_can(user, "learning.view"):
        members = PartyMember.objects.filter(org__in=PartyOrg.objects.filter(orgs_visible_q(user, scope)).values("pk"))
        return Q(member__in=members.values("pk"))
    if user_can(user, "learning.tutor"):
        return Q(session__community_id=user.community_id or 0)
    if getattr(user, "resident_id", None):
        return Q(member__resident_id=user.resident_id)
    return Q(pk__in=[])


def records_for(user, scope: Scope | None = None, *, course=None, channel: str = ""):
    rows = StudyRecord.objects.filter(records_q(user, scope)).select_related(
        "member__resident", "member__org", "course", "recorded_by", "session"
    )
    if course is not None:
        rows = rows.filter(course=course)
    if channel in ("phone", "station"):
        rows = rows.filter(channel=channel)
    return rows.order_by("-studied_at", "-id")


# ---- sessions ------------------------------------------------------------------------------------------------------


def sessions_q(user, scope: Scope | None = None) -> Q:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    if user_can(user, "learning.tutor"):
        return Q(community_id=user.community_id or 0)
    if user_can(user, "learning.view"):
        return Q(community_id__in=(scope or scope_for(user)).community_ids)
    return Q(pk__in=[])


def sessions_for(user, scope: Scope | None = None):
    return (
        StudySession.objects.filter(sessions_q(user, scope))
        .select_related("tutor")
        .annotate(attendee_count=Count("attendees", distinct=True), record_count=Count("records", distinct=True))
        .order_by("-started_at", "-id")
    )


def session_get(user, session_uuid) -> StudySession:
    session = StudySession.objects.filter(sessions_q(user), uuid=session_uuid).select_related("tutor").first()
    if session is None:
        raise Http404("没有找到这次到站学习")
    return session


def session_attendees(session: StudySession, *, today=None) -> list[dict]:
    """Who signed in, each with their due courses and what was recorded for them in this session."""
    today = today or timezone.localdate()
    rows = list(
        Attendance.objects.filter(session=session)
        .select_related("member__resident", "member__org")
        .order_by("signed_in_at", "id")
    )
    members = [a.member for a in rows]
    dues = dues_for(members, today=today)
    recorded = defaultdict(list)
    for r in StudyRecord.objects.filter(session=session).select_related("course").order_by("id"):
        recorded[r.member_id].append(r)
    return [
        {"attendance": a, "dues": dues.get(a.member_id, []), "recorded": recorded.get(a.member_id, [])} for a in rows
    ]


def attendance_get(session: StudySession, attendance_uuid) -> Attendance:
    row = Attendance.objects.filter(session=session, uuid=attendance_uuid).select_related("member__resident").first()
    if row is None:
        raise Http404("没有找到该签到")
    return row

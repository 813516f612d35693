"""灯塔加油站 API: courses (with the caller's due date and progress), study records, on-site sessions and sign-in.
A quiz's right answers never leave the server."""

import datetime
import uuid
from typing import Literal

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from jumin.core.access import user_can
from jumin.core.api_errors import ConflictOut
from jumin.core.api_pagination import Page
from jumin.core.errors import PermissionDenied
from jumin.core.schemas import InputSchema
from jumin.people.idcard import mask_phone

from . import selectors, services
from .models import MAX_MINUTES

router = Router(tags=["灯塔加油站"])


def _uuid(value) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise Http404 from exc


class CourseOut(Schema):
    uuid: uuid.UUID
    title: str
    summary: str
    minutes: int = Field(description="建议学习时长(分钟)")
    has_quiz: bool
    pass_mark: int = Field(description="测验及格线(百分比)")
    due_on: datetime.date | None = Field(description="布置给我的截止日期;没有布置给我时为 null")
    status: str | None = Field(description="我的学习情况:todo 待学习 / studying 学习中 / overdue 已逾期 / done 已学完")


class CoursePage(Page):
    def present(self, items, request):
        courses = list(items)
        member = selectors.my_member(request.auth)
        dues = {d.course.pk: d for d in selectors.member_dues(member)} if member else {}
        return [_course_out(c, dues.get(c.pk), has_quiz=bool(c.question_count)) for c in courses]


def _course_out(course, due, *, has_quiz: bool) -> dict:
    return {
        "uuid": course.uuid,
        "title": course.title,
        "summary": course.summary,
        "minutes": course.minutes,
        "has_quiz": has_quiz,
        "pass_mark": course.pass_mark,
        "due_on": due.due_on if due else None,
        "status": due.status if due else None,
    }


@router.get(
    "/courses",
    response=list[CourseOut],
    summary="学习课程",
    description="本社区的课程,分页;党员看到布置给自己的截止日期与学习情况。q 按名称筛选。",
)
@paginate(CoursePage)
def course_list(request, q: str = ""):
    return selectors.courses_for(request.auth, q=q[:50])


class CourseDocumentOut(Schema):
    uuid: uuid.UUID
    name: str
    content_type: str
    url: str


class QuizQuestionOut(Schema):
    position: int
    text: str
    choices: list[str] = Field(description="选项;作答时按 0 起的序号提交")


class CourseDetailOut(CourseOut):
    body: str
    video_url: str
    documents: list[CourseDocumentOut]
    questions: list[QuizQuestionOut]


@router.get(
    "/courses/{course_uuid}",
    response=CourseDetailOut,
    summary="课程详情",
    description="学习内容、资料、视频链接与测验题(不含正确答案)。看不到的课程一律 404。",
)
def course_detail(request, course_uuid: str):
    course = selectors.course_get(request.auth, _uuid(course_uuid))
    member = selectors.my_member(request.auth)
    due = next((d for d in selectors.member_dues(member) if d.course.pk == course.pk), None) if member else None
    return {
        **_course_out(course, due, has_quiz=bool(course.question_list)),
        "body": course.body,
        "video_url": course.video_url,
        "documents": [
            {
                "uuid": d.uuid,
                "name": d.name,
                "content_type": d.content_type,
                "url": reverse("learning:document", args=[d.uuid]),
            }
            for d in course.document_list
        ],
        "questions": [{"position": q.position, "text": q.text, "choices": q.choices} for q in course.question_list],
    }


class StudyRecordIn(InputSchema):
    minutes: int = Field(ge=1, le=MAX_MINUTES, description="本次学习时长(分钟)")
    completed: bool = Field(True, description="是否学完;有测验的课程以答题及格为准")
    answers: list[int] | None = Field(
        None, max_length=50, description="测验答案:每题所选选项的序号(从 0 起),按题目顺序;没有测验时不填"
    )


class StudyRecordOut(Schema):
    uuid: uuid.UUID
    course: uuid.UUID
    course_title: str
    member_name: str
    channel: str = Field(description="phone 手机自学 / station 到站学习")
    session: uuid.UUID | None
    studied_at: datetime.datetime
    minutes: int
    completed: bool
    score: int | None = Field(description="测验得分(百分制);没有答题时为 null")
    passed: bool | None


def _record_out(r) -> dict:
    return {
        "uuid": r.uuid,
        "course": r.course.uuid,
        "course_title": r.course.title,
        "member_name": r.member.resident.name,
        "channel": r.channel,
        "session": r.session.uuid if r.session_id else None,
        "studied_at": r.studied_at,
        "minutes": r.minutes,
        "completed": r.completed,
        "score": r.score,
        "passed": r.passed,
    }


@router.post(
    "/courses/{course_uuid}/records",
    response={201: StudyRecordOut, 409: ConflictOut},
    summary="登记本人的学习(并提交测验)",
    description="党员登记一次学习:时长、是否学完、测验答案。有测验的课程答题及格才算学完,得分在返回中。"
    "不是在册党员返回 403。",
)
def record_create(request, course_uuid: str, payload: StudyRecordIn):
    user = request.auth
    course = selectors.course_get(user, _uuid(course_uuid))
    member = selectors.my_member(user)
    if member is None:
        raise PermissionDenied("只有在册党员可以登记学习")
    record = services.study_record(
        actor=user,
        member=member,
        course=course,
        minutes=payload.minutes,
        completed=payload.completed,
        answers=payload.answers,
    )
    return Status(201, _record_out(record))


class StudyRecordPage(Page):
    def present(self, items, request):
        return [_record_out(r) for r in items]


@router.get(
    "/records",
    response=list[StudyRecordOut],
    summary="学习记录",
    description="党员:本人的记录;社区书记、街道领导、网格员:所见党组织党员的记录;辅导员:本社区到站学习的记录。"
    "channel=phone / station 筛选。",
)
@paginate(StudyRecordPage)
def record_list(request, channel: str = ""):
    return selectors.records_for(request.auth, channel=channel)


# ---- progress ------------------------------------------------------------------------------------------------------


class CourseProgressOut(Schema):
    course: uuid.UUID
    title: str
    due_on: datetime.date
    status: str = Field(description="todo 待学习 / studying 学习中 / overdue 已逾期 / done 已学完")
    minutes: int = Field(description="已学习分钟数")
    score: int | None = Field(description="测验最好成绩(百分比);没有测验或未答时为 null")


class MemberProgressOut(Schema):
    member: uuid.UUID
    name: str
    org: uuid.UUID
    org_name: str
    elderly: bool = Field(description="60 岁以上")
    assigned: int = Field(description="布置的课程数")
    done: int = Field(description="已学完")
    overdue: int = Field(description="已逾期")
    minutes: int = Field(description="学习总分钟数")
    needs_visit: bool = Field(description="60 岁以上且有课程逾期:需要上门或到站辅导")
    courses: list[CourseProgressOut]


class ProgressPage(Page):
    def present(self, items, request):
        return [
            {
                "member": r.member.uuid,
                "name": r.member.resident.name,
                "org": r.member.org.uuid,
                "org_name": r.member.org.name,
                "elderly": r.elderly,
                "assigned": r.assigned,
                "done": r.done,
                "overdue": r.overdue,
                "minutes": r.minutes,
                "needs_visit": r.needs_visit,
                "courses": [
                    {
                        "course": d.course.uuid,
                        "title": d.course.title,
                        "due_on": d.due_on,
                        "status": d.status,
                        "minutes": d.minutes,
                        "score": d.score,
                    }
                    for d in r.dues
                ],
            }
            for r in items
        ]


@router.get(
    "/progress",
    response=list[MemberProgressOut],
    summary="学习进度(按党员)",
    description="社区书记、街道领导、网格员、党支部书记:所见党组织党员的学习进度;党员:本人的进度。分页。"
    "status=overdue 有逾期 / visit 需要走访 / done 全部学完 / todo 未学完;org=党组织 uuid(含下级)。",
)
@paginate(ProgressPage)
def progress_list(request, status: Literal["", "overdue", "visit", "done", "todo"] = "", org: str = ""):
    from jumin.party.selectors import org_get

    user = request.auth
    org_row = org_get(user, _uuid(org)) if org else None
    return selectors.progress_visible(user, org=org_row, status=status)


class OrgProgressOut(Schema):
    uuid: uuid.UUID
    name: str
    level: str
    parent: uuid.UUID | None
    members: int = Field(description="党员人数(含下级组织)")
    assigned: int = Field(description="布置的课程人次")
    done: int = Field(description="已学完人次")
    overdue: int = Field(description="逾期人次")
    needs_visit: int = Field(description="需要走访的党员")
    rate: int = Field(description="完成率(百分比)")


class OrgProgressPage(Page):
    def present(self, items, request):
        from jumin.party.models import PartyOrg

        rows = list(items)
        uuids = {n.org.pk: n.org.uuid for n in rows}
        missing = {n.org.parent_id for n in rows if n.org.parent_id and n.org.parent_id not in uuids}
        if missing:  # a parent on another page, or above what the caller sees, still names its uuid
            uuids.update(dict(PartyOrg.objects.filter(pk__in=missing).values_list("pk", "uuid")))
        return [
            {
                "uuid": n.org.uuid,
                "name": n.org.name,
                "level": n.org.level,
                "parent": uuids.get(n.org.parent_id),
                "members": n.members,
                "assigned": n.assigned,
                "done": n.done,
                "overdue": n.overdue,
                "needs_visit": n.needs_visit,
                "rate": n.rate,
            }
            for n in rows
        ]


@router.get(
    "/progress/orgs",
    response=list[OrgProgressOut],
    summary="学习进度(按党组织,含下级汇总)",
    description="所见党组织的学习完成情况,按树的先序排列(父在子前),每项含全部下级组织;parent 为上级组织的 uuid,最高一级为 null。",
)
@paginate(OrgProgressPage)
def org_progress_list(request):
    return selectors.org_progress(request.auth)


class StudySessionIn(InputSchema):
    place: str = Field(min_length=1, max_length=100, description="地点,如 灯塔加油站学习室")


class StudySessionOut(Schema):
    uuid: uuid.UUID
    place: str
    tutor: str
    started_at: datetime.datetime
    ended_at: datetime.datetime | None
    attendees: int


def _session_out(s, attendees: int) -> dict:
    return {
        "uuid": s.uuid,
        "place": s.place,
        "tutor": s.tutor.name,
        "started_at": s.started_at,
        "ended_at": s.ended_at,
        "attendees": attendees,
    }


class StudySessionPage(Page):
    def present(self, items, request):
        return [_session_out(s, s.attendee_count) for s in items]


@router.get(
    "/sessions",
    response=list[StudySessionOut],
    summary="到站学习",
    description="本社区的到站学习(辅导员、社区书记;街道领导看全街道),分页,新的在前。",
)
@paginate(StudySessionPage)
def session_list(request):
    return selectors.sessions_for(request.auth)


@router.post(
    "/sessions",
    response={201: StudySessionOut},
    summary="开始到站学习",
    description="辅导员在服务站开始一次到站学习,之后为到场的党员签到。",
)
def session_create(request, payload: StudySessionIn):
    session = services.session_start(actor=request.auth, place=payload.place)
    return Status(201, _session_out(session, 0))


class StudyAttendeeIn(InputSchema):
    method: Literal["phone", "id_tail", "code"] = Field(
        description="phone 手机号 / id_tail 姓名+身份证后四位 / code 党员手机上的签到码"
    )
    phone: str = Field("", max_length=11)
    name: str = Field("", max_length=50)
    id_tail: str = Field("", max_length=4, description="身份证号后四位")
    code: str = Field("", max_length=6, description="党员手机上显示的 6 位签到码")


class StudyAttendeeOut(Schema):
    uuid: uuid.UUID
    member: uuid.UUID
    name: str
    phone: str = Field(description="手机号(脱敏)")
    org: str
    method: str
    signed_in_at: datetime.datetime


@router.post(
    "/sessions/{session_uuid}/attendees",
    response={201: StudyAttendeeOut, 409: ConflictOut},
    summary="到站签到",
    description="为党员签到:手机号、姓名+身份证后四位,或党员手机上的签到码(一次有效,10 分钟内)。"
    "只返回姓名、脱敏手机号与所在党组织。已签到返回 409。",
)
def attendee_create(request, session_uuid: str, payload: StudyAttendeeIn):
    user = request.auth
    if not user_can(user, "learning.tutor"):
        raise PermissionDenied("只有辅导员可以为党员签到")
    session = selectors.session_get(user, _uuid(session_uuid))
    a = services.attendee_sign_in(actor=user, session=session, **payload.dict())
    resident = a.member.resident
    return Status(
        201,
        {
            "uuid": a.uuid,
            "member": a.member.uuid,
            "name": resident.name,
            "phone": mask_phone(resident.phone),
            "org": a.member.org.name,
            "method": a.method,
            "signed_in_at": a.signed_in_at,
        },
    )


class StationRecordIn(StudyRecordIn):
    attendee: uuid.UUID = Field(description="签到的 uuid(POST attendees 的返回)")
    course: uuid.UUID


@router.post(
    "/sessions/{session_uuid}/records",
    response={201: StudyRecordOut, 409: ConflictOut},
    summary="登记到站学习",
    description="辅导员为已签到的党员登记学习了什么;同一次到站学习、同一门课只登记一次(再登记返回 409)。",
)
def session_record_create(request, session_uuid: str, payload: StationRecordIn):
    user = request.auth
    if not user_can(user, "learning.tutor"):
        raise PermissionDenied("只有辅导员可以登记到站学习")
    session = selectors.session_get(user, _uuid(session_uuid))
    attendance = selectors.attendance_get(session, payload.attendee)
    course = selectors.course_get(user, payload.course)
    record = services.study_record(
        actor=user,
        member=attendance.member,
        course=course,
        session=session,
        minutes=payload.minutes,
        completed=payload.completed,
        answers=payload.answers,
        now=timezone.now(),
    )
    return Status(201, _record_out(record))

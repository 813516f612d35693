"""Writes of the learning station: courses and their materials, assignments, study records (on the phone or at the
station), on-site sessions, sign-in and the member's sign-in code."""

import datetime
import secrets

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from jumin.cases.notify import notify
from jumin.core.audit import audit_record
from jumin.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from jumin.core.models import Role, User
from jumin.core.text import has_control_chars
from jumin.core.uploads import validate_upload
from jumin.party.models import PartyMember, PartyOrg
from jumin.party.selectors import subtree_ids
from jumin.people.models import ResidentStatus

from . import rules
from .models import (
    MAX_MINUTES,
    Assignment,
    Attendance,
    Channel,
    Course,
    CourseDocument,
    Question,
    SignInCode,
    SignInMethod,
    StudyRecord,
    StudySession,
)

CODE_LENGTH = 6
CODE_TTL = datetime.timedelta(minutes=10)
# A code with less than this left is renewed when the member opens the page, so the tutor never gets a dying one.
CODE_RENEW_BEFORE = datetime.timedelta(minutes=2)
MAX_FAILED_CODES = 20
MAX_QUESTIONS = 20
MAX_CHOICES = 6
BODY_MAX = 20_000


def _text(value, *, field: str, label: str, max_length: int, required: bool = True, multiline=False) -> str:
    value = value.strip() if isinstance(value, str) else ""
    if required and not value:
        raise DomainError(f"请填写{label}", field=field)
    if len(value) > max_length:
        raise DomainError(f"{label}不能超过 {max_length} 个字", field=field)
    if has_control_chars(value, multiline=multiline):
        raise DomainError(f"{label}不能包含控制字符", field=field)
    return value


def _minutes(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_MINUTES:
        raise DomainError(f"学习时长应为 1–{MAX_MINUTES} 分钟", field="minutes")
    return value


def _require_manage(actor, community_id) -> None:
    if not rules.course_can_manage(actor, community_id):
        raise PermissionDenied("您没有权限管理本社区的学习课程")


# ---- courses -------------------------------------------------------------------------------------------------------


def course_create(
    *,
    actor,
    community,
    title: str,
    summary: str = "",
    body: str = "",
    video_url: str = "",
    minutes: int = 30,
    pass_mark: int = 60,
    now=None,
) -> Course:
    _require_manage(actor, community.pk)
    values = _course_fields(
        title=title, summary=summary, body=body, video_url=video_url, minutes=minutes, pass_mark=pass_mark
    )
    try:
        with transaction.atomic():
            course = Course.objects.create(
                community=community,
                **values,
                created_by=actor,
                **({"created_at": now} if now is not None else {}),
            )
            audit_record(
                actor=actor, action="learning.course_create", target=course, summary=f"新建课程《{values['title']}》"
            )
    except IntegrityError as exc:
        raise Conflict("本社区已有同名课程", field="title") from exc
    return course


EDITABLE = ("title", "summary", "body", "video_url", "minutes", "pass_mark")
FIELD_LABELS = {
    "title": "课程名称",
    "summary": "简介",
    "body": "学习内容",
    "video_url": "视频链接",
    "minutes": "建议学习时长",
    "pass_mark": "及格线",
}


def _course_fields(*, title, summary, body, video_url, minutes, pass_mark) -> dict:
    values = {
        "title": _text(title, field="title", label="课程名称", max_length=100),
        "summary": _text(summary, field="summary", label="简介", max_length=200, required=False),
        "body": _text(body, field="body", label="学习内容", max_length=BODY_MAX, required=False, multiline=True),
        "video_url": _text(video_url, field="video_url", label="视频链接", max_length=500, required=False),
        "minutes": _minutes(minutes),
        "pass_mark": pass_mark,
    }
    if values["video_url"] and not values["video_url"].startswith("https://"):
        raise DomainError("视频链接应以 https:// 开头", field="video_url")
    if isinstance(pass_mark, bool) or not isinstance(pass_mark, int) or not 1 <= pass_mark <= 100:
        raise DomainError("及格线应为 1–100 之间的整数(百分比)", field="pass_mark")
    return values


def course_update(*, actor, course: Course, expected_updated_at=None, **fields) -> Course:
    """修改课程: the same checks as a new course; a course changed by someone else since the form was opened is
    refused rather than overwritten (compare-and-set on `updated_at`). Records already kept stay as they were."""
    _require_manage(actor, course.community_id)
    values = _course_fields(**{k: fields.get(k, getattr(course, k)) for k in EDITABLE})
    changes = {FIELD_LABELS[k]: [str(getattr(course, k)), str(v)] for k, v in values.items() if getattr(course, k) != v}
    if not changes:
        return course
    now = timezone.now()
    try:
        with transaction.atomic():
            rows = Course.objects.filter(pk=course.pk)
            if expected_updated_at is not None:
                rows = rows.filter(updated_at=expected_updated_at)
            if rows.update(**values, updated_at=now) != 1:
                raise Conflict("课程刚被他人修改,请刷新后再改")
            audit_record(
                actor=actor,
                action="learning.course_update",
                target=course,
                summary=f"修改课程《{values['title']}》",
                changes={k: v if k != "学习内容" else ["…", "…"] for k, v in changes.items()},
            )
    except IntegrityError as exc:
        raise Conflict("本社区已有同名课程", field="title") from exc
    course.refresh_from_db()
    return course


def course_publish(*, actor, course: Course, published: bool) -> Course:
    """发布 / 停止发布: an unpublished course leaves members' lists, the station and 我的事项; its records stay."""
    _require_manage(actor, course.community_id)
    published = bool(published)
    with transaction.atomic():
        if (
            Course.objects.filter(pk=course.pk, published=not published).update(
                published=published, updated_at=timezone.now()
            )
            != 1
        ):
            raise Conflict("课程已是该状态,请刷新后查看")
        audit_record(
            actor=actor,
            action="learning.course_publish" if published else "learning.course_unpublish",
            target=course,
            summary=f"{'发布' if published else '停止发布'}课程《{course.title}》",
            changes={"已发布": ["否" if published else "是", "是" if published else "否"]},
        )
    course.refresh_from_db()
    return course


def document_add(*, actor, course: Course, upload) -> CourseDocument:
    _require_manage(actor, course.community_id)
    content_type = validate_upload(upload)
    name = (getattr(upload, "name", "") or "资料")[-200:]
    with transaction.atomic():
        doc = CourseDocument(
            community_id=course.community_id, course=course, name=name, content_type=content_type, size=upload.size
        )
        doc.file.save("x", upload, save=False)
        doc.save()
        audit_record(actor=actor, action="learning.document_add", target=course, summary=f"《{course.title}》添加资料")
    return doc


def question_add(*, actor, course: Course, text: str, choices: list, answer: int) -> Question:
    """A quiz question; `answer` counts the choices from 1, as the form shows them."""
    _require_manage(actor, course.community_id)
    text = _text(text, field="text", label="题目", max_length=300)
    if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
        raise DomainError("选项应为文字", field="choices")
    choices = [_text(c, field="choices", label="选项", max_length=100) for c in choices if c.strip()]
    if not 2 <= len(choices) <= MAX_CHOICES:
        raise DomainError(f"每题 2–{MAX_CHOICES} 个选项", field="choices")
    if len(set(choices)) != len(choices):
        raise DomainError("选项不能重复", field="choices")
    if isinstance(answer, bool) or not isinstance(answer, int) or not 1 <= answer <= len(choices):
        raise DomainError(f"正确选项应为 1–{len(choices)} 之间的序号", field="answer")
    with transaction.atomic():
        count = course.questions.count()
        if count >= MAX_QUESTIONS:
            raise DomainError(f"每门课最多 {MAX_QUESTIONS} 道题", field="text")
        position = (course.questions.aggregate(m=Max("position"))["m"] or 0) + 1
        try:
            with transaction.atomic():
                question = Question.objects.create(
                    course=course, position=position, text=text, choices=choices, answer=answer - 1
                )
        except IntegrityError as exc:
            raise Conflict("别人刚刚也添加了题目,请刷新后再试") from exc
        audit_record(
            actor=actor, action="learning.question_add", target=course, summary=f"《{course.title}》添加测验题"
        )
    return question


def quiz_score(questions, answers) -> tuple[int, int]:
    """(right answers, percent score) of `answers` (0-based choice per question, in the questions' order)."""
    questions = list(questions)
    if not questions:
        return 0, 0
    if not isinstance(answers, (list, tuple)) or len(answers) != len(questions):
        raise DomainError(f"请回答全部 {len(questions)} 道题", field="answers")
    right = 0
    for question, given in zip(questions, answers, strict=True):
        if isinstance(given, bool) or not isinstance(given, int) or not 0 <= given < len(question.choices):
            raise DomainError("答案应为所选选项的序号", field="answers")
        right += given == question.answer
    return right, round(right * 100 / len(questions))


# ---- assignments ---------------------------------------------------------------------------------------------------


def assignment_create(
    *, actor, course: Course, due_on: datetime.date, org: PartyOrg | None = None, member=None, now=None
) -> Assignment:
    """Set a course for an organisation (its members and those below it) or for one member, due by `due_on`."""
    _require_manage(actor, course.community_id)
    today = timezone.localdate(now or timezone.now())
    if (org is None) == (member is None):
        raise DomainError("请选择布置给一个党组织或一名党员", field="org")
    if not isinstance(due_on, datetime.date) or due_on < today:
        raise DomainError("截止日期不能早于今天", field="due_on")
    if due_on > today + datetime.timedelta(days=366):
        raise DomainError("截止日期应在一年之内", field="due_on")
    if org is not None and org.community_id != course.community_id:
        raise DomainError("只能布置给本社区的党组织", field="org")
    if member is not None and (member.community_id != course.community_id or not member.active):
        raise DomainError("只能布置给本社区在册的党员", field="member")
    target = org.name if org is not None else member.resident.name
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(
                community_id=course.community_id,
                course=course,
                org=org,
                member=member,
                due_on=due_on,
                assigned_by=actor,
            )
            audit_record(
                actor=actor,
                action="learning.assign",
                target=course,
                summary=f"《{course.title}》布置给{target},{due_on:%Y-%m-%d}前完成",
            )
            notify(
                _member_users(org=org, member=member),
                title=f"灯塔加油站:请在{due_on.month}月{due_on.day}日前学习《{course.title}》"[:100],
            )
    except IntegrityError as exc:
        raise Conflict(f"《{course.title}》已经布置给{target}", field="org" if org else "member") from exc
    return assignment


def _member_users(*, org=None, member=None) -> list:
    members = PartyMember.objects.filter(active=True, resident__status=ResidentStatus.ACTIVE)
    members = members.filter(org_id__in=subtree_ids([org.pk])) if org is not None else members.filter(pk=member.pk)
    return list(
        User.objects.filter(role=Role.RESIDENT, is_active=True, resident_id__in=members.values("resident_id")).order_by(
            "id"
        )
    )


# ---- study records -------------------------------------------------------------------------------------------------


def study_record(
    *,
    actor,
    member: PartyMember,
    course: Course,
    minutes: int,
    completed: bool = True,
    answers=None,
    session: StudySession | None = None,
    nonce: str | None = None,
    now=None,
) -> StudyRecord:
    """One occasion of study. On the phone a member records their own; at the station the tutor records it for an
    attendee of the open session. A course with a quiz is completed only by passing it."""
    now = now or timezone.now()
    if session is None:
        if not rules.record_is_own(actor, member) or not member.active:
            raise PermissionDenied("只能登记自己的学习")
    else:
        if not rules.session_can_run(actor, session):
            raise PermissionDenied("只有本社区辅导员可以在进行中的到站学习登记")
        if not Attendance.objects.filter(session=session, member=member).exists():
            raise DomainError("该党员还没有在本次学习签到", field="member")
    if course.community_id != member.community_id or not course.published:
        raise NotFound("没有找到该课程")
    minutes = _minutes(minutes)
    questions = list(course.questions.order_by("position", "id"))
    score = passed = None
    if questions:
        if answers is None:
            if completed:
                raise DomainError("这门课需要答题及格才算学完", field="answers")
        else:
            _, score = quiz_score(questions, answers)
            passed = score >= course.pass_mark
            completed = passed
    elif answers:
        raise DomainError("这门课没有测验题", field="answers")
    try:
        with transaction.atomic():
            record = StudyRecord.objects.create(
                community_id=member.community_id,
                grid_id=member.grid_id,
                member=member,
                course=course,
                channel=Channel.STATION if session is not None else Channel.PHONE,
                session=session,
                studied_at=now,
                minutes=minutes,
                completed=bool(completed),
                score=score,
                passed=passed,
                recorded_by=actor,
                nonce=nonce,
            )
            audit_record(
                actor=actor,
                action="learning.study",
                target=record,
                summary=f"《{course.title}》{minutes} 分钟" + (",已学完" if completed else ""),
                now=now,
            )
    except IntegrityError as exc:
        raise Conflict("这次学习已经登记过了") from exc
    return record


# ---- on-site sessions ----------------------------------------------------------------------------------------------


def session_start(*, actor, place: str, now=None) -> StudySession:
    if not rules.session_can_start(actor):
        raise PermissionDenied("只有辅导员可以开始到站学习")
    place = _text(place, field="place", label="地点", max_length=100)
    now = now or timezone.now()
    with transaction.atomic():
        session = StudySession.objects.create(community_id=actor.community_id, tutor=actor, place=place, started_at=now)
        audit_record(actor=actor, action="learning.session_start", target=session, summary=f"{place}到站学习开始")
    return session


def session_end(*, actor, session: StudySession, now=None) -> StudySession:
    if not rules.session_can_run(actor, session):
        raise PermissionDenied("这次到站学习已结束,或您不是本社区的辅导员")
    now = now or timezone.now()
    with transaction.atomic():
        if not StudySession.objects.filter(pk=session.pk, ended_at__isnull=True).update(ended_at=now, updated_at=now):
            raise Conflict("这次到站学习已经结束")
        session.ended_at = now
        audit_record(actor=actor, action="learning.session_end", target=session, summary=f"{session.place}到站学习结束")
    return session


def _on_roll(community_id: int):
    return PartyMember.objects.filter(
        community_id=community_id, active=True, resident__status=ResidentStatus.ACTIVE
    ).select_related("resident", "org")


def member_by_phone(community_id: int, phone: str) -> PartyMember:
    phone = (phone or "").strip() if isinstance(phone, str) else ""
    if not (len(phone) == 11 and phone.isascii() and phone.isdigit()):
        raise DomainError("请输入 11 位手机号", field="phone")
    found = list(_on_roll(community_id).filter(resident__phone=phone)[:2])
    if len(found) != 1:
        raise DomainError("没有找到用这个手机号登记的本社区党员", field="phone")
    return found[0]


def member_by_id_tail(community_id: int, name: str, id_tail: str) -> PartyMember:
    """Name and the last four characters of the ID number, both: a tail alone would list strangers' names."""
    name = (name or "").strip() if isinstance(name, str) else ""
    tail = (id_tail or "").strip().upper() if isinstance(id_tail, str) else ""
    if not name or len(name) > 50:
        raise DomainError("请输入党员姓名", field="name")
    if not (len(tail) == 4 and tail.isascii() and (tail.isdigit() or (tail[:3].isdigit() and tail[3] == "X"))):
        raise DomainError("请输入身份证号后四位(最后一位可为X)", field="id_tail")
    found = list(_on_roll(community_id).filter(resident__name=name, resident__id_tail=tail)[:2])
    if len(found) != 1:
        raise DomainError("姓名与身份证后四位对不上,请核对,或改用手机号、签到码", field="id_tail")
    return found[0]


def member_by_code(session: StudySession, code: str, now) -> PartyMember:
    """The member whose phone shows this code; the code is used up. Wrong codes are counted per session."""
    code = (code or "").strip() if isinstance(code, str) else ""
    if StudySession.objects.filter(pk=session.pk, failed_codes__gte=MAX_FAILED_CODES).exists():
        raise DomainError("签到码输错次数过多,请改用手机号或姓名+身份证后四位签到", field="code")
    row = None
    if len(code) == CODE_LENGTH and code.isascii() and code.isdigit():
        row = SignInCode.objects.filter(community_id=session.community_id, code=code, expires_at__gt=now).first()
    # Used once: of two tutors typing the same code, one signs the member in. Used up means expired a day ago, so
    # a desk whose clock read a moment earlier cannot still see it alive.
    used = now - datetime.timedelta(days=1)
    if row is None or not SignInCode.objects.filter(pk=row.pk, expires_at__gt=now).update(expires_at=used):
        StudySession.objects.filter(pk=session.pk).update(failed_codes=F("failed_codes") + 1)
        raise DomainError("签到码不正确或已过期,请让党员在手机上刷新签到码", field="code")
    member = _on_roll(session.community_id).filter(pk=row.member_id).first()
    if member is None:
        raise DomainError("该党员不在本社区党员名册中", field="code")
    return member


def attendee_sign_in(
    *, actor, session: StudySession, method: str, phone="", name="", id_tail="", code="", now=None
) -> Attendance:
    if not rules.session_can_run(actor, session):
        raise PermissionDenied("这次到站学习已结束,或您不是本社区的辅导员")
    now = now or timezone.now()
    if method == SignInMethod.PHONE:
        member = member_by_phone(session.community_id, phone)
    elif method == SignInMethod.ID_TAIL:
        member = member_by_id_tail(session.community_id, name, id_tail)
    elif method == SignInMethod.CODE:
        member = member_by_code(session, code, now)
    else:
        raise DomainError("请选择签到方式", field="method")
    if Attendance.objects.filter(session=session, member=member).exists():
        raise Conflict(f"{member.resident.name}已经签到过了")
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(
                community_id=session.community_id,
                session=session,
                member=member,
                method=method,
                signed_in_at=now,
                signed_in_by=actor,
            )
            audit_record(
                actor=actor,
                action="learning.sign_in",
                target=session,
                summary=f"{member.resident.name}签到({attendance.get_method_display()})",
                now=now,
            )
    except IntegrityError as exc:
        raise Conflict(f"{member.resident.name}已经签到过了") from exc
    attendance.member = member
    return attendance


def signin_code_issue(*, member: PartyMember, now=None) -> SignInCode:
    """The code the member's phone shows: the live one while it has time left, else a fresh one."""
    now = now or timezone.now()
    row = SignInCode.objects.filter(member=member).first()
    if row is not None and row.expires_at > now + CODE_RENEW_BEFORE:
        return row
    for _ in range(8):
        code = f"{secrets.randbelow(10**CODE_LENGTH):0{CODE_LENGTH}d}"
        try:
            with transaction.atomic():
                if row is None:
                    row = SignInCode.objects.create(
                        community_id=member.community_id, member=member, code=code, expires_at=now + CODE_TTL
                    )
                else:
                    SignInCode.objects.filter(pk=row.pk).update(code=code, expires_at=now + CODE_TTL)
                    row.code, row.expires_at = code, now + CODE_TTL
            return row
        except IntegrityError:
            row = SignInCode.objects.filter(member=member).first()
            continue
    raise Conflict("暂时无法生成签到码,请稍后再试")

"""Demo of the learning station in the showcase community, through the services with `now=`: three courses (two
with a quiz), assigned to the community committee and to a grid branch, some members' study on the phone, and one
past on-site session with the demo tutor. The demo's elderly party members have courses due, so the tutor's
journey (sign in, record) has something to record."""

import datetime

from django.utils import timezone

from jumin.core.errors import DomainError
from jumin.core.models import Role, User
from jumin.party.models import OrgLevel, PartyMember, PartyOrg
from jumin.people.models import ELDERLY_AGE

from .models import SignInMethod
from .services import (
    assignment_create,
    attendee_sign_in,
    course_create,
    question_add,
    session_end,
    session_start,
    study_record,
)

TUTOR_PHONE = "13900000014"
# The demo elder (13900000010) keeps everything due: the tutor journey signs them in and records it.
ELDER_PHONE = "13900000010"
SESSION_SIZE = 12

COURSES = [
    {
        "title": "党章学习",
        "summary": "逐章学习《中国共产党章程》,了解党员的义务和权利",
        "body": (
            "《中国共产党章程》是党的根本大法。\n\n"
            "一、党员必须履行的义务:认真学习党的路线方针政策;贯彻执行党的基本路线;坚持党和人民的利益高于一切;"
            "自觉遵守党的纪律;维护党的团结和统一;切实开展批评和自我批评;密切联系群众;发扬社会主义新风尚。\n\n"
            "二、党员享有的权利:参加党的有关会议,阅读党的有关文件,接受党的教育和培训;在党的会议上参加讨论;"
            "对党的工作提出建议和倡议;行使表决权、选举权,有被选举权。\n\n"
            "三、按时交纳党费、参加组织生活,是每一名党员的基本要求。"
        ),
        "minutes": 40,
        "quiz": [
            ("党章是党的什么?", ["根本大法", "一般规定", "工作手册"], 1),
            ("党员应当按时参加什么?", ["组织生活", "体育比赛", "商业活动"], 1),
            ("下列哪一项是党员的权利?", ["在党的会议上参加讨论", "不交党费", "不参加组织生活"], 1),
        ],
        "to": "committee",
        "due_days": 21,
    },
    {
        "title": "二十大精神",
        "summary": "学习党的二十大报告的主要内容",
        "body": "党的二十大报告全面总结了新时代十年的伟大变革,擘画了以中国式现代化全面推进中华民族伟大复兴的宏伟蓝图。",
        "video_url": "https://www.xuexi.cn/",
        "minutes": 60,
        "quiz": [],
        "to": "committee",
        "due_days": 10,
    },
    {
        "title": "反诈知识",
        "summary": "识别常见电信网络诈骗,守好老年人的钱袋子",
        "body": (
            "常见骗局:冒充公检法、冒充客服退款、“保健品”讲座、投资理财高回报、冒充子女借钱。\n\n"
            "记住“三不一多”:未知链接不点击、陌生来电不轻信、个人信息不透露、转账汇款多核实。\n\n"
            "遇到可疑情况,拨打 96110 反诈专线咨询,或到社区找网格员。"
        ),
        "minutes": 20,
        "quiz": [
            (
                "陌生人打电话说您的账户涉嫌洗钱,要求转账到“安全账户”,应当怎么做?",
                ["立即挂断并报警", "按要求转账", "告诉对方银行卡密码"],
                1,
            ),
            ("反诈专线的电话号码是?", ["96110", "12345", "10086"], 1),
        ],
        "to": "grid",
        "due_days": -5,
    },
]


def _cutoff(today: datetime.date) -> datetime.date:
    return datetime.date(today.year - ELDERLY_AGE, today.month, min(today.day, 28))


def demo_learning(community, rng, now) -> str:
    secretary = User.objects.filter(role=Role.SECRETARY, community=community, is_active=True).order_by("id").first()
    tutor = User.objects.filter(phone=TUTOR_PHONE, role=Role.TUTOR, community=community).first()
    committee = PartyOrg.objects.filter(level=OrgLevel.COMMUNITY_COMMITTEE, community=community).first()
    if secretary is None or committee is None:
        return "没有社区书记账号或社区党委,跳过"
    today = timezone.localdate(now)
    grid_branch = (
        PartyOrg.objects.filter(level=OrgLevel.GRID_BRANCH, community=community).order_by("grid__number").first()
    )
    made = []
    for n, spec in enumerate(COURSES):
        course = course_create(
            actor=secretary,
            community=community,
            title=spec["title"],
            summary=spec["summary"],
            body=spec["body"],
            video_url=spec.get("video_url", ""),
            minutes=spec["minutes"],
            now=now - datetime.timedelta(days=40 - n),
        )
        for text, choices, answer in spec["quiz"]:
            question_add(actor=secretary, course=course, text=text, choices=choices, answer=answer)
        org = committee if spec["to"] == "committee" or grid_branch is None else grid_branch
        # Assigned a month ago, so a due date may have passed by now (反诈知识 is overdue for its branch).
        assigned_at = now - datetime.timedelta(days=30)
        assignment_create(
            actor=secretary,
            course=course,
            org=org,
            due_on=today + datetime.timedelta(days=spec["due_days"]),
            now=assigned_at,
        )
        made.append(course)

    members = list(
        PartyMember.objects.filter(community=community, active=True).select_related("resident", "org").order_by("id")
    )
    # Members with a login study on the phone (the first course, some the second too).
    accounts = {
        u.resident_id: u
        for u in User.objects.filter(
            role=Role.RESIDENT, is_active=True, resident_id__in=[m.resident_id for m in members]
        )
    }
    cutoff = _cutoff(today)
    phone_records = 0
    for m in members:
        actor = accounts.get(m.resident_id)
        if actor is None or actor.phone == ELDER_PHONE:
            continue
        when = now - datetime.timedelta(days=rng.randint(1, 20), hours=rng.randint(0, 8))
        study_record(actor=actor, member=m, course=made[0], minutes=rng.randint(25, 50), answers=[0, 0, 0], now=when)
        phone_records += 1

    attendees = 0
    if tutor is not None:
        held = now - datetime.timedelta(days=7)
        held = held.replace(hour=9, minute=0)
        session = session_start(actor=tutor, place="玉龙湖服务站灯塔加油站学习室", now=held)
        # Older members signed in by the phone number the register has for them.
        demo_elder = {r for r, u in accounts.items() if u.phone == ELDER_PHONE}
        elderly = [
            m
            for m in members
            if m.resident.birth_date <= cutoff and m.resident.phone and m.resident_id not in demo_elder
        ]
        for m in elderly:
            if attendees >= SESSION_SIZE:
                break
            at = held + datetime.timedelta(minutes=5 * attendees)
            try:
                attendee_sign_in(
                    actor=tutor, session=session, method=SignInMethod.PHONE, phone=m.resident.phone, now=at
                )
            except DomainError:  # a phone number shared in the household: the tutor would ask for the ID tail
                continue
            k = attendees
            study_record(actor=tutor, member=m, course=made[0], session=session, minutes=45, answers=[0, 0, 0], now=at)
            if k % 2 == 0:
                study_record(actor=tutor, member=m, course=made[2], session=session, minutes=20, answers=[0, 0], now=at)
            attendees += 1
        session_end(actor=tutor, session=session, now=held + datetime.timedelta(hours=2))
    return f"{len(made)} 门课程,手机学习 {phone_records} 次,到站学习 1 次({attendees} 名老党员)"

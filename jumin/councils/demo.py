"""5+5 demo: the ten bodies of the community with members (fictional residents from the demo register), a few
meetings and activities, through the services."""

import datetime

from django.utils import timezone

from jumin.core.models import Role, User
from jumin.people.models import Resident, ResidentStatus

from . import services
from .models import CouncilMember, MemberRole

ACTIVITIES = {
    "weddings_funerals": ("婚事新办倡议签名", "组织新人签订婚事新办承诺书"),
    "culture_sports": ("广场舞展演", "八支广场舞队同台展演"),
    "harmony": ("邻里议事茶话会", "化解两起楼道堆物纠纷"),
    "civility": ("文明家庭评选", "评出年度文明家庭十户"),
    "youth": ("暑期托管班", "为双职工家庭子女开设暑期托管"),
    "deliberation": ("议事厅开放日", "居民代表旁听协调会"),
    "volunteering": ("楼道清扫日", "志愿者清扫楼道"),
    "compound_board": ("小区理事会换届", "各小区推选理事"),
    "residents_committee": ("居委会例会", "通报上月工作"),
    "oversight": ("公开栏更新", "公布表决结果和资金使用"),
}


def demo_councils(community, rng, now):
    secretary = User.objects.filter(role=Role.SECRETARY, community=community).order_by("id").first()
    if secretary is None:
        return "5+5 自治组织:没有社区书记账号,跳过"
    councils = services.councils_ensure(community)
    if CouncilMember.objects.filter(community=community).exists():
        return "5+5 自治组织:已存在"
    pool = list(
        Resident.objects.filter(
            community=community, status=ResidentStatus.ACTIVE, birth_date__lte=datetime.date(1990, 1, 1)
        )
        .order_by("id")
        .values_list("id", flat=True)[:400]
    )
    picks = rng.sample(pool, min(len(pool), 7 * len(councils)))
    residents = {r.pk: r for r in Resident.objects.filter(pk__in=picks)}
    start = (now - datetime.timedelta(days=400)).date()
    members = 0
    for i, council in enumerate(councils):
        chosen = [residents[p] for p in picks[i * 7 : (i + 1) * 7] if p in residents]
        for j, resident in enumerate(chosen):
            role = MemberRole.CHAIR if j == 0 else MemberRole.VICE if j == 1 else MemberRole.MEMBER
            services.member_add(
                actor=secretary,
                council=council,
                resident=resident,
                role=role,
                term_start=start,
                term_end=start + datetime.timedelta(days=3 * 365),
            )
            members += 1
        for k in range(2):
            held = now - datetime.timedelta(days=30 * (k + 1) + rng.randint(0, 10))
            services.meeting_record(
                actor=secretary,
                council=council,
                held_at=held,
                topic=f"{council.name}第{2 - k}季度例会",
                minutes="通报近期工作,商议下阶段安排。",
                attendees=chosen[: rng.randint(3, len(chosen))] if chosen else [],
            )
        title, summary = ACTIVITIES.get(council.code, ("例行活动", "组织居民参加"))
        services.activity_record(
            actor=secretary,
            council=council,
            held_on=(now - datetime.timedelta(days=rng.randint(3, 60))).date(),
            title=title,
            summary=summary,
            participants=rng.randint(15, 120),
        )
    return f"5+5 自治组织:{len(councils)} 个组织,{members} 位成员"


__all__ = ["demo_councils", "timezone"]

"""玉龙湖 demo for the deliberation hall: proposals in every stage, one ballot open with a few hundred votes
(online, paper and proxy), one closed and in its publicity period, and the ten compounds' charters adopted by
ballot. Stage moves, ballots, paper votes and proxies go through the services with `now=`; supports and online
votes of residents who have no login are written as rows (they could not press a button)."""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import connection
from django.db.models import prefetch_related_objects

from jumin.core.models import Role, User
from jumin.people.models import Household, Resident, ResidentStatus
from jumin.places.models import Compound, Dwelling, DwellingOwner

from . import services
from .models import Channel, DeliberationSettings, Elector, Proposal, ProposalSupport, Upload, Vote

LETTER = b"%PDF-1.4\n% demo proxy letter\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

PROPOSALS = [
    # (title, text, category, stage)
    (
        "南门停车位重新划线",
        "南门外停车位线已经磨没了,车辆乱停堵住消防通道,建议重新划线并增设访客车位。",
        "parking",
        "implementing",
    ),
    ("老旧楼栋加装电梯", "3号楼、5号楼住着很多老人,爬楼困难,希望加装电梯,费用按楼层分摊。", "facility", "voting"),
    ("物业费调整方案", "物业公司提出物业费由每平方米0.6元调整为0.8元,增加保洁和安保人员。", "property", "publicity"),
    ("广场健身器材维修", "中心广场的健身器材有三件损坏,存在安全隐患,请尽快维修。", "facility", "done"),
    ("楼道声控灯更换", "多个单元楼道声控灯不亮,晚上上下楼看不清,希望统一更换为感应灯。", "facility", "discussing"),
    ("垃圾分类亭选址", "垃圾分类亭离住户窗户太近,夏天有异味,建议挪到北侧空地。", "environment", "coordinating"),
    ("广场舞音响音量限制", "晚上广场舞音响声音太大,影响临街住户休息,建议限时限音量。", "other", "rejected"),
    ("南门停车乱,请划车位", "南门口车停得乱七八糟,希望划停车位。", "parking", "merge"),
]


def _day(now, days, hour=19):
    return (now - datetime.timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


def _supports(proposal, residents, when):
    rows = [
        ProposalSupport(community_id=proposal.community_id, proposal=proposal, resident=r, household_id=r.household_id)
        for r in residents
        if r.pk != proposal.proposer_resident_id
    ]
    ProposalSupport.objects.bulk_create(rows, ignore_conflicts=True)
    ProposalSupport.objects.filter(proposal=proposal).update(created_at=when)
    count = ProposalSupport.objects.filter(proposal=proposal).count()
    Proposal.objects.filter(pk=proposal.pk).update(support_count=count)


def _online_votes(ballot, electors, rng, when, weights=(0.7, 0.2, 0.1)):
    codes = list(ballot.options.values_list("code", flat=True))
    rows = []
    for e in electors:
        choice = rng.choices(codes, weights=weights[: len(codes)])[0]
        rows.append(
            Vote(
                community_id=ballot.community_id,
                ballot=ballot,
                elector=e,
                channel=Channel.ONLINE,
                choices=[choice],
                voter_id=e.resident_id,
            )
        )
    Vote.objects.bulk_create(rows, ignore_conflicts=True)
    Vote.objects.filter(ballot=ballot, channel=Channel.ONLINE).update(created_at=when)


def _paper_votes(ballot, staff, electors, rng, when, weights=(0.7, 0.2, 0.1)):
    codes = list(ballot.options.values_list("code", flat=True))
    # Online votes need only the ids; the few paper votes read their voter (one query for the slice).
    prefetch_related_objects([ballot], "options")
    prefetch_related_objects(electors, "resident")
    for e in electors:
        services.paper_vote_enter(
            actor=staff,
            ballot=ballot,
            elector=e,
            choices=[rng.choices(codes, weights=weights[: len(codes)])[0]],
            now=when,
        )


def _floor_areas(community, rng):
    pks = list(Dwelling.objects.filter(community=community, floor_area__isnull=True).values_list("pk", flat=True))
    # One prepared UPDATE run per row (executemany): bulk_update's CASE … WHEN over 3,000 rows cost 2 s of CPU.
    field = Dwelling._meta.get_field("floor_area")
    rows = [(field.get_db_prep_save(Decimal(rng.randrange(5800, 14200)) / 100, connection), pk) for pk in pks]
    table, column, key = (
        connection.ops.quote_name(n) for n in (Dwelling._meta.db_table, field.column, Dwelling._meta.pk.column)
    )
    with connection.cursor() as cursor:
        sql = f"UPDATE {table} SET {column} = %s WHERE {key} = %s"  # noqa: S608 - names come from the model
        cursor.executemany(sql, rows)


def _owners(community):
    """The demo register has no owners: each lived-in dwelling gets its first household's head as owner, so the
    第278条 ballot has a roll of 专有部分 and the heads can vote as owners."""
    have = DwellingOwner.objects.filter(community=community).values("dwelling_id")
    heads = (
        Household.objects.filter(community=community)
        .exclude(dwelling_id__in=have)
        .order_by("dwelling_id", "id")
        .values_list("dwelling_id", "head_name")
    )
    rows, seen = [], set()
    for dwelling_id, name in heads:
        if dwelling_id not in seen and name:
            seen.add(dwelling_id)
            rows.append(DwellingOwner(community=community, dwelling_id=dwelling_id, name=name))
    DwellingOwner.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)


def _letter(staff, community):
    row = Upload(
        community=community, name="委托书.pdf", content_type="application/pdf", size=len(LETTER), uploaded_by=staff
    )
    row.file.save("letter.pdf", ContentFile(LETTER), save=False)
    row.save()
    return row


def demo_deliberation(community, rng, now):
    secretary = User.objects.filter(role=Role.SECRETARY, community=community).order_by("id").first()
    staff = User.objects.filter(role=Role.WINDOW_STAFF, community=community).order_by("id").first() or secretary
    if secretary is None:
        return "没有社区书记账号,跳过"
    if Proposal.objects.filter(community=community).exists():
        return "已存在"
    DeliberationSettings.objects.get_or_create(community=community)
    _floor_areas(community, rng)
    _owners(community)
    # The demo's resident logins (…10 elderly, …11) keep their own votes and supports for people to try.
    logins = list(
        User.objects.filter(role=Role.RESIDENT, is_active=True, resident__community=community)
        .select_related("resident")
        .order_by("-resident__birth_date", "id")
    )
    keep_free = {u.resident.household_id for u in logins}
    residents = list(
        Resident.objects.filter(
            community=community, status=ResidentStatus.ACTIVE, birth_date__lte=datetime.date(2000, 1, 1)
        )
        .exclude(household_id__in=keep_free)
        .order_by("id")[:3000]
    )
    compounds = list(Compound.objects.filter(community=community).order_by("name"))
    made = {}
    for i, (title, text, category, stage) in enumerate(PROPOSALS):
        start = _day(now, 90 - i * 6)
        compound = compounds[i % len(compounds)] if category in ("parking", "environment") else None
        proposal = services.proposal_create(
            actor=secretary, title=title, text=text, category=category, compound=compound, now=start
        )
        proposer = rng.choice(residents)
        Proposal.objects.filter(pk=proposal.pk).update(proposer_resident=proposer)
        proposal.refresh_from_db()
        _supports(proposal, rng.sample(residents, rng.randint(12, 40)), start + datetime.timedelta(days=1))
        made[stage] = proposal
    services.proposal_merge(actor=secretary, duplicate=made["merge"], target=made["implementing"], now=_day(now, 40))
    for stage in ("coordinating", "voting", "publicity", "implementing", "done", "rejected"):
        p = made[stage]
        p.refresh_from_db()
        services.proposal_start_coordination(
            actor=secretary, proposal=p, note="附议人数已达到,安排协调会", now=_day(now, 60 - len(stage))
        )
        if stage == "rejected":
            services.proposal_reject(
                actor=secretary,
                proposal=p,
                note="经协调,已由文体娱乐理事会与舞队约定时间音量,无需表决",
                now=_day(now, 50),
            )
            continue
        services.meeting_record(
            actor=secretary,
            proposal=p,
            held_at=_day(now, 55 - len(stage)),
            place="社区居民议事厅",
            parties="物业公司、小区理事会、居民代表、共建单位",
            attendance="应到 12 人,实到 11 人",
            minutes="各方介绍情况,讨论费用和施工安排,形成初步方案。",
            now=_day(now, 55 - len(stage)),
        )
        services.proposal_set_plan(
            actor=secretary,
            proposal=p,
            plan=f"关于“{p.title}”的实施方案:由物业公司组织实施,费用从小区公共收益中列支,实施过程在公开栏公示。",
            now=_day(now, 50 - len(stage)),
        )
    lines = []
    # 实施 and 完成: ballots long closed and final, then progress.
    for stage, days in (("done", 45), ("implementing", 35)):
        p = made[stage]
        ballot = services.ballot_create(
            actor=secretary,
            proposal=p,
            question=f"是否同意:{p.title}",
            closes_at=_day(now, days - 5),
            quorum="0.3",
            now=_day(now, days),
        )
        electors = list(Elector.objects.filter(ballot=ballot).order_by("id"))
        rng.shuffle(electors)
        share = int(len(electors) * 0.4)
        _online_votes(ballot, electors[:share], rng, _day(now, days - 2))
        _paper_votes(ballot, staff, electors[share : share + 40], rng, _day(now, days - 2))
        services.ballots_sync(community_ids=[community.pk], now=_day(now, days - 14))
        p.refresh_from_db()
        spent = [Decimal("3200.00"), Decimal("1860.50")] if stage == "implementing" else [Decimal("4500.00")]
        for k, amount in enumerate(spent):
            services.proposal_report_progress(
                actor=secretary,
                proposal=p,
                text=f"第{k + 1}阶段施工完成,现场已验收。",
                amount=amount,
                now=_day(now, days - 16 - k * 5),
            )
        if stage == "done":
            services.proposal_complete(
                actor=secretary,
                proposal=p,
                final_report="器材已全部维修并通过验收,费用 4,500 元。",
                now=_day(now, days - 25),
            )
    # 公示期: a property-fee ballot under 民法典 第278条, closed two days ago.
    p = made["publicity"]
    ballot = services.ballot_create(
        actor=secretary,
        proposal=p,
        question="是否同意物业费调整方案",
        rule="civil_code_278",
        closes_at=_day(now, 2),
        now=_day(now, 12),
    )
    electors = list(Elector.objects.filter(ballot=ballot).order_by("id"))
    rng.shuffle(electors)
    _online_votes(ballot, electors[: int(len(electors) * 0.62)], rng, _day(now, 5), weights=(0.64, 0.3, 0.06))
    _paper_votes(ballot, staff, electors[int(len(electors) * 0.62) : int(len(electors) * 0.69)], rng, _day(now, 4))
    lines.append(f"公示中表决 {Vote.objects.filter(ballot=ballot).count()} 票")
    # 表决中: the lift ballot, open for another five days; a few hundred votes on three channels.
    p = made["voting"]
    ballot = services.ballot_create(
        actor=secretary,
        proposal=p,
        question="是否同意老旧楼栋加装电梯方案",
        closes_at=now + datetime.timedelta(days=5),
        quorum="0.5",
        secret=True,
        now=now - datetime.timedelta(days=2),
    )
    electors = [e for e in Elector.objects.filter(ballot=ballot).order_by("id") if e.household_id not in keep_free]
    rng.shuffle(electors)
    _online_votes(ballot, electors[:180], rng, now - datetime.timedelta(days=1))
    _paper_votes(ballot, staff, electors[180:300], rng, now - datetime.timedelta(hours=20))
    holder = logins[0].resident if logins else None  # the youngest login holds two proxies
    proxied = 0
    if holder is not None:
        for e in electors[300:302]:
            grantor = (
                Resident.objects.filter(
                    household_id=e.household_id, status=ResidentStatus.ACTIVE, birth_date__lte=datetime.date(1990, 1, 1)
                )
                .order_by("id")
                .first()
            )
            if grantor is None:
                continue
            proxy = services.proxy_grant(
                actor=staff,
                ballot=ballot,
                grantor=grantor,
                holder=holder,
                letter=_letter(staff, community),
                now=now - datetime.timedelta(hours=10),
            )
            services.proxy_verify(actor=staff, proxy=proxy, approve=True)
            proxied += 1
        holder_user = logins[0]
        first = ballot.proxies.order_by("id").first()
        if holder_user is not None and first is not None:
            # The demo resident …11 has cast one of the two votes entrusted to them; the other is still to do.
            services.proxy_vote(actor=holder_user, proxy=first, choices=["yes"], now=now - datetime.timedelta(hours=5))
    lines.append(f"投票中表决 {Vote.objects.filter(ballot=ballot).count()} 票,委托 {proxied} 份")
    _charters(community, secretary, staff, compounds, rng, now)
    services.ballots_sync(community_ids=[community.pk], now=now)
    lines.append(f"{len(compounds)} 个小区公约")
    return f"{len(PROPOSALS)} 个议题;" + ";".join(lines)


CHARTER = (
    "第一条 本公约由{name}全体住户共同制定,经本小区住户表决通过后施行。\n"
    "第二条 爱护小区公共设施,不私搭乱建,不占用消防通道。\n"
    "第三条 机动车按划定车位停放,非机动车进棚充电,严禁飞线充电。\n"
    "第四条 垃圾分类投放,不高空抛物。\n"
    "第五条 邻里和睦,发生矛盾先协商,协商不成可申请社区调解。\n"
    "第六条 小区公共收益的使用,每季度在公开栏公示。"
)
POWERS = "小区理事会:组织停车管理和公共收益使用的议事\n物业公司:执行公约约定的服务事项\n居民监督:查阅公共收益账目"


def _charters(community, secretary, staff, compounds, rng, now):
    for i, compound in enumerate(compounds):
        version = services.charter_draft(
            actor=secretary,
            compound=compound,
            text=CHARTER.format(name=compound.name),
            powers=POWERS,
            change_note="首次制定",
            now=_day(now, 200),
        )
        ballot = services.charter_put_to_vote(
            actor=secretary, version=version, closes_at=_day(now, 190 - i), quorum="0.5", now=_day(now, 197 - i)
        )
        electors = list(Elector.objects.filter(ballot=ballot).order_by("id"))
        rng.shuffle(electors)
        share = int(len(electors) * 0.58)
        _online_votes(ballot, electors[:share], rng, _day(now, 193 - i), weights=(0.86, 0.09, 0.05))
        _paper_votes(ballot, staff, electors[share : share + 12], rng, _day(now, 193 - i), weights=(0.86, 0.09, 0.05))
    services.ballots_sync(community_ids=[community.pk], now=_day(now, 170))
    first = compounds[0]
    version = services.charter_draft(
        actor=secretary,
        compound=first,
        text=CHARTER.format(name=first.name) + "\n第七条 饲养宠物须文明牵绳,及时清理粪便。",
        powers=POWERS,
        change_note="增加文明养宠条款",
        now=_day(now, 120),
    )
    ballot = services.charter_put_to_vote(
        actor=secretary, version=version, closes_at=_day(now, 110), quorum="0.5", now=_day(now, 117)
    )
    electors = list(Elector.objects.filter(ballot=ballot))
    _online_votes(ballot, electors[: int(len(electors) * 0.6)], rng, _day(now, 114), weights=(0.8, 0.15, 0.05))
    services.ballots_sync(community_ids=[community.pk], now=_day(now, 90))

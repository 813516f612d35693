"""Demo 家庭代工: 5 factories (the demo factory contact 13900000007 runs the first), work orders open, fully
claimed and closed, about 60 residents' claims with materials, hand-ins, inspections and payments — all through
the services, as window staff at the counter would record them."""

import datetime

from django.db.models import prefetch_related_objects
from faker import Faker

from jumin.core.errors import DomainError
from jumin.core.models import Role, User
from jumin.people.models import Resident, ResidentTag

from . import services
from .models import WorkClaim

FACTORIES = [
    ("华兴手工艺品厂", "串珠手链、中国结"),
    ("北镇纺织加工厂", "毛衣缝扣、线头修剪"),
    ("滨湖电子配件厂", "线束插接、端子压接"),
    ("福顺包装制品厂", "纸盒折叠、礼品袋穿绳"),
    ("利民玩具厂", "毛绒玩具缝合、填充"),
]
# (factory index, item, quantity, unit pay, tags, max per resident, deadline days, end state)
ORDERS = [
    (0, "手工串珠手链", 2000, "0.80", ["laid_off", "low_income"], 200, 20, "open"),
    (0, "中国结编织", 300, "2.50", ["laid_off", "caregiver"], 30, 15, "full"),
    (1, "毛衣缝扣", 1500, "0.30", ["laid_off", "caregiver", "low_income"], 300, 10, "open"),
    (2, "线束插接", 1000, "0.50", ["laid_off"], 100, 12, "open"),
    (3, "礼品纸盒折叠", 3000, "0.12", [], 500, 25, "open"),
    (4, "毛绒玩具填充", 400, "1.20", ["caregiver", "low_income"], 40, 5, "closed"),
]
MATERIALS = {"手工串珠手链": "珠子、弹力线(按件数配好)", "毛衣缝扣": "毛衣半成品、纽扣、针线"}


def demo_piecework(community, rng, now) -> str:
    fake = Faker("zh_CN")
    fake.seed_instance(rng.randint(0, 10**9))
    staff = (
        User.objects.filter(community=community, role__in=services.MANAGE_ROLES, is_active=True)
        .order_by("role", "id")
        .first()
    )
    if staff is None:
        return "没有窗口工作人员账号,跳过家庭代工演示数据"
    today = now.date()
    contact = (
        User.objects.filter(role=Role.FACTORY_CONTACT, community=community, factory__isnull=True, is_active=True)
        .order_by("phone")
        .first()
    )
    factories = [
        services.factory_register(
            actor=staff,
            name=name,
            products=products,
            contact_name=contact.name if index == 0 and contact else fake.name(),
            contact_phone=contact.phone if index == 0 and contact else f"13{fake.numerify('#########')}",
            address=f"北镇工业园{index + 1}号",
            user=contact if index == 0 else None,
        )
        for index, (name, products) in enumerate(FACTORIES)
    ]
    people = list(
        Resident.objects.active()
        .filter(community=community, resident_tags__tag__code__in=["laid_off", "low_income", "caregiver"])
        .aged_at_least(18, today)
        .aged_below(70, today)
        .distinct()
        .order_by("id")[:400]
    )
    # One read of the candidates' tags for every order (the eligibility rule takes them as `tag_ids`).
    held = {p.pk: set() for p in people}
    for resident_id, tag_id in ResidentTag.objects.filter(resident__in=people).values_list("resident_id", "tag_id"):
        held[resident_id].add(tag_id)
    claims = 0
    for f, item, quantity, pay, tags, limit, days, end in ORDERS:
        order = services.workorder_post(
            actor=staff,
            factory=factories[f],
            item=item,
            quantity=quantity,
            unit_pay=pay,
            deadline=today + datetime.timedelta(days=days),
            eligible_tags=tags,
            max_per_resident=limit,
            min_age=18,
            materials=MATERIALS.get(item, "工厂提供全部原材料"),
            quality_standard="按样品做,尺寸误差不超过 2 毫米,无污渍、无线头",
            pickup_place="玉龙湖服务站一楼代工点",
            today=today,
        )
        prefetch_related_objects([order], "eligible_tags")
        candidates = [p for p in people if services.resident_is_eligible(order, p, today, tag_ids=held[p.pk])]
        rng.shuffle(candidates)
        wanted = 10 if end == "full" else rng.randint(8, 12)
        for resident in candidates[:wanted]:
            if order.remaining == 0:
                break
            size = limit if end == "full" else rng.randint(max(1, limit // 4), limit)
            size = min(size, order.remaining, limit)
            try:
                claim = services.claim_take(actor=staff, order=order, quantity=size, resident=resident, today=today)
            except DomainError:
                continue
            claims += 1
            _work(claim, staff, rng, now)
        if end == "closed":
            services.workorder_close(actor=staff, order=order, reason="工厂提前收单")
    return f"{len(factories)} 家工厂,{len(ORDERS)} 个代工订单,{claims} 份认领"


def _work(claim: WorkClaim, staff, rng, now) -> None:
    """Carry a claim to a random point: only claimed, materials out, some batches in, inspected, paid, cancelled."""
    stage = rng.choices(["claimed", "materials", "partial", "inspected", "paid", "cancelled"], [2, 2, 2, 2, 5, 1])[0]
    if stage == "cancelled":
        services.claim_cancel(actor=staff, claim=claim, reason="家里有事,做不了了")
        return
    if stage == "claimed":
        return
    services.claim_hand_out_materials(actor=staff, claim=claim, note="原材料已点清")
    if stage == "materials":
        return
    batches = [claim.held // 2, claim.held - claim.held // 2] if stage != "partial" else [max(1, claim.held // 3)]
    for pieces in batches:
        if pieces <= 0:
            continue
        handin = services.handin_record(actor=staff, claim=claim, pieces=pieces)
        if stage == "partial":
            return
        rejected = rng.choice([0, 0, 0, 1, 2]) if pieces > 2 else 0
        services.handin_inspect(
            actor=staff,
            handin=handin,
            accepted=pieces - rejected,
            rejected=rejected,
            reason="尺寸不合格" if rejected else "",
            now=now,
        )
    if stage == "paid":
        claim.refresh_from_db()
        services.claim_pay(
            actor=staff,
            claim=claim,
            method=rng.choice(["cash", "transfer"]),
            reference=f"ZZ{rng.randint(10**9, 10**10 - 1)}",
            now=now,
        )

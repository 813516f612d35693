"""Demo 便民服务队 for a community: 20 vendors in 6 categories (most approved, some waiting, one refused, one
suspended after poor ratings), about 90 orders in every state over two months, ratings on the finished ones.
The demo vendor account (13900000006) runs 玉龙湖家电维修部 and has orders waiting for it; the demo resident
13900000011 has one finished order to rate and one waiting. Orders are written with cases.demo.demo_case, so
history and timestamps are consistent; no real names (Faker zh_CN)."""

import datetime
from decimal import Decimal

from faker import Faker

from jumin.cases.demo import demo_case
from jumin.core.models import Role, User
from jumin.people.models import Resident

from . import kind as k
from .models import Category, OfferKind, ServiceOrder, Slot, Vendor, VendorRating, VendorStatus
from .services import cn_date, household_address, satisfaction_for

DEMO_RESIDENT_PHONE = "13900000011"
ORDERS = 90
SPAN_DAYS = 60

# (name, category, offer: discount percent or None for a price list, status)
VENDORS = [
    ("玉龙湖家电维修部", Category.APPLIANCE, 80, VendorStatus.APPROVED),
    ("安心家政服务中心", Category.HOUSEKEEPING, 85, VendorStatus.APPROVED),
    ("巧手月嫂家政", Category.HOUSEKEEPING, 90, VendorStatus.APPROVED),
    ("邻里家政服务社", Category.HOUSEKEEPING, None, VendorStatus.APPROVED),
    ("暖阳养老护理家政", Category.HOUSEKEEPING, 88, VendorStatus.PENDING),
    ("洁净之家保洁", Category.CLEANING, 80, VendorStatus.APPROVED),
    ("亮晶晶保洁服务", Category.CLEANING, None, VendorStatus.APPROVED),
    ("清风油烟机清洗", Category.CLEANING, 75, VendorStatus.SUSPENDED),
    ("老马水电维修", Category.REPAIR, None, VendorStatus.APPROVED),
    ("顺达管道疏通", Category.REPAIR, 85, VendorStatus.APPROVED),
    ("宏达门窗维修", Category.REPAIR, 90, VendorStatus.APPROVED),
    ("诚信防水补漏", Category.REPAIR, 80, VendorStatus.REFUSED),
    ("平安开锁换锁", Category.LOCKSMITH, None, VendorStatus.APPROVED),
    ("金钥匙开锁服务", Category.LOCKSMITH, 88, VendorStatus.APPROVED),
    ("110备案开锁部", Category.LOCKSMITH, 90, VendorStatus.PENDING),
    ("好帮手家电清洗", Category.APPLIANCE, 85, VendorStatus.APPROVED),
    ("小李空调安装维修", Category.APPLIANCE, None, VendorStatus.APPROVED),
    ("蚂蚁搬家服务", Category.MOVING, 90, VendorStatus.APPROVED),
    ("顺心搬家公司", Category.MOVING, None, VendorStatus.APPROVED),
    ("邻家小件搬运", Category.MOVING, 85, VendorStatus.APPROVED),
]
PRICE_LISTS = {
    Category.HOUSEKEEPING: "日常保洁 35 元/小时\n做饭 40 元/次\n陪护老人 150 元/天",
    Category.CLEANING: "开荒保洁 6 元/平方米\n擦玻璃 5 元/平方米\n油烟机清洗 80 元/台",
    Category.REPAIR: "疏通下水道 60 元\n更换水龙头 30 元(不含材料)\n电路检修 50 元起",
    Category.LOCKSMITH: "开门锁 50 元\n换锁芯 80 元(含C级锁芯)\n开保险柜 150 元",
    Category.APPLIANCE: "空调清洗 60 元/台\n洗衣机清洗 50 元/台\n上门检测 20 元",
    Category.MOVING: "小件搬运 80 元起\n同小区搬家 300 元起\n钢琴搬运 400 元",
}
JOBS = {
    Category.HOUSEKEEPING: ("每周两次打扫卫生", "老人白天需要人照看做饭", "年前大扫除"),
    Category.CLEANING: ("新房开荒保洁,90平米", "擦窗户,三室一厅", "油烟机清洗"),
    Category.REPAIR: ("厨房水龙头漏水", "卫生间下水道堵了", "客厅灯不亮,开关可能坏了", "阳台推拉门卡住"),
    Category.LOCKSMITH: ("钥匙锁屋里了,急", "换防盗门锁芯", "老人家门锁不好开"),
    Category.APPLIANCE: ("空调不制冷", "洗衣机脱水有异响", "热水器打不着火", "冰箱清洗除味"),
    Category.MOVING: ("从5楼搬到本小区2楼", "搬一个旧衣柜下楼", "搬家,一室一厅的东西"),
}
DECLINE_REASONS = ("当天已约满,请改约其他时间", "超出服务范围", "需要的配件暂时缺货")
CANCEL_REASONS = ("问题自己解决了", "家里临时有事", "改约其他商家")
COMMENTS = {
    "good": ("师傅很专业,收费也实在", "准时上门,干活利索", "比外面便宜不少", ""),
    "poor": ("迟到了一个多小时", "活干得马马虎虎", "说好的优惠没给"),
}
# Statuses the orders end in, with weights.
PATHS = [
    (k.RATED, 40),
    (k.DONE, 12),
    (k.PLACED, 10),
    (k.ACCEPTED, 8),
    (k.VISITING, 5),
    (k.DECLINED, 5),
    (k.CANCELLED, 5),
]


def _vendors(community, fake, demo_user):
    vendors = []
    for index, (name, category, discount, status) in enumerate(VENDORS):
        vendor = Vendor.objects.create(
            community=community,
            user=demo_user if index == 0 else None,
            name=name,
            category=category,
            contact_name=fake.name(),
            contact_phone=f"13{fake.numerify('#########')}",
            service_area=f"{community.name}各小区,上门服务",
            offer_kind=OfferKind.DISCOUNT if discount else OfferKind.PRICE_LIST,
            discount_percent=discount,
            price_list=PRICE_LISTS[category],
            offer_note="凭社区居民身份享受" if discount else "价目表即居民优惠价",
            status=status,
            status_reason={
                VendorStatus.REFUSED: "营业执照经营范围不含防水工程,请补充资质后重新申请",
                VendorStatus.SUSPENDED: "近期多次差评(迟到、未按优惠收费),暂停接单整改",
            }.get(status, ""),
        )
        vendors.append(vendor)
    return vendors


def _path(status, created_at, rng, vendor_user):
    """Statuses after 已下单 up to `status`, with offsets and comments."""
    h = datetime.timedelta(hours=1)
    steps = {
        k.PLACED: [],
        k.ACCEPTED: [(k.ACCEPTED, h * rng.randint(1, 5), "已接单")],
        k.DECLINED: [(k.DECLINED, h * rng.randint(1, 5), rng.choice(DECLINE_REASONS))],
        k.CANCELLED: [(k.CANCELLED, h * rng.randint(1, 20), rng.choice(CANCEL_REASONS))],
    }
    if status in steps:
        return steps[status]
    path = [(k.ACCEPTED, h * rng.randint(1, 5), "已接单"), (k.VISITING, h * rng.randint(20, 50), "师傅已上门")]
    if status == k.VISITING:
        return path
    path.append((k.DONE, h * rng.randint(51, 54), ""))
    if status == k.RATED:
        path.append((k.RATED, h * rng.randint(60, 90), ""))
    return path


def _order(*, vendor, resident, status, created_at, rng, today):
    category = Category(vendor.category)
    job = rng.choice(JOBS[category])
    window = created_at.date() + datetime.timedelta(days=rng.randint(1, 3))
    if status in (k.PLACED, k.ACCEPTED):
        window = max(window, today + datetime.timedelta(days=rng.randint(0, 3)))
    slot = rng.choice(Slot.values)
    address = household_address(resident)
    list_price = charged = None
    path = _path(status, created_at, rng, vendor.user)
    if status in (k.DONE, k.RATED):
        list_price = Decimal(rng.choice((50, 60, 80, 120, 150, 200, 300)))
        charged = vendor.discounted(list_price)
        path[2] = (k.DONE, path[2][1], f"服务完成,原价 {list_price} 元,{vendor.offer_label},实收 {charged} 元。")
    scores, comment = None, ""
    if status == k.RATED:
        poor = vendor.status == VendorStatus.SUSPENDED or rng.random() < 0.1
        scores = [rng.randint(1, 3) if poor else rng.randint(4, 5) for _ in range(3)]
        comment = rng.choice(COMMENTS["poor" if poor else "good"])
        path[-1] = (k.RATED, path[-1][1], comment)
    rating = None
    if scores:
        rating = (satisfaction_for(Decimal(sum(scores)) / 3), comment)
    case = demo_case(
        kind=k.KIND,
        resident=resident,
        title=f"{category.label}:{vendor.name}",
        body=f"{job}\n上门时间:{cn_date(window)} {Slot(slot).label}\n服务地址:{address}",
        created_at=created_at,
        path=path,
        worker=vendor.user,
        raised_by=getattr(resident, "demo_user", None),
        rating=rating,
    )
    order = ServiceOrder.objects.create(
        case=case,
        community_id=case.community_id,
        vendor=vendor,
        window_date=window,
        window_slot=slot,
        address=address,
        contact_phone=resident.phone or "13800000000",
        list_price=list_price,
        charged=charged,
        completed_at=created_at + path[2][1] if charged is not None else None,
    )
    if scores:
        VendorRating.objects.create(
            community_id=case.community_id,
            order=order,
            vendor=vendor,
            rated_by=getattr(resident, "demo_user", None),
            price=scores[0],
            punctuality=scores[1],
            quality=scores[2],
            comment=comment,
        )
        VendorRating.objects.filter(order=order).update(created_at=created_at + path[-1][1])
    return order


def demo_vendors(community, rng, now) -> str:
    fake = Faker("zh_CN")
    fake.seed_instance(rng.randint(0, 10**9))
    # The demo vendor account (13900000006) is the community's vendor login with no business yet.
    demo_user = (
        User.objects.filter(role=Role.VENDOR, community=community, vendor__isnull=True, is_active=True)
        .order_by("phone")
        .first()
    )
    vendors = _vendors(community, fake, demo_user)
    serving = [v for v in vendors if v.status in (VendorStatus.APPROVED, VendorStatus.SUSPENDED)]
    people = list(
        Resident.objects.active()
        .filter(community=community, relationship__in=["head", "spouse"])
        .select_related("household__dwelling")
        .order_by("id")[:2000]
    )
    if not people or not serving:
        return "没有居民或商家,跳过便民服务演示数据"
    today = now.date()
    statuses = [s for s, w in PATHS for _ in range(w)]
    count = 0
    for _ in range(ORDERS):
        vendor = rng.choice(serving)
        status = rng.choice(statuses)
        if vendor.status == VendorStatus.SUSPENDED:
            status = k.RATED
        days = rng.randint(0, 3) if status in (k.PLACED, k.ACCEPTED, k.VISITING) else rng.randint(4, SPAN_DAYS)
        created_at = now - datetime.timedelta(days=days, hours=rng.randint(1, 10))
        _order(vendor=vendor, resident=rng.choice(people), status=status, created_at=created_at, rng=rng, today=today)
        count += 1
    count += _showcase(vendors[0], now, rng, today)
    suspended = [v.pk for v in vendors if v.status == VendorStatus.SUSPENDED]
    Vendor.objects.filter(pk__in=suspended).update(flagged_at=now - datetime.timedelta(days=3))
    return f"{len(vendors)} 家商家,{count} 个服务订单"


def _showcase(vendor, now, rng, today) -> int:
    """The demo vendor gets new work; the demo resident an order to rate and one waiting."""
    user = User.objects.filter(phone=DEMO_RESIDENT_PHONE, role=Role.RESIDENT).select_related("resident").first()
    count = 0
    others = list(Resident.objects.active().filter(community=vendor.community_id).order_by("-id")[:3])
    for index, resident in enumerate(others):
        status = (k.PLACED, k.ACCEPTED, k.VISITING)[index]
        _order(
            vendor=vendor,
            resident=resident,
            status=status,
            created_at=now - datetime.timedelta(hours=5 + index),
            rng=rng,
            today=today,
        )
        count += 1
    if user is not None and user.resident and user.resident.community_id == vendor.community_id:
        resident = user.resident
        resident.demo_user = user
        for status, hours in ((k.DONE, 80), (k.PLACED, 2)):
            _order(
                vendor=vendor,
                resident=resident,
                status=status,
                created_at=now - datetime.timedelta(hours=hours),
                rng=rng,
                today=today,
            )
            count += 1
    return count

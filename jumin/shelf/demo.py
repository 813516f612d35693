"""Demo 便民生活服务直通车: 320 goods from 渤海义工 and two other suppliers at factory price on 336 slots (12 shelves
of 28; a few favourites take two), among them 洗衣粉 500 g at 0.92 元 against 1.30 元 in the market; stock in one
or two batches; and three months of residents' orders through the services with `now=` — picked, delivered
(free for 60+), handed over and paid, some cancelled, the newest still waiting. The catalogue goes in by bulk
insert (it is data entry, not a rule); every order goes through order_place and the steps after it."""

import datetime
from decimal import Decimal

from django.utils import timezone

from jumin.core.errors import DomainError
from jumin.core.models import Role, User
from jumin.people.models import Resident

from . import selectors, services
from .models import Batch, Category, Movement, MovementKind, PaymentMethod, Product, Slot, Supplier

PRODUCTS = 320
SLOTS = 336
ORDERS = 120
DAYS = 90
SUPPLIERS = [("渤海义工", 0.8), ("北镇粮油站", 0.12), ("滨城日化批发部", 0.08)]
WASHING_POWDER = ("洗衣粉", "500 g", Category.CLEANING, Decimal("0.92"), Decimal("1.30"))
# (category, names, specs, factory price range in fen)
GOODS = [
    (
        Category.CLEANING,
        ["洗衣粉", "洗衣液", "洗洁精", "肥皂", "消毒液", "洁厕灵", "去污粉", "衣领净"],
        ["500 g", "1 kg", "2 kg", "1.5 L", "4 块"],
        (90, 1800),
    ),
    (
        Category.GRAIN,
        ["大米", "面粉", "挂面", "花生油", "大豆油", "小米", "玉米面", "绿豆"],
        ["1 kg", "2.5 kg", "5 kg", "1.8 L", "5 L"],
        (300, 6000),
    ),
    (
        Category.SEASONING,
        ["食盐", "酱油", "香醋", "白糖", "料酒", "蚝油", "鸡精", "花椒"],
        ["400 g", "500 mL", "800 mL", "1 kg", "100 g"],
        (100, 1500),
    ),
    (
        Category.DAILY,
        ["牙刷", "毛巾", "垃圾袋", "保鲜膜", "衣架", "拖把", "电池", "蜡烛"],
        ["1 支", "2 条", "3 卷", "30 m", "10 个"],
        (150, 2500),
    ),
    (
        Category.PAPER,
        ["卷纸", "抽纸", "湿巾", "厨房纸", "手帕纸"],
        ["10 卷", "3 包", "80 片", "2 卷", "10 包"],
        (250, 2200),
    ),
    (
        Category.DRINK,
        ["纯牛奶", "豆奶粉", "芝麻糊", "茶叶", "麦片", "矿泉水"],
        ["250 mL×12", "500 g", "400 g", "250 g", "1 kg", "550 mL×12"],
        (500, 4000),
    ),
    (
        Category.SNACK,
        ["饼干", "桃酥", "花生", "瓜子", "红枣", "挂面饼"],
        ["400 g", "500 g", "250 g", "1 kg"],
        (300, 2000),
    ),
    (
        Category.PERSONAL,
        ["牙膏", "洗发水", "沐浴露", "香皂", "护手霜", "花露水"],
        ["120 g", "400 mL", "750 mL", "3 块", "50 g", "195 mL"],
        (300, 3000),
    ),
]
BRANDS = ["", "鲁滨", "渤海", "北镇", "黄河口", "滨州", "玉龙"]
FOOD = {Category.GRAIN, Category.SEASONING, Category.DRINK, Category.SNACK}
PLACES = ["北镇大润发", "滨城银座超市", "北镇农贸市场", "玉龙湖便利店"]


def _catalogue(community, keeper, rng, now) -> list[Product]:
    today = timezone.localdate(now)
    suppliers = [Supplier.objects.get_or_create(community=community, name=name)[0] for name, _ in SUPPLIERS]
    weights = [w for _, w in SUPPLIERS]
    seen = set()
    rows = [(*WASHING_POWDER, suppliers[0])]
    seen.add((WASHING_POWDER[0], WASHING_POWDER[1]))
    while len(rows) < PRODUCTS:
        category, names, specs, (low, high) = rng.choice(GOODS)
        name = f"{rng.choice(BRANDS)}{rng.choice(names)}"
        spec = rng.choice(specs)
        if (name, spec) in seen:
            continue
        seen.add((name, spec))
        factory = Decimal(rng.randint(low, high)) / 100
        market = (factory * Decimal(rng.uniform(1.15, 1.6))).quantize(Decimal("0.01"))
        rows.append((name, spec, category, factory, market, rng.choices(suppliers, weights)[0]))
    products = Product.objects.bulk_create(
        [
            Product(
                community=community,
                supplier=supplier,
                name=name,
                spec=spec,
                category=category,
                barcode=f"69{community.pk % 100:02d}{n:09d}",
                factory_price=factory,
                market_price=market,
                market_checked_where=rng.choice(PLACES),
                market_checked_on=today - datetime.timedelta(days=rng.randint(3, 40)),
                low_stock=5,
            )
            for n, (name, spec, category, factory, market, supplier) in enumerate(rows)
        ]
    )
    products = list(Product.objects.filter(community=community).order_by("id"))
    # Every product on a slot, shelf by shelf in category order; the first few favourites take a second slot.
    services.slots_ensure(community, SLOTS)
    ordered = sorted(products, key=lambda p: (p.category, p.name))
    placement = ordered + ordered[: SLOTS - len(ordered)]
    slots = list(Slot.objects.filter(community=community).order_by("number"))
    for slot, product in zip(slots, placement, strict=False):
        slot.product = product
    Slot.objects.bulk_update(slots, ["product"])
    received = now - datetime.timedelta(days=DAYS + 5)
    batches = []
    for p in products:
        for _ in range(rng.choice([1, 1, 2])):
            quantity = rng.randint(25, 90) if p.name != WASHING_POWDER[0] else 200
            expires = today + datetime.timedelta(days=rng.randint(20, 300)) if p.category in FOOD else None
            batches.append(
                Batch(
                    product=p,
                    received_on=timezone.localdate(received),
                    expires_on=expires,
                    quantity=quantity,
                    remaining=quantity,
                    received_by=keeper,
                )
            )
    batches = Batch.objects.bulk_create(batches)
    stock = {}
    for b in batches:
        stock[b.product_id] = stock.get(b.product_id, 0) + b.quantity
    for p in products:
        p.stock = stock[p.pk]
    Product.objects.bulk_update(products, ["stock"])
    Movement.objects.bulk_create(
        [
            Movement(
                community=community,
                product_id=b.product_id,
                batch=b,
                kind=MovementKind.STOCK_IN,
                quantity=b.quantity,
                actor=keeper,
                at=received,
            )
            for b in batches
        ]
    )
    return products


def demo_shelf(community, rng, now) -> str:
    keeper = (
        User.objects.filter(community=community, is_active=True, role__in=[Role.WINDOW_STAFF, Role.SECRETARY])
        .order_by("-role", "id")
        .first()
    )
    if keeper is None:
        return "没有窗口工作人员账号,跳过直通车演示数据"
    services.settings_for(community)
    products = _catalogue(community, keeper, rng, now)
    washing = next(p for p in products if (p.name, p.spec) == WASHING_POWDER[:2])
    logins = list(Resident.objects.filter(community=community, user__role=Role.RESIDENT).order_by("id"))
    ids = list(Resident.objects.active().filter(community=community).order_by("id").values_list("id", flat=True))
    sample = rng.sample(ids, min(len(ids), 150))
    buyers = list(Resident.objects.filter(pk__in=sample).select_related("household__dwelling").order_by("id"))
    buyers = [r for r in buyers if r.pk not in {x.pk for x in logins}] + logins
    deliverers = selectors.deliverers_for(community.pk) or [keeper]
    favourites = rng.sample(products, 40) + [washing] * 6
    start = now - datetime.timedelta(days=DAYS)
    placed = cancelled = delivered = 0
    for n in range(ORDERS):
        at = start + datetime.timedelta(minutes=int(n * DAYS * 24 * 60 / ORDERS) + rng.randint(0, 120))
        at = at.replace(hour=rng.randint(8, 17))
        resident = logins[(n // 10) % len(logins)] if logins and n % 10 == 0 else rng.choice(buyers)
        picks = {p.pk: p for p in rng.sample(favourites, rng.randint(1, 4))}
        items = [(pk, rng.randint(1, 3)) for pk in picks]
        actor = getattr(resident, "user", None) or keeper
        try:
            order = services.order_place(
                actor=actor, resident=resident, items=items, delivery=rng.random() < 0.45, now=at
            )
        except DomainError:
            continue
        placed += 1
        age = now - at
        if age < datetime.timedelta(days=1):
            continue  # the newest wait for the keeper
        if rng.random() < 0.05:
            services.order_cancel(actor=actor, order=order, now=at + datetime.timedelta(minutes=20))
            cancelled += 1
            continue
        step = at + datetime.timedelta(hours=2)
        order = services.order_pack(actor=keeper, order=order, now=step)
        if order.delivery:
            deliverer = rng.choice(deliverers)
            order = services.order_assign(actor=keeper, order=order, deliverer=deliverer, now=step)
            step += datetime.timedelta(hours=1)
            order = services.order_hand_over(actor=deliverer, order=order, pickup_code=order.pickup_code, now=step)
            delivered += 1
        else:
            step += datetime.timedelta(hours=rng.randint(2, 20))
            order = services.order_hand_over(actor=keeper, order=order, pickup_code=order.pickup_code, now=step)
        method = PaymentMethod.CASH if rng.random() < 0.7 else PaymentMethod.EXTERNAL
        services.order_pay(
            actor=keeper,
            order=order,
            method=method,
            reference=f"WX{rng.randint(10**11, 10**12 - 1)}" if method == PaymentMethod.EXTERNAL else "",
            now=step,
        )
    return f"{len(products)} 种商品,{SLOTS} 个栏位,{placed} 张订单(送货上门 {delivered},取消 {cancelled})"

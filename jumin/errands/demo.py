"""Demo errands for a community: about 120 over six months, most collected and rated, some under way, a few
sent back with a reason. Written with core.case_demo.demo_case so history and timestamps are consistent."""

import datetime

from django.utils import timezone
from faker import Faker

from jumin.cases.demo import demo_case
from jumin.cases.models import Case
from jumin.core.models import Role, User
from jumin.core.workdays import add_working_days
from jumin.hall.models import ServiceItem
from jumin.hall.services import hall_ensure_catalogue
from jumin.people.models import Resident

from . import kind as k
from .models import CODE_LENGTH, Errand, Handover
from .services import request_body

COUNT = 120
RECEIVED_STATUSES = (k.DOCS_RECEIVED, k.SUBMITTED, k.RESULT_BACK, k.PICKED_UP)
SPAN_DAYS = 182

DEPARTMENTS = {
    1: "区民政局",
    2: "区卫生健康局",
    3: "区人力资源和社会保障局",
    4: "区市场监督管理局",
    5: "区残疾人联合会",
    6: "区退役军人事务局",
    7: "区医疗保障局",
    8: "区公共就业服务中心",
    9: "区民政局养老服务科",
    10: "街道党工委",
    11: "街道便民服务中心",
    12: "区住房和城乡建设局",
}
# Items for older residents draw from older people.
MIN_AGE = {"高龄津贴申领": 80, "老年人优待证办理": 60, "居家养老服务补贴申请": 70}
RETURN_REASONS = (
    "材料不全,请补充户口本复印件",
    "身份证已过期,请换领新证后重新申请",
    "银行卡户名与申请人不一致,请提供本人名下的银行卡",
    "经核实暂不符合申领条件,已电话向居民解释政策",
    "居民已自行到窗口办理,撤回代办申请",
)
CONTACT_NOTES = (
    "",
    "",
    "工作日白天在家",
    "下午三点以后方便接电话",
    "耳朵不太好,请多打几遍",
    "请先联系女儿,她帮忙准备材料",
    "上门收材料前请提前打电话",
    "晚上七点后方便",
)
RATING_COMMENTS = {
    "satisfied": ("不用跑腿,太方便了", "工作人员很耐心", "比预计的快", "", ""),
    "basic": ("时间稍长了点", "", "材料跑了两趟"),
    "unsatisfied": ("等的时间太长了",),
}


def demo_errands(community, rng, now) -> str:
    # Office hours are local hours: the loader passes an aware UTC `now`.
    now = timezone.localtime(now)
    hall_ensure_catalogue(community)
    items = list(
        ServiceItem.objects.filter(community=community, proxy_allowed=True, active=True).select_related("window")
    )
    workers = list(
        User.objects.filter(community=community, is_active=True, role=Role.WINDOW_STAFF).order_by("id")
    ) or list(User.objects.filter(community=community, is_active=True, role=Role.SECRETARY).order_by("id"))
    if not items or not workers:
        return f"{community.name}:没有可代办事项或窗口工作人员账号,跳过行政代办演示数据"
    people = list(Resident.objects.active().filter(community=community).order_by("id").values_list("pk", "birth_date"))
    logins = dict(
        User.objects.filter(community=community, role=Role.RESIDENT, resident__isnull=False).values_list(
            "resident_id", "pk"
        )
    )
    fake = Faker("zh_CN")
    fake.seed_instance(rng.getrandbits(32))
    open_codes = set(
        Errand.objects.filter(community=community, picked_up_at__isnull=True).values_list("pickup_code", flat=True)
    )

    plans = []
    for _ in range(COUNT):
        item = rng.choice(items)
        created = _working_time(now - datetime.timedelta(days=rng.uniform(0, SPAN_DAYS)), now, rng)
        resident_pk = _pick_resident(people, MIN_AGE.get(item.name, 18), now.date(), rng)
        plans.append((created, item, resident_pk))
    plans.sort(key=lambda p: p[0])
    residents = Resident.objects.in_bulk([p[2] for p in plans])
    users = User.objects.in_bulk(list(logins.values()))

    rows = []
    for created, item, resident_pk in plans:
        resident = residents[resident_pk]
        path, rating, picked = _path(item, resident.name, created, now, rng)
        rows.append([created, item, resident, rng.choice(workers), path, rating, picked, _request_extras(item, rng)])
    _cover_every_status(rows)

    errands = []
    for created, item, resident, worker, path, rating, picked, (note, ready, handover) in rows:
        raised_by = users.get(logins.get(resident.pk)) or worker
        case = demo_case(
            kind=k.KIND,
            resident=resident,
            title=item.name,
            body=request_body(item, ready, Handover(handover), note),
            created_at=created,
            path=path,
            worker=worker,
            raised_by=raised_by,
            rating=rating,
        )
        Case.objects.filter(pk=case.pk).update(due_at=add_working_days(created, item.time_limit_working_days))
        status = path[-1][0] if path else k.APPLIED
        code = _code(rng, open_codes if picked is None else set())
        if picked is None:
            open_codes.add(code)
        errands.append(
            Errand(
                case=case,
                community=community,
                service_item=item,
                contact_phone=resident.phone or fake.phone_number(),
                contact_note=note,
                documents_ready=ready,
                handover=handover,
                documents_received=list(item.required_documents) if status in RECEIVED_STATUSES else [],
                pickup_code=code,
                picked_up_at=picked,
                picked_up_by_name=resident.name if picked else "",
                result_note=_result_note(item) if status in (k.RESULT_BACK, k.PICKED_UP) else "",
            )
        )
    Errand.objects.bulk_create(errands)
    done = sum(1 for e in errands if e.picked_up_at)
    return f"{community.name}:行政代办 {len(errands)} 件(已领取 {done} 件)"


def _request_extras(item, rng) -> tuple[str, list[str], str]:
    """Contact note, documents ready when asking (most people have most of them), handover."""
    docs = list(item.required_documents)
    ready = docs if rng.random() < 0.6 else [d for d in docs if rng.random() < 0.5]
    handover = Handover.VISIT if rng.random() < 0.55 else Handover.WINDOW
    return rng.choice(CONTACT_NOTES), ready, handover


def _cover_every_status(rows, per_status: int = 2) -> None:
    """The hall's list should show errands in every status: while one has fewer than `per_status`, the newest
    errand that got further stops there instead (still waiting for its next step, not collected, not rated)."""
    order = [k.APPLIED, k.ACCEPTED, k.DOCS_RECEIVED, k.SUBMITTED, k.RESULT_BACK, k.PICKED_UP]

    def status(row) -> str:
        return row[4][-1][0] if row[4] else k.APPLIED

    for level, wanted in enumerate(order[:-1]):
        for row in reversed(rows):
            if sum(1 for r in rows if status(r) == wanted) >= per_status:
                break
            if status(row) in order and order.index(status(row)) > level:
                row[4] = row[4][:level]
                row[5] = row[6] = None


def _working_time(moment: datetime.datetime, now: datetime.datetime, rng) -> datetime.datetime:
    """Move a moment to office hours on a weekday, not after `now` (requests come in at the hall or by phone)."""
    moment = moment.replace(hour=rng.randint(8, 16), minute=rng.randint(0, 59), second=0, microsecond=0)
    while moment.weekday() >= 5 or moment > now:
        moment -= datetime.timedelta(days=1)
    return moment


def _office_hours(moment: datetime.datetime) -> datetime.datetime:
    """The first office-hours moment (weekdays 8:30–17:30) at or after `moment`: the hall does not work at night."""
    opening = moment.replace(hour=8, minute=30, second=0, microsecond=0)
    if moment.weekday() < 5 and opening <= moment <= moment.replace(hour=17, minute=30, second=0, microsecond=0):
        return moment
    if moment >= opening:
        opening += datetime.timedelta(days=1)
    while opening.weekday() >= 5:
        opening += datetime.timedelta(days=1)
    # Keep the minutes so steps moved to the same morning do not all read 08:30.
    return opening + datetime.timedelta(minutes=moment.minute)


def _pick_resident(people, min_age: int, today: datetime.date, rng) -> int:
    cutoff = today.replace(year=today.year - min_age) if not (today.month == 2 and today.day == 29) else today
    for _ in range(50):
        pk, birth = rng.choice(people)
        if birth <= cutoff:
            return pk
    return rng.choice(people)[0]


def _code(rng, taken: set[str]) -> str:
    while True:
        code = f"{rng.randrange(10**CODE_LENGTH):0{CODE_LENGTH}d}"
        if code not in taken:
            return code


def _result_note(item) -> str:
    return f"{item.name}已办结,请凭取件码到{item.window.number}号窗口领取"


def _path(item, name, created, now, rng):
    """The statuses this errand has reached by `now`: (path for demo_case, rating, picked-up time)."""
    hour = datetime.timedelta(hours=1)
    day = datetime.timedelta(days=1)
    steps = [
        (k.ACCEPTED, rng.uniform(0.5, 6) * hour, ""),
        (k.DOCS_RECEIVED, rng.uniform(1, 3) * day, f"已收齐材料:{'、'.join(item.required_documents)}"),
        (k.SUBMITTED, rng.uniform(0.5, 1.5) * day, f"已递交{DEPARTMENTS.get(item.window.number, '主管部门')}"),
        (k.RESULT_BACK, item.time_limit_working_days * rng.uniform(0.8, 1.4) * day, _result_note(item)),
        (k.PICKED_UP, rng.uniform(0.2, 4) * day, f"领取人:{name}"),
    ]
    returned_after = rng.choice((1, 2)) if rng.random() < 0.07 else None
    path, offset = [], datetime.timedelta()
    for index, (status, gap, comment) in enumerate(steps):
        offset = _office_hours(created + offset + gap) - created
        if created + offset > now:
            break
        if returned_after is not None and index == returned_after:
            path.append((k.RETURNED, offset, rng.choice(RETURN_REASONS)))
            break
        path.append((status, offset, comment))
    picked, rating = None, None
    if path and path[-1][0] == k.PICKED_UP:
        picked = created + path[-1][1]
        if rng.random() < 0.85:
            value = rng.choices(("satisfied", "basic", "unsatisfied"), weights=(85, 12, 3))[0]
            rating = (value, rng.choice(RATING_COMMENTS[value]))
    return path, rating, picked

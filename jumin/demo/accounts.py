"""Demo logins, one per role, and the table that tells a visitor how to sign in with them."""

import datetime
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from jumin.core.models import Role, User
from jumin.people.models import Relationship, Resident
from jumin.places.models import Community, Street

from .layout import DEMO_COMMUNITY, STREET_NAME

ELDER_PHONE = "13900000010"
RESIDENT_PHONE = "13900000011"
OTHER_COMMUNITY_PHONE = "13900000012"
# A register entry with a phone but no login, to try the activation flow with.
ACTIVATION_PHONE = "13900000013"
OTHER_COMMUNITY = "黄河社区"


class DemoError(Exception):
    """The demo cannot be loaded; the message (Chinese) says why."""


@dataclass(frozen=True)
class StaffAccount:
    phone: str
    role: str
    name: str


STAFF_ACCOUNTS = (
    StaffAccount("13900000001", Role.SECRETARY, "周丽华"),
    StaffAccount("13900000002", Role.WINDOW_STAFF, "陈晓燕"),
    StaffAccount("13900000003", Role.GRID_WORKER, "王建平"),
    StaffAccount("13900000004", Role.MEDIATOR, "赵桂芳"),
    StaffAccount("13900000005", Role.STREET_LEADER, "孙立新"),
    StaffAccount("13900000006", Role.VENDOR, "刘德胜"),
    StaffAccount("13900000007", Role.FACTORY_CONTACT, "马春梅"),
    StaffAccount("13900000008", Role.PARTY_REP, "高振国"),
    StaffAccount("13900000009", Role.PARTNER_MEMBER, "韩明远"),
    StaffAccount("13900000014", Role.TUTOR, "许文静"),
    StaffAccount("13900000015", Role.KIOSK, "玉龙湖大厅取号机"),
)
GRID_WORKER_GRIDS = (1, 2)
RESIDENT_PHONES = (ELDER_PHONE, RESIDENT_PHONE, OTHER_COMMUNITY_PHONE)
ALL_PHONES = (*(a.phone for a in STAFF_ACCOUNTS), *RESIDENT_PHONES, ACTIVATION_PHONE)


def check_demo_password_allowed() -> None:
    if not settings.ALLOW_DEMO_PASSWORD:
        raise DemoError("生产环境不允许用演示密码创建账号,已停止载入演示数据。")


def check_phones_free() -> None:
    taken = sorted(User.objects.filter(phone__in=ALL_PHONES).values_list("phone", flat=True))
    if taken:
        raise DemoError(f"演示账号的手机号已被占用:{'、'.join(taken)}")


def create_demo_accounts(*, today: datetime.date | None = None) -> None:
    """Staff of 玉龙湖, a street leader and three residents bound to register entries; all share DEMO_PASSWORD."""
    check_demo_password_allowed()
    today = today or timezone.localdate()
    password = settings.DEMO_PASSWORD
    street = Street.objects.get(name=STREET_NAME)
    home = Community.objects.get(street=street, name=DEMO_COMMUNITY)
    other = Community.objects.get(street=street, name=OTHER_COMMUNITY)

    for account in STAFF_ACCOUNTS:
        leader = account.role == Role.STREET_LEADER
        user = User.objects.create_user(
            account.phone,
            password,
            name=account.name,
            role=account.role,
            community=None if leader else home,
            street=street if leader else None,
            is_staff=account.role == Role.SECRETARY,
            is_superuser=account.role == Role.SECRETARY,
        )
        if account.role == Role.GRID_WORKER:
            user.grids.set(home.grids.filter(number__in=GRID_WORKER_GRIDS))

    in_grid1 = Resident.objects.active().filter(community=home, grid__number=1)
    # An elderly head living with family, so the household file has something to show.
    elder = (
        in_grid1.aged_at_least(60, today)
        .filter(relationship=Relationship.HEAD, household__member_count__gte=2)
        .order_by("id")
        .first()
    )
    younger = in_grid1.aged_at_least(25, today).aged_below(45, today).exclude(household=elder.household_id)
    younger = younger.filter(relationship__in=[Relationship.HEAD, Relationship.SPOUSE]).order_by("id").first()
    outsider = (
        Resident.objects.active()
        .filter(community=other, relationship=Relationship.HEAD)
        .aged_at_least(30, today)
        .aged_below(60, today)
        .order_by("id")
        .first()
    )
    pending = (
        Resident.objects.active()
        .filter(community=home, grid__number=2, relationship=Relationship.HEAD)
        .aged_at_least(30, today)
        .aged_below(55, today)
        .order_by("id")
        .first()
    )
    for phone, resident in ((ELDER_PHONE, elder), (RESIDENT_PHONE, younger), (OTHER_COMMUNITY_PHONE, outsider)):
        Resident.objects.filter(pk=resident.pk).update(phone=phone)
        User.objects.create_user(
            phone,
            password,
            name=resident.name,
            role=Role.RESIDENT,
            community_id=resident.community_id,
            resident=resident,
        )
    Resident.objects.filter(pk=pending.pk).update(phone=ACTIVATION_PHONE)


# ---- the table -----------------------------------------------------------------------------------------------------


def demo_accounts_table() -> str:
    """What `make run` prints: every demo login that exists in the database, with a note on what it can do."""
    users = {
        u.phone: u
        for u in User.objects.filter(phone__in=ALL_PHONES).select_related(
            "community", "street", "resident__household__dwelling", "resident__community"
        )
    }
    rows = []
    password = settings.DEMO_PASSWORD
    for account in STAFF_ACCOUNTS:
        if user := users.get(account.phone):
            rows.append([user.get_role_display(), user.phone, password, _staff_note(user)])
    labels = {ELDER_PHONE: "居民(60岁以上)", RESIDENT_PHONE: "居民", OTHER_COMMUNITY_PHONE: "居民(其他社区)"}
    for phone, label in labels.items():
        if (user := users.get(phone)) and user.resident:
            rows.append([label, phone, password, _resident_note(user.resident)])
    pending = Resident.objects.filter(phone=ACTIVATION_PHONE).select_related("household__dwelling").first()
    if pending and ACTIVATION_PHONE not in users:
        note = f"{pending.name},未开通账号:在「激活居民账号」页填此手机号和身份证号 {pending.id_number},由社区审核"
        rows.append(["居民(待激活)", ACTIVATION_PHONE, "—", note])
    if not rows:
        return "还没有演示账号。运行 python manage.py load_demo 载入演示数据。\n"
    return "演示账号(仅限演示数据)\n" + format_table(["角色", "手机号", "密码", "说明"], rows)


def _staff_note(user: User) -> str:
    if user.role == Role.STREET_LEADER:
        return f"{user.name} · {user.street.name}(全部社区)"
    note = f"{user.name} · {user.community.name}"
    if user.role == Role.GRID_WORKER:
        numbers = user.grids.order_by("number").values_list("number", flat=True)
        note += " " + "、".join(f"第{n}网格" for n in numbers)
    if user.is_superuser:
        note += " · 可进入 /admin/"
    return note


def _resident_note(resident: Resident) -> str:
    return f"{resident.name},{resident.age()}岁 · {resident.community.name} {resident.household.dwelling.address}"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def format_table(header: list[str], rows: list[list[str]]) -> str:
    """A plain-text table that lines up in a terminal, counting Chinese characters as two columns."""
    table = [header, *rows]
    widths = [max(_width(str(row[i])) for row in table) for i in range(len(header))]

    def line(row):
        cells = [str(cell) + " " * (w - _width(str(cell))) for cell, w in zip(row, widths, strict=True)]
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(r) for r in rows)]) + "\n"

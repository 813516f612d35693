"""Demo 好家风阅览室: 800 fictional titles (some in several copies, many donated by residents), about 250 loans
over the last four months — most returned, some out, a few overdue — holds queued on titles that are all out,
and the demo residents with loans of their own. Made through the services with `now=`."""

import datetime

from django.utils import timezone
from faker import Faker

from jumin.core.errors import DomainError
from jumin.core.models import Role, User
from jumin.people.models import Resident

from . import services
from .isbn import make13
from .models import Book

BOOKS = 800
LOANS = 250
HOLDS = 15
THEMES = [
    "家风",
    "家训",
    "孝道",
    "邻里",
    "乡愁",
    "童年",
    "岁月",
    "山河",
    "春秋",
    "书香",
    "母亲",
    "父亲",
    "故园",
    "黄河",
    "小城",
]
FORMS = ["的故事", "札记", "漫谈", "十二讲", "小史", "读本", "随笔", "家书", "百问", "记忆", "之光", "新编"]
SHELVES = [f"{row}-{n}" for row in "ABCDEF" for n in range(1, 9)]


def _titles(rng) -> list[str]:
    titles = set()
    while len(titles) < BOOKS:
        base = f"{rng.choice(THEMES)}{rng.choice(FORMS)}"
        titles.add(base if base not in titles else f"{base}(第{rng.randint(2, 5)}卷)")
    return sorted(titles)


def demo_library(community, rng, now) -> str:
    now = timezone.localtime(now)
    desk = (
        User.objects.filter(community=community, is_active=True, role__in=[Role.WINDOW_STAFF, Role.SECRETARY])
        .order_by("role", "id")
        .first()
    )
    if desk is None:
        return "没有窗口工作人员账号,跳过阅览室演示数据"
    fake = Faker("zh_CN")
    fake.seed_instance(rng.getrandbits(32))
    start = now - datetime.timedelta(days=130)
    for n, title in enumerate(_titles(rng)):
        services.book_add(
            actor=desk,
            community=community,
            title=title,
            author=fake.name(),
            isbn=make13(f"9787{community.pk % 100:02d}{n:06d}"),
            copies=rng.choice([1, 1, 1, 2, 2, 3]),
            shelf=rng.choice(SHELVES),
            donated_by=fake.name() if rng.random() < 0.4 else "",
        )
    books = list(Book.objects.filter(community=community).order_by("id"))
    # The demo logins borrow too, so a visitor signed in as them sees loans (one of them overdue, likely).
    logins = list(Resident.objects.filter(community=community, user__role=Role.RESIDENT).order_by("id"))
    # Only the 150 sampled readers are loaded (sample() picks by position, so sampling the ids picks the same people).
    ids = list(
        Resident.objects.active()
        .filter(community=community)
        .aged_at_least(8, now.date())
        .order_by("id")
        .values_list("id", flat=True)
    )
    picked = rng.sample(ids, min(len(ids), 150))
    loaded = Resident.objects.in_bulk(picked)
    readers = [loaded[pk] for pk in picked] + logins
    favourites = rng.sample(books, 40)  # some titles are read far more than others

    lent = returned = 0
    for i in range(LOANS):
        when = start + datetime.timedelta(days=i * 120 / LOANS, hours=rng.randint(9, 16))
        # The loaded row will do: the service's conditional update, not the copy counts in hand, decides a loan.
        book = rng.choice(favourites) if rng.random() < 0.5 else rng.choice(books)
        reader = rng.choice(readers)
        try:
            loan = services.loan_create(actor=desk, book=book, resident=reader, now=when)
        except DomainError:
            continue  # all out, or this reader already has it: the desk would say so too
        lent += 1
        back = when + datetime.timedelta(days=rng.randint(5, 45))
        if back < now - datetime.timedelta(days=1) and rng.random() < 0.85:
            services.loan_return(actor=desk, loan=loan, now=back)
            returned += 1

    # Holds: readers queue for titles that are all out.
    holds = 0
    for book in Book.objects.filter(community=community, available=0).order_by("id")[: HOLDS * 2]:
        for reader in rng.sample(readers, 2):
            if holds >= HOLDS:
                break
            try:
                services.hold_place(actor=desk, book=book, resident=reader, now=now)
            except DomainError:
                continue
            holds += 1
    reminded = services.loans_remind_overdue(community_id=community.pk, now=now)
    return f"{len(books)} 种图书,{lent} 次借阅({returned} 次已归还),{holds} 个预约,{reminded} 条逾期提醒"

"""Extension points. Every app plugs in from its own AppConfig.ready(): sidebar entries, resident home tiles,
capabilities, URL includes, API routers, inbox sources (我的事项), figure sources (接诉即办), household-timeline
sources, shell context and demo steps — so a new part of the platform never edits core, cases, api or config.
See docs/new-app.md."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

PILLARS = [
    ("party", "党建引领"),
    ("autonomy", "居民自治"),
    ("services", "精准服务"),
    ("sharing", "共建共享"),
    ("data", "数据"),
]


@dataclass(frozen=True)
class NavItem:
    pillar: str
    label: str
    url_name: str
    capability: str
    order: int = 100


@dataclass(frozen=True)
class ResidentTile:
    label: str
    url_name: str
    icon: str  # a name in jumin.core.templatetags.jumin.ICONS ("home", "checklist" …), drawn as inline SVG
    hint: str = ""
    order: int = 100


@dataclass(frozen=True)
class TimelineEntry:
    when: datetime
    title: str
    detail: str = ""
    source: str = ""
    url: str = ""


# A source takes (household, viewer) and returns entries with one query at most.
TimelineSource = Callable[..., list[TimelineEntry]]


@dataclass(frozen=True)
class DemoStep:
    """Adds an app's demo rows to a populated community: fn(community, rng, now) -> str (a line for the log)."""

    order: int
    label: str
    fn: Callable
    # Most steps fill only the showcase community; catalogues every community needs set this.
    every_community: bool = False


@dataclass(frozen=True)
class UrlInclude:
    """A URLconf module mounted at `prefix` ("" for apps whose patterns carry their own paths)."""

    module: str
    prefix: str = ""


@dataclass(frozen=True)
class ApiRouter:
    """A django-ninja Router mounted under /api/v1/<prefix>."""

    router: object
    prefix: str = "/"


@dataclass(frozen=True)
class InboxEntry:
    """One request a resident made, in 我的事项, whatever module holds it (a case, a ticket, an order, a loan…)."""

    when: datetime
    source: str  # the module's label: 社情民意, 取号, 直通车订单 …
    title: str
    status_label: str
    url: str
    is_open: bool
    number: str = ""
    # Ended with a result the resident got (办结, 已领取): the inbox ticks these, not cancelled or returned ones.
    done: bool = False


@dataclass(frozen=True)
class InboxSource:
    """`entries(user, limit)` returns the user's newest `limit` entries (one query); `count(user)` how many in all."""

    code: str
    label: str
    entries: Callable[..., list[InboxEntry]]
    count: Callable[..., int]
    order: int = 100


@dataclass(frozen=True)
class FigureRow:
    """Counts behind the 接诉即办 rates for one kind of request: response, resolution and satisfaction."""

    code: str
    label: str
    total: int = 0
    due_response: int = 0
    responded: int = 0
    resolved: int = 0
    overdue: int = 0
    rated: int = 0
    satisfied: int = 0


@dataclass(frozen=True)
class FigureSource:
    """`rows(scope, now)` returns FigureRows for the requests of a scope, a constant number of queries."""

    code: str
    label: str
    rows: Callable[..., list[FigureRow]]
    order: int = 100


@dataclass(frozen=True)
class DeskItem:
    """A line of "today" on an office role's 工作台: `count(user, scope)` (one query) and where it leads."""

    label: str
    count: Callable[..., int]
    url: str  # a path, with its query string where it opens a filtered list
    capability: str
    order: int = 100
    # Shown as needing attention (overdue, waiting too long) when the count is not zero.
    urgent: bool = False


@dataclass(frozen=True)
class Job:
    """Work that runs by the clock (reminders the day before, expiries): `run(now)` returns one line in Chinese
    saying what it did. It must be safe to run twice — `manage.py run_jobs` from cron starts it when `every` has
    passed since its last start (jumin/core/jobs.py)."""

    code: str
    label: str
    run: Callable[[datetime], str]
    every: timedelta
    order: int = 100


@dataclass
class Registry:
    nav: list[NavItem] = field(default_factory=list)
    tiles: list[ResidentTile] = field(default_factory=list)
    timeline_sources: list[TimelineSource] = field(default_factory=list)
    # The models the timeline sources read: the database moves the "timeline" data version on every write to them.
    timeline_models: list = field(default_factory=list)
    demo_steps: list[DemoStep] = field(default_factory=list)
    capabilities: dict[str, frozenset[str]] = field(default_factory=dict)
    url_includes: list[UrlInclude] = field(default_factory=list)
    api_routers: list[ApiRouter] = field(default_factory=list)
    inbox_sources: list[InboxSource] = field(default_factory=list)
    figure_sources: list[FigureSource] = field(default_factory=list)
    # fn(request) -> dict merged into every template's context (e.g. the unread count in the header).
    shell_context: list[Callable] = field(default_factory=list)
    desk_items: list[DeskItem] = field(default_factory=list)
    # Where a role lands after login when it is neither office nor resident (vendor, factory, kiosk …).
    role_homes: dict[str, str] = field(default_factory=dict)
    jobs: list[Job] = field(default_factory=list)


registry = Registry()


def register_nav(item: NavItem) -> None:
    if item.pillar not in dict(PILLARS):
        raise ValueError(f"unknown pillar {item.pillar}")
    if item not in registry.nav:
        registry.nav.append(item)


def register_tile(tile: ResidentTile) -> None:
    if tile not in registry.tiles:
        registry.tiles.append(tile)


def register_timeline_source(source: TimelineSource, *, models=()) -> None:
    """`source(household, viewer)` gives entries for the household file; `models` are every model it reads, so a
    cached file (people.views) shows any write to them at once (core.dataversion, version "timeline")."""
    if source not in registry.timeline_sources:
        registry.timeline_sources.append(source)
    registry.timeline_models.extend(m for m in models if m not in registry.timeline_models)


def register_demo_step(step: DemoStep) -> None:
    if step not in registry.demo_steps:
        registry.demo_steps.append(step)


def register_capability(code: str, roles) -> None:
    """Which roles hold a capability. An app registers its own; registering the same code twice must agree."""
    roles = frozenset(roles)
    if registry.capabilities.get(code, roles) != roles:
        raise ValueError(f"capability {code} registered twice with different roles")
    registry.capabilities[code] = roles


def register_urls(module: str, prefix: str = "") -> None:
    include = UrlInclude(module, prefix)
    if include not in registry.url_includes:
        registry.url_includes.append(include)


def register_api_router(router, prefix: str = "/") -> None:
    if all(r.router is not router for r in registry.api_routers):
        registry.api_routers.append(ApiRouter(router, prefix))


def register_inbox_source(source: InboxSource) -> None:
    if all(s.code != source.code for s in registry.inbox_sources):
        registry.inbox_sources.append(source)
        registry.inbox_sources.sort(key=lambda s: s.order)


def register_figure_source(source: FigureSource) -> None:
    if all(s.code != source.code for s in registry.figure_sources):
        registry.figure_sources.append(source)
        registry.figure_sources.sort(key=lambda s: s.order)


def register_shell_context(fn: Callable) -> None:
    if fn not in registry.shell_context:
        registry.shell_context.append(fn)


def register_desk_item(item: DeskItem) -> None:
    if item not in registry.desk_items:
        registry.desk_items.append(item)
        registry.desk_items.sort(key=lambda i: i.order)


def register_role_home(role: str, url_name: str) -> None:
    """The page a role opens after login (a vendor's orders, the kiosk's ticket screen); `me` otherwise."""
    registry.role_homes[role] = url_name


def register_job(job: Job) -> None:
    if all(j.code != job.code for j in registry.jobs):
        registry.jobs.append(job)
        registry.jobs.sort(key=lambda j: (j.order, j.code))


def household_timeline(household, viewer, limit: int = 50) -> list[TimelineEntry]:
    entries = [entry for source in registry.timeline_sources for entry in source(household, viewer)]
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]

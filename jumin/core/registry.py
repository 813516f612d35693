"""Extension points: apps add sidebar entries, resident home tiles and household-timeline sources from their
AppConfig.ready(), so a new part of the platform plugs in without editing core."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

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


@dataclass
class Registry:
    nav: list[NavItem] = field(default_factory=list)
    tiles: list[ResidentTile] = field(default_factory=list)
    timeline_sources: list[TimelineSource] = field(default_factory=list)
    demo_steps: list[DemoStep] = field(default_factory=list)


registry = Registry()


def register_nav(item: NavItem) -> None:
    if item.pillar not in dict(PILLARS):
        raise ValueError(f"unknown pillar {item.pillar}")
    if item not in registry.nav:
        registry.nav.append(item)


def register_tile(tile: ResidentTile) -> None:
    if tile not in registry.tiles:
        registry.tiles.append(tile)


def register_timeline_source(source: TimelineSource) -> None:
    if source not in registry.timeline_sources:
        registry.timeline_sources.append(source)


def register_demo_step(step: DemoStep) -> None:
    if step not in registry.demo_steps:
        registry.demo_steps.append(step)


def household_timeline(household, viewer, limit: int = 50) -> list[TimelineEntry]:
    entries = [entry for source in registry.timeline_sources for entry in source(household, viewer)]
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]

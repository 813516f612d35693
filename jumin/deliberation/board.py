"""居民监督 / 公开: the public board of a community. Sections come from a registry so other apps (volunteer hours,
service figures, councils) can publish to it from their own apps.py with `register_board_section`. A section is
`fn(community, now) -> list[BoardItem]`, counts and public facts only, never personal data, a constant number of
queries."""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from . import rules
from .models import OPEN_STAGES, Ballot, BallotStatus, Charter, CharterStatus, CharterVersion, Proposal, Stage


@dataclass(frozen=True)
class BoardItem:
    title: str
    status: str = ""
    lines: tuple[str, ...] = ()
    figure: str = ""
    url: str = ""
    bars: tuple[tuple[str, int, int], ...] = field(default=())  # (label, count, percent)


@dataclass(frozen=True)
class BoardSection:
    code: str
    label: str
    items: Callable[..., list[BoardItem]]
    order: int = 100


SECTIONS: list[BoardSection] = []


def register_board_section(section: BoardSection) -> None:
    if all(s.code != section.code for s in SECTIONS):
        SECTIONS.append(section)
        SECTIONS.sort(key=lambda s: s.order)


def board(community, now) -> list[tuple[BoardSection, list[BoardItem]]]:
    return [(section, section.items(community, now)) for section in SECTIONS]


def proposal_section(community, now) -> list[BoardItem]:
    rows = (
        Proposal.objects.filter(community=community)
        .exclude(stage__in=(Stage.MERGED, Stage.WITHDRAWN))
        .select_related("compound")
        .order_by("-stage_changed_at", "-id")[:12]
    )
    return [
        BoardItem(
            title=p.title,
            status=p.get_stage_display(),
            lines=(f"{p.scope_label} · {p.get_category_display()} · 附议 {p.support_count} 人",),
        )
        for p in rows
    ]


def _day(value, *, time: bool = True) -> str:
    local = timezone.localtime(value)
    text = f"{local.year}年{local.month}月{local.day}日"
    return f"{text} {local:%H:%M}" if time else text


def _money(value: Decimal) -> str:
    return f"{value:,.2f} 元"


def ballot_section(community, now) -> list[BoardItem]:
    """Results after the close, counts only; a ballot still open shows only that it is open (no running count)."""
    from .selectors import ballot_page_facts

    ballots = list(
        Ballot.objects.filter(community=community)
        .exclude(status=BallotStatus.SCHEDULED)
        .select_related("compound")
        .prefetch_related("options")
        .order_by("-closes_at", "-id")[:8]
    )
    facts = ballot_page_facts(None, ballots)
    items = []
    for b in ballots:
        result = facts[b.pk]["result"]
        phase = rules.ballot_phase(b, now)
        if result is None:
            items.append(
                BoardItem(
                    title=b.question,
                    status="投票进行中",
                    lines=(f"{b.scope_label} · 截止 {_day(b.closes_at)},结果截止后公布",),
                )
            )
            continue
        cast = result.cast or 1
        bars = tuple(
            (o.label, result.counts.get(o.code, 0), round(result.counts.get(o.code, 0) * 100 / cast))
            for o in b.options.all()
        )
        verdict = "通过" if result.passed else "未通过"
        status = {
            BallotStatus.CLOSED: f"公示中 · {verdict}",
            BallotStatus.FINAL: f"结果生效 · {verdict}",
            BallotStatus.ANNULLED: "异议成立,结果作废",
        }.get(phase, verdict)
        items.append(
            BoardItem(
                title=b.question,
                status=status,
                bars=bars,
                lines=(
                    f"{b.scope_label} · 应投 {result.electorate:,} · 实投 {result.cast:,} · 参与率 {result.turnout_percent}%",
                ),
            )
        )
    return items


def spending_section(community, now) -> list[BoardItem]:
    rows = (
        Proposal.objects.filter(community=community, stage__in=(Stage.IMPLEMENTING, Stage.DONE))
        .prefetch_related("progress")
        .order_by("-stage_changed_at", "-id")[:8]
    )
    items = []
    for p in rows:
        progress = list(p.progress.all())
        latest = progress[-1].text[:60] if progress else "尚无进展记录"
        items.append(
            BoardItem(
                title=p.title, status=p.get_stage_display(), figure=_money(p.spent_total), lines=(f"最新进展:{latest}",)
            )
        )
    return items


def charter_section(community, now) -> list[BoardItem]:
    adopted = CharterVersion.objects.filter(status=CharterStatus.ADOPTED)
    rows = (
        Charter.objects.filter(community=community)
        .select_related("compound")
        .prefetch_related(Prefetch("versions", queryset=adopted, to_attr="adopted_versions"))
        .order_by("compound__name")
    )
    items = []
    for c in rows:
        version = c.adopted_versions[0] if c.adopted_versions else None
        status = f"第{version.number}版 现行有效" if version else "尚未通过"
        when = f"{_day(version.adopted_at, time=False)}通过" if version and version.adopted_at else ""
        url = reverse("deliberation:public-charter", kwargs={"community_uuid": community.uuid, "charter_id": c.pk})
        items.append(BoardItem(title=c.title, status=status, lines=(when,) if when else (), url=url))
    return items


__all__ = ["OPEN_STAGES", "SECTIONS", "BoardItem", "BoardSection", "board", "register_board_section"]

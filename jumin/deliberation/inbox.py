"""我的事项 and 工作台: the proposals a resident raised in the inbox; the office's counts of what waits for it."""

from django.urls import reverse, reverse_lazy
from django.utils.text import format_lazy

from jumin.core.registry import DeskItem, InboxEntry, InboxSource

from .models import OPEN_STAGES, Proposal, Proxy, ProxyStatus, Stage


def _mine(user):
    if not getattr(user, "resident_id", None):
        return Proposal.objects.none()
    return Proposal.objects.filter(proposer=user).exclude(stage=Stage.MERGED).order_by("-created_at", "-id")


def _entries(user, limit: int) -> list[InboxEntry]:
    base = reverse("deliberation:proposals")
    return [
        InboxEntry(
            when=p.created_at,
            source="居民议事",
            title=p.title,
            status_label=p.get_stage_display(),
            url=f"{base}{p.uuid}/",
            is_open=p.stage in OPEN_STAGES,
            done=p.stage == Stage.DONE,
        )
        for p in _mine(user).only("uuid", "title", "stage", "created_at")[:limit]
    ]


PROPOSAL_SOURCE = InboxSource(
    code="proposals", label="居民议事", entries=_entries, count=lambda user: _mine(user).count(), order=40
)


def _discussing(user, scope) -> int:
    return Proposal.objects.filter(community_id__in=scope.community_ids, stage=Stage.DISCUSSING).count()


def _letters(user, scope) -> int:
    return Proxy.objects.filter(community_id__in=scope.community_ids, status=ProxyStatus.PENDING).count()


DESK_ITEMS = [
    DeskItem(
        "议事中的议题",
        _discussing,
        format_lazy("{}?stage=discussing", reverse_lazy("deliberation:office-proposals")),
        "deliberation.manage",
        order=50,
    ),
    DeskItem("委托书待核实", _letters, reverse_lazy("deliberation:office-ballots"), "deliberation.count", order=55),
]

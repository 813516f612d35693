"""家庭代工 claims in 我的事项 (they are not cases): one query for the entries, one for the count."""

from django.urls import reverse

from jumin.core.registry import InboxEntry

from .models import LIVE_CLAIM_STATUSES, ClaimStatus
from .selectors import claims_for_resident


def claim_entries(user, limit: int) -> list[InboxEntry]:
    claims = claims_for_resident(user).order_by("-created_at", "-id")[:limit]
    return [
        InboxEntry(
            when=c.created_at,
            source="家庭代工",
            title=f"认领 {c.order.item} {c.held} 件",
            status_label=c.get_status_display() + (f" · 待发工资 {c.owed} 元" if c.earned_fen > c.paid_fen else ""),
            url=reverse("piecework:resident-claim", args=[c.uuid]),
            is_open=c.status in LIVE_CLAIM_STATUSES or c.earned_fen > c.paid_fen,
            done=c.status == ClaimStatus.COMPLETED,
        )
        for c in claims
    ]


def claim_count(user) -> int:
    return claims_for_resident(user).count()

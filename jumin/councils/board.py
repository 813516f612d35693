from jumin.deliberation.board import BoardItem

from .models import CouncilActivity


def activity_section(community, now) -> list[BoardItem]:
    """The latest council activities for the public board (what they did, no names)."""
    rows = CouncilActivity.objects.filter(community=community).select_related("council").order_by("-held_on", "-id")
    return [
        BoardItem(
            title=f"{a.council.name}:{a.title}",
            status=f"{a.held_on.year}年{a.held_on.month}月{a.held_on.day}日",
            lines=(f"参与 {a.participants} 人",),
        )
        for a in rows[:8]
    ]

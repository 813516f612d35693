from django.db.models import Count, Max, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from jumin.core.access import scope_for

from .models import Council, CouncilMember


def _serving(today=None):
    today = today or timezone.localdate()
    return CouncilMember.objects.filter(ended_on__isnull=True, term_end__gte=today).select_related("resident")


def councils_for(community_ids):
    today = timezone.localdate()
    return (
        Council.objects.filter(community_id__in=community_ids)
        .select_related("community")
        .annotate(
            member_count=Count(
                "members", filter=Q(members__ended_on__isnull=True, members__term_end__gte=today), distinct=True
            ),
            last_meeting=Max("meetings__held_at"),
            activity_count=Count("activities", distinct=True),
        )
        .prefetch_related(Prefetch("members", queryset=_serving(today), to_attr="serving"))
        .order_by("community_id", "position", "id")
    )


def council_get(user, council_uuid) -> Council:
    council = Council.objects.filter(uuid=council_uuid, community_id__in=scope_for(user).community_ids).first()
    if council is None:
        raise Http404("没有找到该组织")
    return council


def council_page(council: Council) -> dict:
    return {
        "members": list(council.members.select_related("resident").order_by("ended_on", "role", "id")),
        "meetings": list(council.meetings.prefetch_related("attendees")[:20]),
        "activities": list(council.activities.all()[:20]),
    }


def members_for(community_ids):
    return (
        CouncilMember.objects.filter(community_id__in=community_ids)
        .select_related("council", "resident__household__dwelling")
        .order_by("council__position", "ended_on", "role", "id")
    )

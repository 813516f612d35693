"""居民监督 / 公开: no login, no personal data. The board and the hall's 宣传栏 screen read the same sections."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import cache_control

from jumin.places.models import Community

from .. import selectors
from ..board import board
from ..models import CharterStatus
from .common import parse_uuid


def _community(community_uuid) -> Community:
    community = Community.objects.filter(uuid=parse_uuid(community_uuid)).first()
    if community is None:
        raise Http404("没有找到该社区")
    return community


@cache_control(max_age=60, public=True)
def public_board(request, community_uuid):
    community = _community(community_uuid)
    from .. import services

    services.ballots_sync(community_ids=[community.pk])
    return render(
        request,
        "deliberation/board.html",
        {"community": community, "sections": board(community, timezone.now()), "screen": False},
    )


@cache_control(max_age=30, public=True)
def public_screen(request, community_uuid):
    community = _community(community_uuid)
    from .. import services

    services.ballots_sync(community_ids=[community.pk])
    return render(
        request,
        "deliberation/board_screen.html",
        {"community": community, "sections": board(community, timezone.now()), "screen": True},
    )


def public_charter(request, community_uuid, charter_id):
    community = _community(community_uuid)
    if not str(charter_id).isdigit() or len(str(charter_id)) > 12:
        raise Http404
    charter = selectors.charter_get([community.pk], int(charter_id))
    versions = [
        v
        for v in selectors.charter_versions(charter, public=True)
        if v.status in (CharterStatus.ADOPTED, CharterStatus.SUPERSEDED)
    ]
    adopted = next((v for v in versions if v.status == CharterStatus.ADOPTED), None)
    history = []
    for i, v in enumerate(versions):
        older = versions[i + 1] if i + 1 < len(versions) else None
        history.append({"v": v, "diff": selectors.version_diff(older, v)})
    return render(
        request,
        "deliberation/public_charter.html",
        {"community": community, "charter": charter, "adopted": adopted, "history": history},
    )

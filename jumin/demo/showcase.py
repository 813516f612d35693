"""Give the demo residents' accounts some history, so 我的事项 is not empty when a visitor logs in as them."""

from jumin.core.case_models import Case, CaseParty, CaseRating, Phase
from jumin.core.models import User
from jumin.errands.models import Errand

from .accounts import ELDER_PHONE, RESIDENT_PHONE

# (kind, status) pairs each demo resident takes over, from cases the apps' demo steps already wrote.
SHOWCASE = {
    ELDER_PHONE: [("opinion", "closed"), ("errand", "result_back"), ("opinion", "accepted")],
    RESIDENT_PHONE: [("opinion", "answered"), ("errand", "picked_up")],
}


def hand_cases_to_demo_residents() -> int:
    """Re-home a few existing cases onto the demo residents (same community); closed ones lose their rating so
    a visitor can try rating them. Returns how many cases moved."""
    moved = 0
    taken: set[int] = set()
    for phone, wanted in SHOWCASE.items():
        user = User.objects.filter(phone=phone).select_related("resident").first()
        if user is None or user.resident is None:
            continue
        resident = user.resident
        for kind, status in wanted:
            case = (
                Case.objects.filter(community_id=resident.community_id, kind=kind, status=status, confidential=False)
                .exclude(pk__in=taken)
                .order_by("-created_at")
                .first()
            )
            if case is None:
                continue
            taken.add(case.pk)
            CaseParty.objects.filter(case=case).delete()
            Case.objects.filter(pk=case.pk).update(
                resident=resident, household_id=resident.household_id, grid_id=resident.grid_id, raised_by=user
            )
            CaseParty.objects.create(
                community_id=case.community_id, case=case, resident=resident, role=CaseParty.Role.REQUESTER
            )
            if case.phase == Phase.CLOSED:
                CaseRating.objects.filter(case=case).delete()
            if kind == "errand":
                Errand.objects.filter(case=case).update(contact_phone=resident.phone)
            moved += 1
    return moved

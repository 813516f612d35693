"""Give the demo residents' accounts some history, so 我的事项 is not empty when a visitor logs in as them."""

from django.utils import timezone

from jumin.cases.models import Case, CaseEvent, CaseParty, CaseRating, EventKind, Phase
from jumin.core.models import Role, User
from jumin.errands.models import Errand
from jumin.mediation.demo import demo_showcase_dispute

from .accounts import ELDER_PHONE, RESIDENT_PHONE, STAFF_ACCOUNTS

# (kind, status) pairs each demo resident takes over, from cases the apps' demo steps already wrote.
SHOWCASE = {
    ELDER_PHONE: [("opinion", "closed"), ("errand", "result_back"), ("opinion", "accepted")],
    RESIDENT_PHONE: [("opinion", "answered"), ("errand", "picked_up")],
}


def _raised_by_resident(case: Case) -> bool:
    """Whether the demo resident, who has a login, would have raised this case themselves. The generators let a
    resident with a login raise their own errands; an opinion a grid worker or window staff recorded (its channel)
    stays theirs, with the "工作人员代为登记" step."""
    return case.kind == "errand" or case.raised_by is None or case.raised_by.role == Role.RESIDENT


def hand_cases_to_demo_residents() -> int:
    """Re-home a few existing cases onto the demo residents (same community); closed ones lose their rating so
    a visitor can try rating them; then add a dispute between the two. Returns how many cases they got."""
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
                .select_related("raised_by")
                .order_by("-created_at")
                .first()
            )
            if case is None:
                continue
            taken.add(case.pk)
            CaseParty.objects.filter(case=case).delete()
            updates = {"resident": resident, "household_id": resident.household_id, "grid_id": resident.grid_id}
            if _raised_by_resident(case):
                # The first history step names who raised it: the resident now, not the staff who stood in.
                updates["raised_by"] = user
                CaseEvent.objects.filter(case=case, kind=EventKind.CREATED).update(actor=user, comment="")
            Case.objects.filter(pk=case.pk).update(**updates)
            CaseParty.objects.create(
                community_id=case.community_id, case=case, resident=resident, role=CaseParty.Role.REQUESTER
            )
            if case.phase == Phase.CLOSED:
                CaseRating.objects.filter(case=case).delete()
            if kind == "errand":
                Errand.objects.filter(case=case).update(contact_phone=resident.phone)
            moved += 1
    return moved + _dispute_between_demo_residents()


def _dispute_between_demo_residents() -> int:
    """Disputes are confidential, so none of the generated ones can be handed over: write one where the younger
    demo resident asked for mediation, the elder is the other party and the demo mediator handles it."""
    users = {
        u.phone: u for u in User.objects.filter(phone__in=(ELDER_PHONE, RESIDENT_PHONE)).select_related("resident")
    }
    requester, elder = users.get(RESIDENT_PHONE), users.get(ELDER_PHONE)
    mediator_phone = next(a.phone for a in STAFF_ACCOUNTS if a.role == Role.MEDIATOR)
    mediator = User.objects.filter(phone=mediator_phone, role=Role.MEDIATOR, is_active=True).first()
    if not (requester and elder and mediator and requester.resident and elder.resident):
        return 0
    if len({requester.resident.community_id, elder.resident.community_id, mediator.community_id}) != 1:
        return 0
    demo_showcase_dispute(requester_user=requester, other=elder.resident, mediator=mediator, now=timezone.now())
    return 1

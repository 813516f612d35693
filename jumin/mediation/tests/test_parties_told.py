"""The other side of a dispute sees it in 我的事项, so they are told when they become a party and of the outcome
(in the inbox, never by text message); the requester hears of every step from the case engine, and of the
escalation from mediation."""

import pytest

from jumin.cases.models import Notification
from jumin.cases.notify import LocmemSmsBackend
from jumin.core.errors import DomainError
from jumin.core.models import Role
from jumin.mediation import services
from jumin.people.tests.factories import UserFactory

from .conftest import agreed, register


@pytest.fixture(autouse=True)
def _sms(settings):
    settings.SMS_BACKEND = "jumin.cases.notify.LocmemSmsBackend"
    LocmemSmsBackend.outbox.clear()


def _titles(user, case) -> list[str]:
    return list(Notification.objects.filter(user=user, case=case).order_by("id").values_list("title", flat=True))


def test_a_party_registered_by_staff_is_told_and_the_requester_is_not_told_twice(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        d = register(world)
    assert _titles(world.users.neighbour, d.case) == ["您是一起矛盾调解的当事人:楼上夜间噪音"]
    body = Notification.objects.get(user=world.users.neighbour).body
    assert "调解员会与您联系" in body
    assert _titles(world.users.resident, d.case) == []
    assert _titles(world.users.outsider, d.case) == []
    assert LocmemSmsBackend.outbox == []


def test_a_named_party_is_told_once_verified_and_their_family_is_not(world, django_capture_on_commit_callbacks):
    spouse_user = UserFactory(role=Role.RESIDENT, resident=world.spouse)
    with django_capture_on_commit_callbacks(execute=True):
        d = services.dispute_register(
            actor=world.users.resident,
            title="停车位被占",
            text="王建国的车停在我家车位",
            category="parking",
            other_parties=[{"name": "王建国", "address": "1号楼102"}],
        )
    assert _titles(world.users.neighbour, d.case) == []  # named in words only: nobody to tell yet
    with django_capture_on_commit_callbacks(execute=True):
        services.dispute_link_party(
            actor=world.users.secretary, named_party=d.named_parties.get(), resident=world.neighbour
        )
    assert _titles(world.users.neighbour, d.case) == ["您是一起矛盾调解的当事人:停车位被占"]
    assert _titles(spouse_user, d.case) == []


def test_the_other_side_hears_of_the_agreement_and_the_close(world, dispute, django_capture_on_commit_callbacks):
    neighbour, resident = world.users.neighbour, world.users.resident
    with django_capture_on_commit_callbacks(execute=True):
        agreed(world, dispute)
        dispute.case.refresh_from_db()
        services.dispute_follow_up(actor=world.users.mediator, dispute=dispute, method="phone", note="已履行")
        services.dispute_close(actor=world.users.mediator, dispute=dispute, comment="协议已履行")
    assert _titles(neighbour, dispute.case)[-2:] == ["矛盾调解已达成协议:楼上夜间噪音", "矛盾调解已结案:楼上夜间噪音"]
    assert Notification.objects.filter(user=neighbour, title__startswith="矛盾调解已结案", body="协议已履行").exists()
    # The requester's notices come from the case engine, one per step.
    assert _titles(resident, dispute.case) == [
        "您的矛盾调解调解中:楼上夜间噪音",
        "您的矛盾调解已达成协议:楼上夜间噪音",
        "您的矛盾调解已结案:楼上夜间噪音",
    ]
    assert all(phone != neighbour.phone for phone, _ in LocmemSmsBackend.outbox)


def test_a_failed_mediation_tells_the_other_side_why(world, dispute, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.dispute_fail(actor=world.users.mediator, dispute=dispute, reason="对方拒绝到场")
    told = Notification.objects.get(user=world.users.neighbour, case=dispute.case, title__startswith="矛盾调解未成")
    assert told.body == "对方拒绝到场"


def test_both_sides_hear_of_the_escalation(world, dispute, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.dispute_escalate(actor=world.users.mediator, dispute=dispute, reason="涉及金额较大")
    for user in (world.users.resident, world.users.neighbour):
        assert "矛盾调解已移交街道司法所:楼上夜间噪音" in _titles(user, dispute.case)
    assert _titles(world.users.street_leader, dispute.case) == ["社区转来矛盾调解:楼上夜间噪音"]


def test_a_refused_close_tells_nobody(world, dispute, django_capture_on_commit_callbacks):
    agreed(world, dispute)
    dispute.case.refresh_from_db()
    before = Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError, match="回访"):
        services.dispute_close(actor=world.users.mediator, dispute=dispute)
    assert Notification.objects.count() == before

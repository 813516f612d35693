import datetime

import pytest
from django.utils import timezone

from jumin.cases.models import Case, CaseEvent, CaseFollowUp, CaseParty, Level, Phase
from jumin.core.errors import Conflict, DomainError, PermissionDenied
from jumin.core.models import AuditEvent, Role
from jumin.core.testing import WON, race
from jumin.core.uploads import PrivateStorage
from jumin.mediation import services
from jumin.mediation.models import Agreement, Dispute, MediationSession, NamedParty
from jumin.people.tests.factories import UserFactory

from .conftest import agreed, register, session, upload


def test_staff_register_with_real_parties_and_mediator_takes_own(world):
    d = register(world, actor=world.users.mediator)
    case = d.case
    assert case.kind == "dispute" and case.confidential and case.number.startswith("TJ")
    assert case.status == "accepted" and case.assignee == world.users.mediator
    roles = dict(CaseParty.objects.filter(case=case).values_list("resident_id", "role"))
    assert roles == {world.resident.pk: "requester", world.neighbour.pk: "party"}
    audit = AuditEvent.objects.get(action="mediation.register")
    assert world.resident.name not in audit.summary and world.neighbour.name not in audit.summary


def test_secretary_registers_unassigned_then_assigns_mediator(world):
    d = register(world)
    assert d.case.status == "registered" and d.case.assignee is None
    case = services.dispute_assign_mediator(actor=world.users.secretary, dispute=d, mediator=world.users.mediator)
    case.refresh_from_db()
    assert case.status == "accepted" and case.assignee == world.users.mediator


def test_resident_names_the_other_side_in_words(world):
    d = services.dispute_register(
        actor=world.users.resident,
        title="",
        text="楼上漏水",
        category="leak",
        other_parties=[{"name": "王某", "address": "1号楼102"}, {"name": "", "address": ""}],
    )
    assert d.case.title == "漏水渗水调解申请"
    assert d.case.resident == world.resident
    assert list(d.named_parties.values_list("name", "address", "resident")) == [("王某", "1号楼102", None)]
    assert list(CaseParty.objects.filter(case=d.case).values_list("resident_id", flat=True)) == [world.resident.pk]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"category": "gossip"}, "请选择纠纷类型"),
        ({"other_parties": []}, "至少填写一位对方"),
        ({"other_parties": [{"name": "王某", "address": ""}]}, "同时填写对方的姓名和住址"),
        ({"text": "  "}, "请填写内容"),
    ],
)
def test_resident_bad_input_writes_nothing(world, kwargs, message):
    data = {"title": "噪音", "text": "太吵", "category": "noise", "other_parties": [{"name": "王某", "address": "102"}]}
    data.update(kwargs)
    with pytest.raises(DomainError, match=message):
        services.dispute_register(actor=world.users.resident, **data)
    assert not Case.objects.exists() and not Dispute.objects.exists() and not NamedParty.objects.exists()


def test_staff_bad_parties_are_refused(world):
    with pytest.raises(DomainError, match="至少选择一位对方当事人"):
        register(world, parties=[world.resident])
    with pytest.raises(DomainError, match="本社区"):
        register(world, parties=[world.outsider_resident])
    with pytest.raises(DomainError, match="请选择申请人"):
        register(world, resident=None)
    assert not Case.objects.exists()


@pytest.mark.parametrize("persona", ["grid_worker", "window_staff", "street_leader"])
def test_only_mediator_and_secretary_register_for_others(world, persona):
    with pytest.raises(PermissionDenied):
        register(world, actor=getattr(world.users, persona))
    assert not Case.objects.exists()


def test_only_the_secretary_assigns_a_mediator_and_only_a_mediator(world):
    d = register(world)
    with pytest.raises(PermissionDenied):
        services.dispute_assign_mediator(actor=world.users.mediator, dispute=d, mediator=world.users.mediator)
    with pytest.raises(DomainError, match="本社区的调解员"):
        services.dispute_assign_mediator(actor=world.users.secretary, dispute=d, mediator=world.users.grid_worker)
    other = UserFactory(role=Role.MEDIATOR, community=world.b)
    with pytest.raises(DomainError, match="本社区的调解员"):
        services.dispute_assign_mediator(actor=world.users.secretary, dispute=d, mediator=other)
    d.case.refresh_from_db()
    assert d.case.assignee is None and d.case.status == "registered"


def test_secretary_hands_an_open_dispute_to_another_mediator(world, dispute):
    second = UserFactory(role=Role.MEDIATOR, community=world.a)
    services.dispute_assign_mediator(actor=world.users.secretary, dispute=dispute, mediator=second)
    dispute.case.refresh_from_db()
    assert dispute.case.assignee == second and dispute.case.status == "accepted"


def test_first_session_starts_mediation(world, dispute):
    s = session(world, dispute)
    assert s.community == world.a and set(s.attendees.all()) == {world.resident, world.neighbour}
    dispute.case.refresh_from_db()
    assert dispute.case.status == "mediating"
    session(world, dispute)
    assert MediationSession.objects.filter(dispute=dispute).count() == 2
    assert CaseEvent.objects.filter(case=dispute.case, to_status="mediating").count() == 1


def test_session_needs_a_mediator_first(world):
    d = register(world)
    with pytest.raises(DomainError, match="请先指派调解员"):
        session(world, d, actor=world.users.secretary)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"place": " "}, "请填写调解地点"),
        ({"notes": ""}, "请填写调解情况"),
        ({"held_at": timezone.now() + datetime.timedelta(days=2)}, "不能晚于现在"),
    ],
)
def test_session_bad_input_writes_nothing(world, dispute, kwargs, message):
    with pytest.raises(DomainError, match=message):
        session(world, dispute, **kwargs)
    assert not MediationSession.objects.exists()
    dispute.case.refresh_from_db()
    assert dispute.case.status == "accepted"


def test_attendees_must_be_parties(world, dispute):
    with pytest.raises(DomainError, match="到场当事人"):
        session(world, dispute, attendees=[world.far_resident])
    assert not MediationSession.objects.exists()


def test_other_staff_cannot_record_sessions(world, dispute):
    for user in (world.users.grid_worker, world.users.window_staff, UserFactory(role=Role.MEDIATOR, community=world.a)):
        with pytest.raises(PermissionDenied):
            session(world, dispute, actor=user)
    assert not MediationSession.objects.exists()


def test_agreement_needs_a_session_and_text(world, dispute):
    with pytest.raises(DomainError, match="至少一次调解"):
        services.agreement_record(actor=world.users.mediator, dispute=dispute, text="协议")
    session(world, dispute)
    with pytest.raises(DomainError, match="请填写协议内容"):
        services.agreement_record(actor=world.users.mediator, dispute=dispute, text=" ")
    assert not Agreement.objects.exists()
    agreement = services.agreement_record(
        actor=world.users.mediator,
        dispute=dispute,
        text="互相谅解",
        signed_scan=upload(),
        signed_at=timezone.localdate(),
    )
    dispute.case.refresh_from_db()
    assert dispute.case.status == "agreed" and dispute.case.phase == Phase.ANSWERED
    assert agreement.scan_content_type == "application/pdf" and agreement.signed_scan


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("协议.webp", b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 32, "PDF、JPG 或 PNG"),
        ("协议.pdf", b"MZ\x90\x00 not a pdf", "只能上传"),
        ("协议.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), "5 MB"),
        ("协议.pdf", b"", "空的"),
    ],
)
def test_signed_scan_type_and_size_are_checked(world, dispute, name, content, message):
    session(world, dispute)
    with pytest.raises(DomainError, match=message) as exc:
        services.agreement_record(
            actor=world.users.mediator, dispute=dispute, text="协议", signed_scan=upload(name, content)
        )
    assert exc.value.field == "signed_scan"
    assert not Agreement.objects.exists()
    dispute.case.refresh_from_db()
    assert dispute.case.status == "mediating"


def test_scan_uploaded_later_replaces_the_old_file(world, dispute, settings):
    agreement = agreed(world, dispute)
    assert not agreement.signed_scan
    services.agreement_attach_scan(
        actor=world.users.mediator, dispute=dispute, upload=upload("a.png", b"\x89PNG\r\n\x1a\n1")
    )
    agreement.refresh_from_db()
    assert agreement.scan_content_type == "image/png" and agreement.signed_at == timezone.localdate()
    assert str(settings.PRIVATE_MEDIA_ROOT) in agreement.signed_scan.path
    with pytest.raises(DomainError, match="PDF、JPG 或 PNG"):
        services.agreement_attach_scan(
            actor=world.users.mediator, dispute=dispute, upload=upload("b.webp", b"RIFF\x00\x00\x00\x00WEBPxx")
        )


def test_closing_an_agreed_dispute_needs_a_follow_up_visit(world, dispute):
    agreed(world, dispute)
    with pytest.raises(DomainError, match="至少回访一次"):
        services.dispute_close(actor=world.users.mediator, dispute=dispute)
    dispute.case.refresh_from_db()
    assert dispute.case.status == "agreed"
    services.dispute_follow_up(actor=world.users.mediator, dispute=dispute, method="visit", note="双方均已履行")
    case = services.dispute_close(actor=world.users.mediator, dispute=dispute, comment="协议已履行")
    assert case.status == "closed" and case.phase == Phase.CLOSED
    assert CaseFollowUp.objects.filter(case=case).count() == 1


def test_follow_up_bad_input_and_wrong_status(world, dispute):
    with pytest.raises(DomainError, match="达成协议后才能回访"):
        services.dispute_follow_up(actor=world.users.mediator, dispute=dispute, method="visit", note="x")
    agreed(world, dispute)
    with pytest.raises(DomainError, match="回访方式"):
        services.dispute_follow_up(actor=world.users.mediator, dispute=dispute, method="letter", note="x")
    with pytest.raises(DomainError, match="回访情况"):
        services.dispute_follow_up(actor=world.users.mediator, dispute=dispute, method="visit", note=" ")
    assert not CaseFollowUp.objects.exists()


def test_failed_mediation_needs_a_reason_and_closes_at_once(world, dispute):
    session(world, dispute)
    with pytest.raises(DomainError, match="调解未成的原因"):
        services.dispute_fail(actor=world.users.mediator, dispute=dispute, reason="")
    case = services.dispute_fail(actor=world.users.mediator, dispute=dispute, reason="一方拒绝继续调解")
    assert case.status == "failed"
    assert CaseEvent.objects.get(case=case, to_status="failed").comment == "一方拒绝继续调解"
    assert services.dispute_close(actor=world.users.mediator, dispute=dispute).status == "closed"


def test_close_is_refused_while_mediating(world, dispute):
    session(world, dispute)
    with pytest.raises(DomainError, match="只有已达成协议或调解未成"):
        services.dispute_close(actor=world.users.secretary, dispute=dispute)


def test_escalation_keeps_the_status_and_records_why(world, dispute):
    session(world, dispute)
    dispute.case.refresh_from_db()
    with pytest.raises(DomainError, match="移交街道司法所的原因"):
        services.dispute_escalate(actor=world.users.mediator, dispute=dispute, reason=" ")
    case = services.dispute_escalate(actor=world.users.mediator, dispute=dispute, reason="涉及金额较大")
    case.refresh_from_db()
    assert case.level == Level.STREET and case.status == "mediating"
    assert CaseEvent.objects.filter(
        case=case, kind="transfer", comment__contains="移交街道司法所(涉及金额较大)"
    ).exists()


def test_staff_link_a_named_party_who_then_becomes_a_party(world):
    d = services.dispute_register(
        actor=world.users.resident,
        title="噪音",
        text="太吵",
        category="noise",
        other_parties=[{"name": "王建国", "address": "1号楼102"}],
    )
    named = d.named_parties.get()
    with pytest.raises(DomainError, match="申请人本人"):
        services.dispute_link_party(actor=world.users.secretary, named_party=named, resident=world.resident)
    with pytest.raises(PermissionDenied):
        services.dispute_link_party(actor=world.users.grid_worker, named_party=named, resident=world.neighbour)
    services.dispute_link_party(actor=world.users.secretary, named_party=named, resident=world.neighbour)
    assert CaseParty.objects.filter(case=d.case, resident=world.neighbour, role="party").exists()
    with pytest.raises(Conflict):
        services.dispute_link_party(
            actor=world.users.secretary, named_party=NamedParty.objects.get(pk=named.pk), resident=world.spouse
        )


def test_api_create_for_resident_and_staff(world):
    resident_case = services.dispute_create_from_api(
        world.users.resident,
        {
            "title": "漏水",
            "text": "楼上漏水",
            "category": "leak",
            "other_parties": [{"name": "王某", "address": "102"}],
        },
    )
    assert resident_case.dispute.named_parties.count() == 1
    staff_case = services.dispute_create_from_api(
        world.users.mediator,
        {
            "title": "停车",
            "text": "占用车位",
            "category": "parking",
            "resident": str(world.resident.uuid),
            "other_parties": [str(world.neighbour.uuid)],
        },
    )
    assert staff_case.parties.count() == 2 and staff_case.assignee == world.users.mediator
    with pytest.raises(DomainError, match="找不到"):
        services.dispute_create_from_api(
            world.users.mediator,
            {
                "title": "x",
                "text": "y",
                "category": "noise",
                "resident": str(world.resident.uuid),
                "other_parties": [str(world.outsider_resident.uuid)],
            },
        )


@pytest.mark.django_db(transaction=True)
def test_two_people_recording_the_agreement_at_once_exactly_one_wins(world):
    d = register(world)
    services.dispute_assign_mediator(actor=world.users.secretary, dispute=d, mediator=world.users.mediator)
    session(world, Dispute.objects.select_related("case").get(pk=d.pk))
    outcomes = race(
        [world.users.mediator, world.users.secretary],
        load=lambda _: Dispute.objects.select_related("case").get(pk=d.pk),
        act=lambda user, fresh: services.agreement_record(actor=user, dispute=fresh, text=f"{user.name} 记录的协议"),
    )
    assert outcomes.count(WON) == 1, outcomes
    assert Agreement.objects.count() == 1
    assert CaseEvent.objects.filter(case=d.case, to_status="agreed").count() == 1
    assert Case.objects.get(pk=d.case.pk).status == "agreed"


@pytest.mark.django_db(transaction=True)
def test_two_first_sessions_at_once_both_count_and_mediation_starts_once(world):
    d = register(world)
    services.dispute_assign_mediator(actor=world.users.secretary, dispute=d, mediator=world.users.mediator)
    outcomes = race(
        [world.users.mediator, world.users.secretary],
        load=lambda _: Dispute.objects.select_related("case").get(pk=d.pk),
        act=lambda user, fresh: session(world, fresh, actor=user),
    )
    assert outcomes == [WON, WON]
    assert MediationSession.objects.filter(dispute=d).count() == 2
    assert CaseEvent.objects.filter(case=d.case, to_status="mediating").count() == 1


def test_signed_scan_is_kept_in_cores_private_storage_with_no_url(world, dispute, settings):
    agreed(world, dispute)
    services.agreement_attach_scan(actor=world.users.mediator, dispute=dispute, upload=upload())
    agreement = Agreement.objects.get()
    assert type(agreement.signed_scan.storage) is PrivateStorage
    assert agreement.signed_scan.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert agreement.signed_scan.storage.exists(agreement.signed_scan.name)
    with pytest.raises(ValueError, match="no URL"):
        agreement.signed_scan.storage.url(agreement.signed_scan.name)


def test_no_agreement_binds_a_party_still_waiting_to_be_verified(world):
    d = services.dispute_register(
        actor=world.users.resident,
        title="",
        text="楼上漏水",
        category="leak",
        other_parties=[{"name": "王某", "address": "1号楼102"}],
    )
    services.dispute_assign_mediator(actor=world.users.secretary, dispute=d, mediator=world.users.mediator)
    session(world, d)
    with pytest.raises(DomainError, match="还有当事人待核实身份"):
        services.agreement_record(actor=world.users.mediator, dispute=d, text="双方互相谅解")
    assert not Agreement.objects.exists()
    named = d.named_parties.get()
    services.dispute_link_party(actor=world.users.mediator, named_party=named, resident=world.neighbour)
    services.agreement_record(actor=world.users.mediator, dispute=d, text="双方互相谅解")
    d.case.refresh_from_db()
    assert d.case.status == "agreed"

import datetime

import pytest
from django.db import IntegrityError

from jumin.core.errors import Conflict, DomainError, PermissionDenied
from jumin.party import selectors, services
from jumin.party.models import (
    MemberStanding,
    MemberTransfer,
    OrgLevel,
    PartyMember,
    PartyOrg,
    PartyOrgRole,
    TransferKind,
    TransferStatus,
)
from jumin.people.models import Relationship, ResidentTag
from jumin.people.tests.factories import ResidentFactory

from .factories import build_tree

JOINED = datetime.date(2001, 7, 1)


@pytest.fixture
def tree(world):
    return build_tree(world)


def enrol(world, org, resident, **extra):
    return services.member_enrol(actor=world.users.secretary, org=org, resident=resident, joined_on=JOINED, **extra)


def has_party_tag(resident) -> bool:
    return ResidentTag.objects.filter(resident=resident, tag__code="party_member").exists()


def test_every_child_sits_one_level_below_its_parent_and_inside_its_place(tree):
    for org in PartyOrg.objects.exclude(parent=None).select_related("parent"):
        assert org.depth == org.parent.depth + 1
        if org.level == OrgLevel.STATION_BRANCH:
            assert org.station.community_id == org.parent.community_id
        if org.level == OrgLevel.GRID_BRANCH:
            assert org.grid.station_id == org.parent.station_id
        if org.level == OrgLevel.BUILDING_GROUP:
            assert all(b.grid_id == org.parent.grid_id for b in org.buildings.all())


def test_a_level_cannot_be_skipped(world, tree):
    with pytest.raises(DomainError, match="下级应为服务站党总支"):
        services.org_create(
            actor=world.users.secretary, level=OrgLevel.GRID_BRANCH, name="越级支部", parent=tree.a, grid=world.grid1
        )
    assert not PartyOrg.objects.filter(name="越级支部").exists()


def test_a_building_group_cannot_take_a_building_of_another_grid(world, tree):
    with pytest.raises(DomainError, match="须在本网格内"):
        services.org_create(
            actor=world.users.secretary,
            level=OrgLevel.BUILDING_GROUP,
            name="2号楼党小组",
            parent=tree.grid1,
            buildings=[world.building2],
        )


def test_the_database_refuses_a_level_that_does_not_match_its_depth(tree):
    with pytest.raises(IntegrityError):
        PartyOrg.objects.create(level=OrgLevel.GRID_BRANCH, depth=3, name="坏数据", parent=tree.a, street=tree.a.street)


def test_another_communitys_secretary_cannot_found_a_branch_here(world, tree):
    with pytest.raises(PermissionDenied):
        services.org_create(
            actor=world.users.other_secretary,
            level=OrgLevel.GRID_BRANCH,
            name="第3网格党支部",
            parent=tree.station,
            grid=world.grid1,
        )


def test_enrolling_tags_the_resident_and_a_second_enrolment_is_refused(world, tree):
    member = enrol(world, tree.group, world.spouse)
    assert member.org == tree.group and has_party_tag(world.spouse)
    with pytest.raises(Conflict, match="已在党员名册中"):
        enrol(world, tree.grid1, world.spouse)
    assert PartyMember.objects.filter(resident=world.spouse).count() == 1


def test_a_resident_is_enrolled_only_where_they_live(world, tree):
    with pytest.raises(DomainError, match="不住在"):
        enrol(world, tree.grid2, world.neighbour)
    assert not has_party_tag(world.neighbour)


def test_probationary_member_needs_the_end_of_probation(world, tree):
    with pytest.raises(DomainError, match="预备期满"):
        enrol(world, tree.grid1, world.neighbour, standing=MemberStanding.PROBATIONARY)
    member = enrol(
        world,
        tree.grid1,
        world.neighbour,
        standing=MemberStanding.PROBATIONARY,
        probation_ends=datetime.date(2020, 1, 1),
    )
    member = services.member_confirm(actor=world.users.secretary, member=member)
    assert member.standing == MemberStanding.FULL and member.probation_ends is None


def test_placing_tagged_residents_puts_each_in_the_deepest_organisation_of_where_they_live(world, tree):
    placed = services.members_place_tagged(actor=world.users.secretary, community=world.a)
    assert placed == 1  # 张三丰 is tagged 党员 and lives in 1号楼
    assert PartyMember.objects.get(resident=world.resident).org == tree.group
    assert services.members_place_tagged(actor=world.users.secretary, community=world.a) == 0


def test_rolled_up_counts_equal_hand_counts_and_the_register(world, tree):
    services.members_place_tagged(actor=world.users.secretary, community=world.a)
    enrol(world, tree.grid1, world.neighbour, dual_report=True, workplace="滨化集团")
    enrol(
        world,
        tree.grid2,
        world.far_resident,
        standing=MemberStanding.PROBATIONARY,
        probation_ends=datetime.date(2030, 1, 1),
    )
    old = ResidentFactory(household=world.far_home, name="钱老党员", age=82, relationship=Relationship.PARENT)
    enrol(world, tree.grid2, old)
    # Someone who moved away is no longer counted.
    gone = ResidentFactory(household=world.far_home, name="孙已迁", age=40, relationship=Relationship.CHILD)
    enrol(world, tree.grid2, gone)
    gone.status = "moved_out"
    gone.save()

    nodes = {n.org.pk: n for n in selectors.flatten(selectors.org_tree(world.users.street_leader))}
    for org_pk, node in nodes.items():
        below = selectors.subtree_ids([org_pk])
        on_roll = PartyMember.objects.filter(org_id__in=below, active=True, resident__status="active")
        assert node.total["members"] == on_roll.count()
        assert node.total["probationary"] == on_roll.filter(standing="probationary").count()
        assert node.total["dual_report"] == on_roll.filter(dual_report=True).count()
        assert node.total["elderly"] == sum(1 for m in on_roll.select_related("resident") if m.resident.is_elderly)
    tagged = ResidentTag.objects.filter(
        tag__code="party_member", resident__community=world.a, resident__status="active"
    )
    assert nodes[tree.a.pk].total["members"] == tagged.count() == 4
    assert nodes[tree.grid2.pk].total == {
        "members": 2,
        "probationary": 1,
        "elderly": 1,
        "dual_report": 0,
        "tasks_done": 0,
        "task_hours": 0,
    }
    assert nodes[tree.grid1.pk].total["elderly"] == 1  # 张三丰, 66, in the building group below


def test_a_transfer_within_the_tree_moves_the_member_and_keeps_the_history(world, tree):
    member = enrol(world, tree.grid1, world.neighbour)
    transfer = services.transfer_request(
        actor=world.users.secretary, member=member, kind=TransferKind.WITHIN, to_org=tree.grid2, reason="搬家"
    )
    with pytest.raises(Conflict, match="待审批"):
        services.transfer_request(actor=world.users.secretary, member=member, kind=TransferKind.WITHIN, to_org=tree.b)
    assert PartyMember.objects.get(pk=member.pk).org == tree.grid1
    services.transfer_decide(actor=world.users.secretary, transfer=transfer, approve=True)
    member.refresh_from_db()
    assert member.org == tree.grid2 and member.active
    history = list(MemberTransfer.objects.filter(member=member))
    assert [(t.from_org, t.to_org, t.status) for t in history] == [(tree.grid1, tree.grid2, TransferStatus.APPROVED)]
    with pytest.raises(Conflict):
        services.transfer_decide(actor=world.users.secretary, transfer=transfer, approve=True)


def test_a_transfer_out_takes_the_member_off_the_roll_and_the_tag_off_the_register(world, tree):
    member = enrol(world, tree.grid1, world.neighbour)
    transfer = services.transfer_request(
        actor=world.users.secretary, member=member, kind=TransferKind.OUT, outside_org="滨州市某某公司党支部"
    )
    services.transfer_decide(actor=world.users.secretary, transfer=transfer, approve=True)
    member.refresh_from_db()
    assert not member.active and not has_party_tag(world.neighbour)
    assert selectors.members_for(world.users.secretary).filter(pk=member.pk).count() == 0


def test_a_transfer_to_another_community_waits_for_both_secretaries(world, tree):
    member = enrol(world, tree.grid1, world.neighbour)
    transfer = services.transfer_request(
        actor=world.users.secretary, member=member, kind=TransferKind.WITHIN, to_org=tree.b
    )
    assert not services.can_decide_transfer(world.users.secretary, transfer)
    with pytest.raises(PermissionDenied):
        services.transfer_decide(actor=world.users.secretary, transfer=transfer, approve=True)
    services.transfer_decide(actor=world.users.street_leader, transfer=transfer, approve=True)
    assert PartyMember.objects.get(pk=member.pk).org == tree.b


def test_rejecting_a_transfer_needs_a_reason(world, tree):
    member = enrol(world, tree.grid1, world.neighbour)
    transfer = services.transfer_request(
        actor=world.users.secretary, member=member, kind=TransferKind.WITHIN, to_org=tree.grid2
    )
    with pytest.raises(DomainError, match="驳回原因"):
        services.transfer_decide(actor=world.users.secretary, transfer=transfer, approve=False)
    services.transfer_decide(actor=world.users.secretary, transfer=transfer, approve=False, note="材料不全")
    assert PartyMember.objects.get(pk=member.pk).org == tree.grid1


def test_a_grid_worker_sees_only_their_grids_branches(world, tree):
    names = {n.org.name for n in selectors.flatten(selectors.org_tree(world.users.grid_worker))}
    assert names == {"第1网格党支部", "1号楼党小组"}


def test_a_resident_who_is_a_branch_secretary_sees_their_branch_and_below(world, tree):
    assert services.members_place_tagged(actor=world.users.secretary, community=world.a) == 1
    zhang = PartyMember.objects.get(resident=world.resident)
    services.committee_seat_add(actor=world.users.secretary, org=tree.grid1, role=PartyOrgRole.SECRETARY, member=zhang)
    names = {n.org.name for n in selectors.flatten(selectors.org_tree(world.users.resident))}
    assert names == {"第1网格党支部", "1号楼党小组"}
    assert not {n.org.name for n in selectors.flatten(selectors.org_tree(world.users.neighbour))}


def transfer_in(world, org, resident, **extra):
    return services.transfer_in_request(
        actor=world.users.secretary,
        org=org,
        resident=resident,
        outside_org="滨州市滨城区市中街道某社区党委",
        joined_on=JOINED,
        reason="迁入本社区居住",
        **extra,
    )


def test_a_member_transferred_in_from_outside_waits_off_the_roll_until_approved(world, tree):
    transfer = transfer_in(world, tree.grid1, world.neighbour, dual_report=True, workplace="滨化集团")
    member = transfer.member
    assert transfer.kind == TransferKind.IN and transfer.from_org is None and transfer.to_org == tree.grid1
    assert not member.active and not has_party_tag(world.neighbour)
    assert not selectors.members_for(world.users.secretary).filter(pk=member.pk).exists()
    assert list(selectors.transfers_pending(world.users.secretary)) == [transfer]
    with pytest.raises(Conflict, match="待审批"):
        transfer_in(world, tree.grid1, world.neighbour)
    services.transfer_decide(actor=world.users.secretary, transfer=transfer, approve=True)
    member.refresh_from_db()
    assert member.active and member.org == tree.grid1 and member.dual_report and has_party_tag(world.neighbour)
    assert [(t.kind, t.outside_org, t.status) for t in member.transfers.all()] == [
        (TransferKind.IN, "滨州市滨城区市中街道某社区党委", TransferStatus.APPROVED)
    ]
    nodes = {n.org.pk: n for n in selectors.flatten(selectors.org_tree(world.users.secretary))}
    assert nodes[tree.grid1.pk].own["members"] == 1 and nodes[tree.grid1.pk].own["dual_report"] == 1
    with pytest.raises(Conflict, match="已在党员名册中"):
        transfer_in(world, tree.grid1, world.neighbour)


def test_a_refused_transfer_in_stays_off_the_roll_and_may_be_asked_again(world, tree):
    transfer = transfer_in(world, tree.grid1, world.neighbour)
    services.transfer_decide(actor=world.users.secretary, transfer=transfer, approve=False, note="介绍信未到")
    member = PartyMember.objects.get(resident=world.neighbour)
    assert not member.active and not has_party_tag(world.neighbour)
    again = transfer_in(world, tree.grid1, world.neighbour, standing=MemberStanding.PROBATIONARY, probation_ends=JOINED)
    services.transfer_decide(actor=world.users.secretary, transfer=again, approve=True)
    member.refresh_from_db()
    assert member.active and member.standing == MemberStanding.PROBATIONARY
    assert [t.status for t in member.transfers.order_by("id")] == [TransferStatus.REJECTED, TransferStatus.APPROVED]


def test_a_transfer_in_lands_only_where_the_resident_lives_and_only_by_its_secretary(world, tree):
    with pytest.raises(DomainError, match="不住在"):
        transfer_in(world, tree.grid2, world.neighbour)
    with pytest.raises(DomainError, match="原所在的党组织"):
        services.transfer_in_request(
            actor=world.users.secretary, org=tree.grid1, resident=world.neighbour, outside_org=" ", joined_on=JOINED
        )
    with pytest.raises(PermissionDenied):
        services.transfer_in_request(
            actor=world.users.other_secretary,
            org=tree.grid1,
            resident=world.neighbour,
            outside_org="外市党委",
            joined_on=JOINED,
        )
    transfer = transfer_in(world, tree.grid1, world.neighbour)
    with pytest.raises(PermissionDenied):
        services.transfer_decide(actor=world.users.other_secretary, transfer=transfer, approve=True)
    assert not PartyMember.objects.get(resident=world.neighbour).active

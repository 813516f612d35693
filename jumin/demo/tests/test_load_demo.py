"""One full `load_demo` run (the root conftest's `demo`, built once per test run), rolled back after the module."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q

from jumin.core.models import Role, User
from jumin.demo.names import REAL_NAMES
from jumin.hall.models import ServiceItem, Window
from jumin.people import idcard
from jumin.people.models import Household, Relationship, Resident, ResidentStatus, ResidentTag
from jumin.places.models import Building, Community, Compound, Grid, ServiceStation, Street

pytestmark = pytest.mark.django_db


@pytest.fixture
def yulonghu(demo):
    return Community.objects.get(name="玉龙湖社区")


def test_load_prints_totals(demo):
    output = demo
    assert "玉龙湖社区" in output
    assert "2,680" in output
    assert "9,380" in output
    assert "demo_accounts" in output


def test_street_has_seven_communities(demo):
    street = Street.objects.get()
    assert (street.name, street.district, street.city) == ("北镇街道", "滨城区", "滨州市")
    assert Community.objects.filter(street=street).count() == 7


def test_yulonghu_matches_the_report(yulonghu):
    assert str(yulonghu.area_km2) == "0.75"
    assert Compound.objects.filter(community=yulonghu).count() == 10
    assert Household.objects.filter(community=yulonghu).count() == 2680
    assert Resident.objects.active().filter(community=yulonghu).count() == 9380
    stations = ServiceStation.objects.filter(community=yulonghu)
    assert sorted(stations.values_list("name", flat=True)) == ["玉龙湖服务站", "瑞恒服务站"]
    grids = Grid.objects.filter(community=yulonghu).order_by("number")
    assert list(grids.values_list("number", flat=True)) == list(range(1, 10))
    assert grids.get(number=1).name == "第1网格"
    assert set(grids.values_list("station__name", flat=True)) == {"瑞恒服务站", "玉龙湖服务站"}


def test_other_communities_are_smaller_but_complete(yulonghu):
    for community in Community.objects.exclude(pk=yulonghu.pk):
        households = Household.objects.filter(community=community).count()
        assert 300 <= households <= 600, community.name
        assert ServiceStation.objects.filter(community=community).exists()
        assert Grid.objects.filter(community=community).count() >= 2
        assert Compound.objects.filter(community=community).count() >= 2


def test_every_household_has_one_head_and_the_right_count(demo):
    households = Household.objects.annotate(
        heads=Count("members", filter=Q(members__relationship=Relationship.HEAD)),
        members_=Count("members", filter=Q(members__status=ResidentStatus.ACTIVE)),
    )
    assert not households.exclude(heads=1).exists()
    assert not [h.pk for h in households if h.members_ != h.member_count]
    heads = Resident.objects.filter(relationship=Relationship.HEAD).select_related("household")
    assert not [r.pk for r in heads if r.household.head_name != r.name]


def test_places_nest_consistently(yulonghu):
    assert not Household.objects.exclude(grid_id=F("dwelling__unit__building__grid_id")).exists()
    assert not Household.objects.exclude(compound_id=F("dwelling__unit__building__compound_id")).exists()
    assert not Resident.objects.exclude(grid_id=F("household__grid_id")).exists()
    assert not Resident.objects.exclude(community_id=F("household__community_id")).exists()
    grids_per_compound = Building.objects.values("compound").annotate(n=Count("grid", distinct=True))
    assert {row["n"] for row in grids_per_compound} <= {1, 2}
    household = Household.objects.select_related("dwelling__unit__building__compound").first()
    dwelling = household.dwelling
    building = dwelling.unit.building
    assert dwelling.address == f"{building.compound.name}{building.name}{dwelling.unit.name}{dwelling.number}室"


def test_id_numbers_are_valid_unique_and_match_the_row(demo):
    rows = list(Resident.objects.only("id_number", "id_hash", "id_masked", "id_tail", "birth_date", "gender"))
    for r in rows:
        number, birth, gender = idcard.parse(r.id_number)
        assert (birth, gender) == (r.birth_date, r.gender)
        assert (r.id_hash, r.id_masked, r.id_tail) == (idcard.blind_index(number), idcard.mask(number), number[-4:])
    assert len({r.id_number for r in rows}) == len(rows)


def test_ages_and_tags_are_plausible(yulonghu):
    residents = Resident.objects.active().filter(community=yulonghu)
    elderly_share = residents.aged_at_least(60).count() / 9380
    assert 0.20 <= elderly_share <= 0.25
    adults = residents.aged_at_least(18).count()

    def tagged(code, among=residents):
        return among.filter(resident_tags__tag__code=code).count()

    assert 0.06 <= tagged("party_member") / adults <= 0.10
    assert 0.5 <= tagged("relocated", residents.filter(relationship=Relationship.HEAD)) / 2680 <= 0.7
    assert 0.01 <= tagged("low_income") / 2680 <= 0.05
    assert tagged("laid_off") > 0
    assert tagged("disabled") > 0
    assert tagged("veteran", residents.filter(gender="F")) == 0
    alone = residents.filter(resident_tags__tag__code="living_alone")
    assert alone.exists()
    assert not alone.exclude(household__member_count=1).exists()
    assert not alone.aged_below(60).exists()
    assert not ResidentTag.objects.exclude(community_id=F("resident__community_id")).exists()


def test_no_real_names_from_the_report(demo):
    assert not Resident.objects.filter(name__in=REAL_NAMES).exists()
    assert not User.objects.filter(name__in=REAL_NAMES).exists()


def test_register_phones_stay_out_of_the_demo_range(demo):
    reserved = Resident.objects.filter(phone__startswith="139000000")
    assert sorted(reserved.values_list("phone", flat=True)) == [
        "13900000010",
        "13900000011",
        "13900000012",
        "13900000013",
    ]


def test_demo_accounts_have_their_roles_and_scopes(yulonghu):
    accounts = {u.phone: u for u in User.objects.select_related("resident")}
    secretary = accounts["13900000001"]
    assert (secretary.role, secretary.community, secretary.is_staff, secretary.is_superuser) == (
        Role.SECRETARY,
        yulonghu,
        True,
        True,
    )
    assert secretary.check_password("jumin-demo")
    assert accounts["13900000002"].role == Role.WINDOW_STAFF
    grid_worker = accounts["13900000003"]
    assert grid_worker.role == Role.GRID_WORKER
    assert sorted(grid_worker.grids.values_list("number", flat=True)) == [1, 2]
    assert {g.community_id for g in grid_worker.grids.all()} == {yulonghu.pk}
    assert accounts["13900000004"].role == Role.MEDIATOR
    leader = accounts["13900000005"]
    assert (leader.role, leader.community, leader.street.name) == (Role.STREET_LEADER, None, "北镇街道")
    staff_without_admin = [u for u in accounts.values() if u.is_superuser and u.phone != "13900000001"]
    assert not staff_without_admin

    elder = accounts["13900000010"].resident
    assert elder.age() >= 60
    assert (elder.community, elder.grid.number, elder.phone) == (yulonghu, 1, "13900000010")
    younger = accounts["13900000011"].resident
    assert younger.age() < 60
    assert (younger.community, younger.grid.number, younger.phone) == (yulonghu, 1, "13900000011")
    assert younger.household_id != elder.household_id
    outsider = accounts["13900000012"].resident
    assert outsider.community != yulonghu
    assert all(accounts[p].role == Role.RESIDENT for p in ("13900000010", "13900000011", "13900000012"))

    pending = Resident.objects.get(phone="13900000013")
    assert pending.community == yulonghu
    assert "13900000013" not in accounts
    assert not User.objects.filter(resident=pending).exists()


def test_demo_accounts_command_prints_the_table(demo):
    out = StringIO()
    call_command("demo_accounts", stdout=out)
    table = out.getvalue()
    assert "网格员" in table
    assert "jumin-demo" in table
    pending = Resident.objects.get(phone="13900000013")
    assert pending.id_number in table


def test_second_run_with_if_empty_does_nothing(demo):
    before = Resident.objects.count(), User.objects.count()
    out = StringIO()
    call_command("load_demo", "--if-empty", stdout=out)
    assert "已存在" in out.getvalue()
    assert (Resident.objects.count(), User.objects.count()) == before


def test_second_run_without_if_empty_is_refused(demo):
    with pytest.raises(CommandError, match="数据库已有数据"):
        call_command("load_demo", stdout=StringIO())
    assert Community.objects.count() == 7


def test_demo_residents_find_cases_in_their_inbox(demo):
    from jumin.cases.selectors import my_cases
    from jumin.core.models import User

    elder = User.objects.get(phone="13900000010")
    statuses = set(my_cases(elder).values_list("kind", "status"))
    assert {("opinion", "closed"), ("errand", "result_back")} <= statuses
    closed = my_cases(elder).get(kind="opinion", status="closed")
    assert not closed.ratings.exists()  # left for a visitor to rate


def test_every_community_runs_a_hall_with_the_standard_catalogue(demo):
    for community in Community.objects.all():
        assert Window.objects.filter(community=community).count() == 12, community.name
        items = ServiceItem.objects.filter(community=community)
        assert items.count() == 27, community.name
        assert items.filter(proxy_allowed=True).exists(), community.name


def test_party_tree_has_five_levels_and_every_tagged_resident_in_exactly_one_organisation(yulonghu):
    from jumin.party.models import OrgLevel, PartyMember, PartyOrg
    from jumin.party.selectors import flatten, org_tree

    assert PartyOrg.objects.filter(level=OrgLevel.STREET_COMMITTEE).count() == 1
    assert PartyOrg.objects.filter(level=OrgLevel.COMMUNITY_COMMITTEE).count() == 7
    assert PartyOrg.objects.filter(community=yulonghu, level=OrgLevel.STATION_BRANCH).count() == 2
    assert PartyOrg.objects.filter(community=yulonghu, level=OrgLevel.GRID_BRANCH).count() == 9
    assert PartyOrg.objects.filter(community=yulonghu, level=OrgLevel.BUILDING_GROUP).exists()
    tagged = Resident.objects.active().filter(resident_tags__tag__code="party_member")
    assert tagged.count() == PartyMember.objects.filter(active=True, resident__status="active").count()
    assert not tagged.filter(party_member__isnull=True).exists()
    leader = User.objects.get(phone="13900000005")
    nodes = {n.org.community_id: n for n in flatten(org_tree(leader)) if n.org.level == OrgLevel.COMMUNITY_COMMITTEE}
    assert nodes[yulonghu.pk].total["members"] == tagged.filter(community=yulonghu).count()
    # Every organisation of the showcase community has its secretary; 双报到 members have taken service tasks.
    from jumin.party.models import CommitteeMember, ServiceTaskClaim

    seated = CommitteeMember.objects.filter(role="secretary", org__community=yulonghu).values("org")
    assert not PartyOrg.objects.filter(community=yulonghu).exclude(pk__in=seated).exists()
    done = ServiceTaskClaim.objects.filter(community=yulonghu, status="done")
    assert done.exists() and not done.exclude(member__dual_report=True).exists()
    assert nodes[yulonghu.pk].total["tasks_done"] == done.filter(member__active=True).count()


def test_demo_party_rep_partner_member_and_reception_days(yulonghu):
    from jumin.partners.models import PartnerMember, PartnerUnit
    from jumin.party.models import CommitteeMember, Opinion, PartyOrgRole, ReceptionDay

    assert PartnerUnit.objects.filter(community__isnull=True).count() == 3
    assert PartnerUnit.objects.filter(community=yulonghu).count() == 6
    assert PartnerMember.objects.get(user__phone="13900000009").unit.name == "东城交警中队"
    assert CommitteeMember.objects.filter(role=PartyOrgRole.PART_TIME, org__community=yulonghu).count() == 6
    days = ReceptionDay.objects.filter(representative__phone="13900000008")
    assert days.count() == 5 and Opinion.objects.filter(reception_day__in=days).exists()


def test_demo_joint_meetings_have_tasks_at_every_stage(yulonghu):
    from jumin.partners.models import JointMeeting, JointTask

    assert JointMeeting.objects.filter(community=yulonghu).count() == 3
    statuses = set(JointTask.objects.filter(community=yulonghu).values_list("case__status", flat=True))
    assert statuses == {"assigned", "in_progress", "done"}

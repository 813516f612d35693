import datetime

import pytest
from django.urls import reverse

from jumin.core.errors import Conflict, PermissionDenied
from jumin.councils import services
from jumin.councils.models import Council, CouncilMember


@pytest.fixture
def councils(world):
    return {c.code: c for c in services.councils_ensure(world.a)}


def test_every_community_gets_five_systems_and_five_councils(world, councils):
    assert len(councils) == 10
    services.councils_ensure(world.a)
    assert Council.objects.filter(community=world.a).count() == 10
    assert {c.name for c in councils.values() if c.kind == "council"} == {
        "红白理事会",
        "文体娱乐理事会",
        "和谐理事会",
        "文明倡导理事会",
        "青少年理事会",
    }


def test_secretary_adds_a_member_once_and_ends_the_term(world, councils):
    council = councils["harmony"]
    today = datetime.date.today()
    member = services.member_add(
        actor=world.users.secretary,
        council=council,
        resident=world.neighbour,
        role="chair",
        term_start=today,
        term_end=today + datetime.timedelta(days=365),
    )
    with pytest.raises(Conflict):
        services.member_add(
            actor=world.users.secretary,
            council=council,
            resident=world.neighbour,
            role="member",
            term_start=today,
            term_end=today,
        )
    services.member_end(actor=world.users.secretary, member=member)
    assert CouncilMember.objects.get(pk=member.pk).ended_on == today


def test_grid_worker_cannot_change_members(world, councils):
    today = datetime.date.today()
    with pytest.raises(PermissionDenied):
        services.member_add(
            actor=world.users.grid_worker,
            council=councils["youth"],
            resident=world.neighbour,
            role="member",
            term_start=today,
            term_end=today,
        )


def test_meeting_attendees_must_be_serving_members(world, councils):
    from jumin.core.errors import DomainError

    with pytest.raises(DomainError):
        services.meeting_record(
            actor=world.users.secretary,
            council=councils["youth"],
            held_at=datetime.datetime.now(datetime.UTC),
            topic="例会",
            minutes="x",
            attendees=[world.resident],
        )


def test_pages_by_role(world, councils, login):
    council = councils["civility"]
    office = login(world.users.secretary)
    response = office.post(
        reverse("councils:member-add", args=[council.uuid]),
        {"phone": world.neighbour.phone, "role": "member", "term_start": "2026-01-01", "term_end": "2028-12-31"},
        follow=True,
    )
    assert "成员已增补" in response.content.decode()
    response = office.post(
        reverse("councils:activity-add", args=[council.uuid]),
        {"held_on": "2026-11-01", "title": "文明家庭评选", "summary": "评出十户", "participants": 40},
        follow=True,
    )
    assert "活动已记录" in response.content.decode()
    assert office.get(reverse("councils:office-list")).status_code == 200
    assert office.get(reverse("councils:members-export")).status_code == 200
    resident = login(world.users.resident)
    page = resident.get(reverse("councils:detail", args=[council.uuid])).content.decode()
    assert world.neighbour.name in page and "文明家庭评选" in page
    outsider = login(world.users.outsider)
    assert outsider.get(reverse("councils:detail", args=[council.uuid])).status_code == 404
    worker = login(world.users.grid_worker)
    response = worker.post(
        reverse("councils:member-add", args=[council.uuid]),
        {"phone": world.far_resident.phone, "role": "member", "term_start": "2026-01-01", "term_end": "2028-12-31"},
    )
    assert response.status_code == 403


def test_office_list_constant_queries(world, councils, login, django_assert_max_num_queries):
    office = login(world.users.secretary)
    office.get(reverse("councils:office-list"))
    with django_assert_max_num_queries(12):
        assert office.get(reverse("councils:office-list")).status_code == 200

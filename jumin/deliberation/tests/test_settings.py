"""议事设置: the secretary changes the community's support threshold, publicity days and proxy limit on a page;
every change is audited, other office roles read them, nobody else writes them, hostile input writes nothing."""

import datetime

import pytest
from django.utils import timezone

from jumin.core.errors import PermissionDenied
from jumin.core.models import AuditEvent
from jumin.deliberation import services
from jumin.deliberation.models import DeliberationSettings

from .factories import open_ballot

URL = "/office/deliberation/settings/"
GOOD = {"support_threshold": "5", "publicity_days": "3", "max_proxies": "2"}


def test_secretary_saves_the_settings_and_the_change_is_audited(world, login):
    client = login(world.users.secretary)
    page = client.get(URL)
    assert page.status_code == 200 and "提交书记的附议人数" in page.content.decode()
    response = client.post(URL, GOOD, follow=True)
    assert "议事设置已保存" in response.content.decode()
    row = DeliberationSettings.objects.get(community=world.a)
    assert (row.support_threshold, row.publicity_days, row.max_proxies) == (5, 3, 2)
    event = AuditEvent.objects.get(action="deliberation.settings")
    assert event.actor == world.users.secretary and event.community_id == world.a.pk
    assert event.changes["公示期(天)"] == [7, 3] and "提交书记的附议人数 10 → 5" in event.summary
    # Saving the same values again records nothing.
    client.post(URL, GOOD)
    assert AuditEvent.objects.filter(action="deliberation.settings").count() == 1


def test_settings_apply_to_what_happens_next(world):
    services.settings_update(
        actor=world.users.secretary, community_id=world.a.pk, support_threshold=1, publicity_days=2, max_proxies=1
    )
    start = timezone.now()
    ballot = open_ballot(world.users.secretary, hours=1, now=start)
    services.ballot_close(ballot=ballot, now=start + datetime.timedelta(hours=1))
    ballot.refresh_from_db()
    assert ballot.publicity_ends_at == ballot.closes_at + datetime.timedelta(days=2)
    proposal = services.proposal_create(
        actor=world.users.resident, title="楼道灯", text="楼道灯坏了", category="facility"
    )
    services.proposal_support(actor=world.users.neighbour, proposal=proposal)
    assert proposal.events.filter(title__contains="附议达到 1 人").exists()


def test_other_office_roles_read_but_cannot_change(world, login):
    client = login(world.users.window_staff)
    page = client.get(URL)
    html = page.content.decode()
    assert page.status_code == 200 and "只有社区书记可以修改" in html and "disabled" in html
    assert client.post(URL, GOOD).status_code == 403
    assert not DeliberationSettings.objects.filter(community=world.a).exists()
    with pytest.raises(PermissionDenied):
        services.settings_update(
            actor=world.users.other_secretary,
            community_id=world.a.pk,
            support_threshold=2,
            publicity_days=2,
            max_proxies=2,
        )


def test_residents_cannot_open_the_page_and_a_secretary_changes_only_their_community(world, login):
    assert login(world.users.resident).get(URL).status_code in (302, 403, 404)
    login(world.users.other_secretary).post(URL, GOOD)
    assert not DeliberationSettings.objects.filter(community=world.a).exists()
    assert DeliberationSettings.objects.get(community=world.b).support_threshold == 5


def test_street_leader_over_all_communities_is_asked_to_pick_one(world, login):
    page = login(world.users.street_leader).get(URL)
    assert page.status_code == 200 and "请先在页面顶部切换到一个社区" in page.content.decode()
    assert login(world.users.street_leader).post(URL, GOOD).status_code == 403


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("support_threshold", "0"),
        ("support_threshold", "=1+1"),
        ("publicity_days", "99999999999999999999999"),
        ("max_proxies", "11"),
        ("max_proxies", "-3"),
        ("publicity_days", "7\x00"),
        ("support_threshold", "9" * 20000),
    ],
)
def test_hostile_input_gets_a_chinese_message_and_writes_nothing(world, login, field, value):
    response = login(world.users.secretary).post(URL, {**GOOD, field: value})
    html = response.content.decode()
    assert response.status_code == 200
    assert any(word in html for word in ("请输入", "确保", "整数", "不能", "无效", "字符")), html[:2000]
    assert not DeliberationSettings.objects.filter(community=world.a).exists()
    assert not AuditEvent.objects.filter(action="deliberation.settings").exists()

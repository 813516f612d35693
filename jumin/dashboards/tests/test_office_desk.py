"""Each office role's 工作台: today's work first, then the census of its own scope."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from jumin.cases import services as case_services
from jumin.people.models import Household

pytestmark = pytest.mark.django_db


def _stat(html: str, section_title: str, label: str) -> str:
    """The number shown beside `label` in the card headed `section_title`."""
    card = html[html.index(section_title) :]
    match = re.search(r'<span class="value">([\d,]+)</span><span class="label">' + re.escape(label), card)
    return match.group(1)


def test_grid_workers_census_counts_only_their_grids(login, world):
    html = login(world.users.grid_worker).get(reverse("dashboards:office")).content.decode()
    mine = Household.objects.filter(grid=world.grid1, member_count__gt=0).count()
    community = Household.objects.filter(community=world.a, member_count__gt=0).count()
    assert mine < community
    assert "(我负责的网格)" in html
    assert _stat(html, "玉龙湖社区", "户") == str(mine)


def test_street_leader_sees_street_totals_and_communities_by_pinyin(login, world):
    html = login(world.users.street_leader).get(reverse("dashboards:office")).content.decode()
    assert "全街道合计(2 个社区)" in html
    all_households = Household.objects.filter(member_count__gt=0).count()
    assert _stat(html, "全街道合计", "户") == str(all_households)
    assert html.index(f'id="summary-{world.b.pk}"') < html.index(f'id="summary-{world.a.pk}"')  # 黄 before 玉


def test_tag_chips_open_the_filtered_resident_list(login, world):
    client = login(world.users.secretary)
    html = client.get(reverse("dashboards:office")).content.decode()
    link = f"{reverse('people:resident-list')}?tag=laid_off"
    assert f'href="{link}"' in html
    listed = client.get(link).content.decode()
    assert world.neighbour.name in listed and world.far_resident.name not in listed


def test_today_shows_my_cases_new_ones_and_overdue_with_links(login, world):
    case = case_services.case_open(actor=world.users.resident, kind="opinion", title="楼道灯坏了", body="三楼")
    client = login(world.users.grid_worker)
    html = client.get(reverse("dashboards:office")).content.decode()
    assert "今天要办" in html
    assert _stat(html, "今天要办", "新事项待受理") == "1"
    case_services.case_take(actor=world.users.grid_worker, case=case)
    later = case.due_at + datetime.timedelta(days=1)
    with time_machine.travel(later, tick=False):
        html = client.get(reverse("dashboards:office")).content.decode()
    assert _stat(html, "今天要办", "我的待办") == "1"
    assert _stat(html, "今天要办", "⚠ 已超期") == "1"
    assert f'href="{reverse("cases:case-queue")}?queue=overdue"' in html


def test_the_office_home_stays_in_constant_queries(login, world, django_assert_max_num_queries):
    client = login(world.users.street_leader)
    client.get(reverse("dashboards:office"))
    with django_assert_max_num_queries(25):
        assert client.get(reverse("dashboards:office")).status_code == 200

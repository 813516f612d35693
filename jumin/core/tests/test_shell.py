"""The two faces of the shell: the back office (sidebar by pillar, breadcrumb, community switcher) and the resident
home (tiles with inline SVG icons that render without an emoji font)."""

import re

from django.template import Context, Template
from django.urls import reverse

from jumin.core.registry import PILLARS, registry
from jumin.core.templatetags.jumin import ICONS
from jumin.places.tests.factories import CommunityFactory, StreetFactory

EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u26ff]")
# Tiles whose app still passes an emoji for its icon; the fix is a one-word edit in that app's apps.py.


def main_html(response) -> str:
    html = response.content.decode()
    return html[html.index('<main class="site-main"') : html.index("</main>")]


def test_home_tiles_draw_inline_svg_icons_hidden_from_screen_readers(login, world):
    html = main_html(login(world.users.resident).get(reverse("core:me")))
    tiles = re.findall(r'<li><a href="[^"]+">(.*?)</a></li>', html)
    assert len(tiles) == len(registry.tiles)
    for tile in tiles:
        assert tile.startswith('<svg class="icon" viewBox="0 0 24 24"')
        assert 'aria-hidden="true" focusable="false"' in tile
    assert "我的事项" in html and "我要反映" in html
    assert not EMOJI.search(html), EMOJI.findall(html)


def test_every_registered_tile_names_a_drawn_icon():
    unknown = {t.url_name: t.icon for t in registry.tiles if t.icon not in ICONS}
    assert not unknown


def test_unknown_icon_name_draws_the_neutral_mark_not_the_text():
    html = Template("{% load jumin %}{% icon name %}").render(Context({"name": "🏠"}))
    assert ICONS["dot"] in html
    assert "🏠" not in html
    sized = Template('{% load jumin %}{% icon "home" size=48 %}').render(Context())
    assert 'width="48" height="48"' in sized and ICONS["home"] in sized


def test_office_sidebar_shows_every_pillar_and_says_when_one_has_nothing_yet(login, world):
    html = login(world.users.secretary).get(reverse("dashboards:office")).content.decode()
    sidebar = html[html.index('<nav class="sidebar"') : html.index("</nav>", html.index('<nav class="sidebar"'))]
    headings = re.findall(r"<h2[^>]*>(.*?)</h2>", sidebar)
    assert headings == [label for _, label in PILLARS]
    assert "住户台账" in sidebar and "操作记录" in sidebar
    # A pillar with no entries yet says so in words, not a bare "建设中".
    for section in re.split(r"<h2", sidebar)[1:]:
        assert "<ul>" in section or "即将开放" in section


def test_office_home_is_the_current_breadcrumb_and_other_pages_link_back(login, world):
    client = login(world.users.secretary)
    office = client.get(reverse("dashboards:office")).content.decode()
    assert '<li aria-current="page">工作台</li>' in office
    audit = client.get(reverse("dashboards:audit-list")).content.decode()
    assert f'<li><a href="{reverse("dashboards:office")}">工作台</a></li><li aria-current="page">操作记录</li>' in audit


def test_street_leader_switches_community_and_is_told_so(login, world):
    client = login(world.users.street_leader)
    response = client.post(
        reverse("core:community-switch"),
        {"community_id": world.b.pk, "next": reverse("dashboards:office")},
        follow=True,
    )
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("dashboards:office")
    assert client.session["community_id"] == world.b.pk
    assert "已切换到黄河社区" in html
    assert f'<option value="{world.b.pk}" selected>黄河社区</option>' in html
    assert '<h2 id="summary-' in html and "玉龙湖社区</h2>" not in html

    response = client.post(reverse("core:community-switch"), {"community_id": ""}, follow=True)
    assert client.session["community_id"] is None
    assert "已切换到全部社区" in response.content.decode()


def test_street_leader_cannot_switch_to_a_community_outside_the_street_or_a_bad_value(login, world):
    client = login(world.users.street_leader)
    client.post(reverse("core:community-switch"), {"community_id": world.a.pk})
    elsewhere = CommunityFactory(street=StreetFactory(name="南湖街道"), name="南湖社区")
    for value in [elsewhere.pk, "abc", "1; drop"]:
        assert client.post(reverse("core:community-switch"), {"community_id": value}).status_code == 404
    assert client.session["community_id"] == world.a.pk


def test_only_the_street_leader_sees_the_switcher(login, world):
    html = login(world.users.secretary).get(reverse("dashboards:office")).content.decode()
    assert 'id="community-switch"' not in html
    assert (
        login(world.users.secretary).post(reverse("core:community-switch"), {"community_id": world.b.pk}).status_code
        == 403
    )


def test_audit_list_empty_states_say_what_happened_and_what_to_do(login, world):
    client = login(world.users.secretary)
    html = client.get(reverse("dashboards:audit-list")).content.decode()
    assert "还没有操作记录。登记信息一有变更" in html
    filtered = client.get(reverse("dashboards:audit-list"), {"action": "resident.move_out"}).content.decode()
    assert "没有动作为“resident.move_out”的操作记录" in filtered
    assert f'<a href="{reverse("dashboards:audit-list")}">查看全部操作记录</a>' in filtered


def sidebar_of(response) -> str:
    html = response.content.decode()
    return html[html.index('<nav class="sidebar"') : html.index("</nav>", html.index('<nav class="sidebar"'))]


def test_sidebar_marks_the_page_it_is_on_and_each_role_keeps_its_own(login, world):
    """The sidebar is rendered once per role; only the current page's link is marked, request by request."""
    client = login(world.users.secretary)
    households = sidebar_of(client.get(reverse("people:household-list")))
    residents = sidebar_of(client.get(reverse("people:resident-list")))
    assert households.count('aria-current="page"') == 1
    assert f'href="{reverse("people:household-list")}" aria-current="page"' in households
    assert f'href="{reverse("people:resident-list")}" aria-current="page"' in residents
    assert households.replace(' aria-current="page"', "") == residents.replace(' aria-current="page"', "")

    mediator = sidebar_of(login(world.users.mediator).get(reverse("dashboards:office")))
    assert mediator != households.replace(' aria-current="page"', "")
    holidays = reverse("core:holidays")  # 节假日与调休: the secretary's, not the mediator's
    assert (holidays in households) and (holidays not in mediator)

"""Staff accounts: each role against each action (may / 403 / 404), no privilege escalation, disabled accounts stop,
one-time password links."""

import pytest
from django.urls import reverse

from jumin.core.models import ApiToken, AuditEvent, Role, User
from jumin.hall.models import Window

pytestmark = pytest.mark.django_db


def api(client, user, method, path, body=None):
    token = ApiToken.issue(user)
    call = getattr(client, method)
    kwargs = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if body is not None:
        kwargs |= {"data": body, "content_type": "application/json"}
    return call(path, **kwargs)


@pytest.fixture
def window(world):
    return Window.objects.create(community=world.a, number=1, name="民政", prefix="A")


def new_worker(world, **extra):
    return {"phone": "13712345678", "name": "周网格", "role": "grid_worker", "grids": [world.grid2.pk]} | extra


ACTORS = ["secretary", "street_leader", "grid_worker", "window_staff", "mediator", "other_secretary", "resident"]
# (actor) → status for: list, create a grid worker in A, create a secretary in A, change A's grid worker, disable it
EXPECTED = {
    "secretary": (200, 201, 403, 200, 200),
    "street_leader": (200, 201, 201, 200, 200),
    "grid_worker": (403, 403, 403, 403, 403),
    "window_staff": (403, 403, 403, 403, 403),
    "mediator": (403, 403, 403, 403, 403),
    "other_secretary": (200, 404, 403, 404, 404),
    "resident": (403, 403, 403, 403, 403),
}


@pytest.mark.parametrize("actor", ACTORS)
def test_each_role_against_each_staff_action(client, world, actor):
    user = getattr(world.users, actor)
    target = world.users.grid_worker
    got = (
        api(client, user, "get", "/api/v1/staff").status_code,
        api(client, user, "post", "/api/v1/staff", new_worker(world, community=world.a.pk)).status_code,
        api(
            client,
            user,
            "post",
            "/api/v1/staff",
            new_worker(world, phone="13712345679", role="secretary", grids=[], community=world.a.pk),
        ).status_code,
        api(
            client, user, "patch", f"/api/v1/staff/{target.uuid}", {"grids": [world.grid1.pk, world.grid2.pk]}
        ).status_code
        if actor != "grid_worker"
        else api(
            client, user, "patch", f"/api/v1/staff/{world.users.window_staff.uuid}", {"active": False}
        ).status_code,
        api(client, user, "patch", f"/api/v1/staff/{target.uuid}", {"active": False}).status_code,
    )
    assert got == EXPECTED[actor]


def test_secretary_lists_its_communitys_staff_and_the_street_sees_all(client, world):
    phones = {u["name"] for u in api(client, world.users.secretary, "get", "/api/v1/staff").json()["items"]}
    assert {world.users.grid_worker.name, world.users.window_staff.name, world.users.secretary.name} <= phones
    assert world.users.other_secretary.name not in phones and world.users.street_leader.name not in phones
    street = api(client, world.users.street_leader, "get", "/api/v1/staff").json()
    assert {world.users.other_secretary.name, world.users.street_leader.name} <= {u["name"] for u in street["items"]}
    assert all("****" in u["phone"] for u in street["items"])


def test_create_with_grids_and_windows_gives_the_role_me_reports_and_a_one_time_link(client, world, window):
    response = api(client, world.users.secretary, "post", "/api/v1/staff", new_worker(world))
    assert response.status_code == 201
    body = response.json()
    assert (body["role"], body["grids"], body["community_id"]) == ("grid_worker", [world.grid2.pk], world.a.pk)
    created = User.objects.get(phone="13712345678")
    assert not created.has_usable_password() and list(created.grids.all()) == [world.grid2]
    clerk = api(
        client,
        world.users.secretary,
        "post",
        "/api/v1/staff",
        {"phone": "13712340000", "name": "窗口甲", "role": "window_staff", "windows": [window.pk]},
    )
    assert clerk.status_code == 201 and clerk.json()["windows"] == [window.pk]
    assert AuditEvent.objects.filter(action="staff.create").count() == 2

    setup = body["setup_url"].split("testserver")[1]
    assert client.get(setup).status_code == 200
    weak = client.post(setup, {"password1": "12345678", "password2": "12345678"})
    assert "密码" in weak.content.decode() and not User.objects.get(pk=created.pk).has_usable_password()
    client.post(setup, {"password1": "lake-view-2026", "password2": "lake-view-2026"})
    assert User.objects.get(pk=created.pk).check_password("lake-view-2026")
    assert client.get(setup).status_code == 410  # spent
    me = client.post(
        "/api/v1/auth/token", {"phone": "13712345678", "password": "lake-view-2026"}, content_type="application/json"
    )
    token = me.json()["token"]
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").json()["role"] == "grid_worker"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"role": "street_leader"}, 403),
        ({"role": "secretary"}, 403),
        ({"role": "resident"}, 403),
        ({"grids": [10**30]}, 422),
        ({"grids": ["x"]}, 422),
        ({"phone": "=1+2"}, 400),
        ({"name": "\x00"}, 422),
        ({"name": "张" * 20000}, 422),
        ({"name": "=HYPERLINK()"}, 400),
        ({"phone": "13900000001"}, 409),  # a demo-style number already taken by the world's users? (see below)
    ],
)
def test_create_refuses_escalation_and_hostile_input(client, world, body, status):
    User.objects.create_user("13900000001", None, name="已有", role=Role.RESIDENT)
    before = User.objects.count()
    response = api(client, world.users.secretary, "post", "/api/v1/staff", new_worker(world, grids=[]) | body)
    assert response.status_code == status, response.content
    assert "detail" in response.json()
    assert User.objects.count() == before


def test_nobody_raises_their_own_rights_or_changes_an_equal(client, world):
    secretary = world.users.secretary
    assert (
        api(client, secretary, "patch", f"/api/v1/staff/{secretary.uuid}", {"role": "street_leader"}).status_code == 403
    )
    assert api(client, secretary, "patch", f"/api/v1/staff/{secretary.uuid}", {"active": False}).status_code == 403
    peer = User.objects.create_user("13712349999", None, name="副书记", role=Role.SECRETARY, community=world.a)
    assert api(client, secretary, "patch", f"/api/v1/staff/{peer.uuid}", {"active": False}).status_code == 403
    assert (
        api(
            client, secretary, "patch", f"/api/v1/staff/{world.users.grid_worker.uuid}", {"role": "secretary"}
        ).status_code
        == 403
    )
    leader = world.users.street_leader
    assert api(client, leader, "patch", f"/api/v1/staff/{leader.uuid}", {"active": False}).status_code == 403
    assert User.objects.get(pk=secretary.pk).role == Role.SECRETARY
    assert api(client, secretary, "patch", "/api/v1/staff/not-a-uuid", {"active": False}).status_code == 404


def test_a_role_change_clears_grids_and_outside_grids_are_404(client, world, window):
    worker = world.users.grid_worker
    other_grid = world.b.grids.first()
    assert (
        api(
            client, world.users.secretary, "patch", f"/api/v1/staff/{worker.uuid}", {"grids": [other_grid.pk]}
        ).status_code
        == 404
    )
    response = api(
        client,
        world.users.secretary,
        "patch",
        f"/api/v1/staff/{worker.uuid}",
        {"role": "window_staff", "windows": [window.pk]},
    )
    assert response.status_code == 200 and response.json()["grids"] == [] and response.json()["windows"] == [window.pk]
    event = AuditEvent.objects.filter(action="staff.update").latest("id")
    assert event.changes["角色"] == ["网格员", "窗口工作人员"]


def test_a_disabled_account_is_refused_on_its_next_request(client, world):
    from django.test import Client

    worker = world.users.grid_worker
    token = ApiToken.issue(worker)
    browser = Client()
    browser.force_login(worker)
    assert browser.get("/office/households/").status_code == 200
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    assert (
        api(client, world.users.secretary, "patch", f"/api/v1/staff/{worker.uuid}", {"active": False}).status_code
        == 200
    )
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    assert browser.get("/office/households/").status_code == 302
    assert AuditEvent.objects.filter(action="staff.disable", target_id=str(worker.pk)).exists()
    assert (
        api(client, world.users.secretary, "patch", f"/api/v1/staff/{worker.uuid}", {"active": True}).status_code == 200
    )
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401  # tokens stay gone


def test_reset_password_ends_the_old_password_and_gives_a_new_link(client, world):
    worker = world.users.grid_worker
    token = ApiToken.issue(worker)
    response = api(client, world.users.secretary, "post", f"/api/v1/staff/{worker.uuid}/reset-password")
    assert response.status_code == 200 and "/account/setup/" in response.json()["setup_url"]
    assert not User.objects.get(pk=worker.pk).has_usable_password()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    assert (
        api(client, world.users.other_secretary, "post", f"/api/v1/staff/{worker.uuid}/reset-password").status_code
        == 404
    )


def test_staff_pages_for_the_secretary(login, world, window):
    client = login(world.users.secretary)
    page = client.get(reverse("staff:list")).content.decode()
    assert world.users.grid_worker.name in page and "各角色可以做什么" in page and "网格员" in page
    response = client.post(
        reverse("staff:create"),
        {"phone": "13712345678", "name": "周网格", "role": "grid_worker", "grids": [world.grid2.pk]},
    )
    assert response.status_code == 302
    listing = client.get(reverse("staff:list")).content.decode()
    assert "/account/setup/" in listing and "周网格" in listing
    created = User.objects.get(phone="13712345678")
    assert client.post(reverse("staff:toggle", args=[created.uuid])).status_code == 302
    assert not User.objects.get(pk=created.pk).is_active
    assert client.get(reverse("staff:edit", args=[world.users.secretary.uuid])).status_code == 403
    assert client.get(reverse("staff:edit", args=[world.users.other_secretary.uuid])).status_code == 404
    assert client.get(reverse("staff:export"))["Content-Type"].startswith("application/vnd.openxmlformats")
    assert login(world.users.grid_worker).get(reverse("staff:list")).status_code == 403


def test_the_street_administrator_adds_a_community_and_its_secretary(login, world):
    client = login(world.users.street_leader)
    assert client.post(reverse("staff:communities"), {"name": "新河社区"}).status_code == 302
    from jumin.places.models import Community

    community = Community.objects.get(name="新河社区")
    response = client.post(
        reverse("staff:create"),
        {"phone": "13712345670", "name": "新书记", "role": "secretary", "community": community.pk},
    )
    assert response.status_code == 302
    assert User.objects.get(phone="13712345670").community == community
    assert login(world.users.secretary).get(reverse("staff:communities")).status_code == 403


def test_staff_list_uses_constant_queries(client, world, django_assert_max_num_queries):
    for n in range(22):
        user = User.objects.create_user(
            f"1360000{n:04d}", None, name=f"员工{n}", role=Role.GRID_WORKER, community=world.a
        )
        user.grids.set([world.grid1])
    token = ApiToken.issue(world.users.secretary)
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/staff?page_size=30", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.json()["count"] >= 25
    client.force_login(world.users.secretary)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("staff:list")).status_code == 200


def test_setup_on_an_empty_database_creates_the_street_communities_and_administrator(db, settings, capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from jumin.places.models import Community, Street

    settings.ALLOW_DEMO_PASSWORD = False
    base = ["--noinput", "--street", "北镇街道", "--community", "玉龙湖社区", "--community", "黄河社区"]
    base += ["--admin-phone", "13800000001", "--admin-name", "街道管理员"]
    import os

    os.environ["JUMIN_ADMIN_PASSWORD"] = "jumin-demo"
    try:
        with pytest.raises(CommandError, match="演示密码"):
            call_command("setup", *base)
    finally:
        del os.environ["JUMIN_ADMIN_PASSWORD"]
    assert not Street.objects.exists()
    call_command("setup", *base)
    out = capsys.readouterr().out
    assert "/account/setup/" in out and "房屋导入" in out and "下一步" in out
    admin = User.objects.get(phone="13800000001")
    assert admin.role == Role.STREET_LEADER and admin.street.name == "北镇街道" and not admin.has_usable_password()
    assert set(Community.objects.values_list("name", flat=True)) == {"玉龙湖社区", "黄河社区"}
    assert Window.objects.filter(community__name="黄河社区").exists()
    with pytest.raises(CommandError, match="空数据库"):
        call_command("setup", *base)


def test_patch_refuses_malformed_bodies_without_500(client, world):
    token = ApiToken.issue(world.users.secretary)
    url = f"/api/v1/staff/{world.users.grid_worker.uuid}"
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    for body in ("{not json", '{"grids": "1"}', '{"active": "perhaps"}', '{"grids": [1, 2, "x"]}'):
        response = client.patch(url, body, content_type="application/json", **headers)
        assert 400 <= response.status_code < 500, (body, response.status_code)
        assert "detail" in response.json()
    assert (
        client.patch(f"/api/v1/staff/{'9' * 40}", "{}", content_type="application/json", **headers).status_code == 404
    )
    assert User.objects.get(pk=world.users.grid_worker.pk).is_active

"""Notices reach exactly their audience — pages, API and the inbox — and staff see who has not read them."""

import datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from jumin.cases.models import Notification
from jumin.core.errors import DomainError, PermissionDenied
from jumin.core.models import ApiToken
from jumin.news import services
from jumin.news.models import Notice, NoticeReceipt
from jumin.people.tests.factories import TagFactory


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}


def publish(world, capture, **audience):
    with capture(execute=True):
        return services.notice_publish(
            actor=world.users.secretary, community=world.a, title=f"通知{len(audience)}", body="内容", **audience
        )


def reached(world, client, notice) -> dict:
    """For each of our three residents with logins (张三丰 grid 1 玉龙花园 66 党员; 王建国 grid 1 玉龙花园 45
    下岗; the outsider in the other community): does the notice reach them on the page, the API and the inbox?"""
    seen = {}
    for key in ("resident", "neighbour", "outsider"):
        user = getattr(world.users, key)
        client.force_login(user)
        page = client.get(f"/me/notices/{notice.uuid}/").status_code == 200
        listed = notice.title in client.get("/me/notices/").content.decode()
        api = [n["uuid"] for n in client.get("/api/v1/notices", **bearer(user)).json()["items"]]
        inbox = Notification.objects.filter(user=user, title__contains=notice.title).exists()
        assert page == listed == (str(notice.uuid) in api) == inbox, (key, page, listed, api, inbox)
        seen[key] = page
    return seen


@pytest.mark.parametrize(
    "audience, expected",
    [
        ({}, {"resident": True, "neighbour": True, "outsider": False}),
        ({"compounds": "compound"}, {"resident": True, "neighbour": True, "outsider": False}),
        ({"compounds": "compound2"}, {"resident": False, "neighbour": False, "outsider": False}),
        ({"grids": "grid2"}, {"resident": False, "neighbour": False, "outsider": False}),
        ({"grids": "grid1"}, {"resident": True, "neighbour": True, "outsider": False}),
        ({"tags": ["elderly"]}, {"resident": True, "neighbour": False, "outsider": False}),
        ({"tags": ["laid_off"]}, {"resident": False, "neighbour": True, "outsider": False}),
        ({"tags": ["elderly"], "grids": "grid2"}, {"resident": False, "neighbour": False, "outsider": False}),
    ],
)
def test_a_targeted_notice_never_reaches_anyone_outside_it(
    world, client, django_capture_on_commit_callbacks, audience, expected
):
    resolved = {k: [getattr(world, v).pk] if isinstance(v, str) else v for k, v in audience.items()}
    notice = publish(world, django_capture_on_commit_callbacks, **resolved)
    assert notice.audience_all == (not audience)
    assert reached(world, client, notice) == expected


def test_publishing_refuses_another_communitys_places_and_unknown_tags(world):
    for audience in ({"compounds": [world.outsider_home.compound_id]}, {"grids": [2**70]}, {"tags": ["nope"]}):
        with pytest.raises(DomainError):
            services.notice_publish(actor=world.users.secretary, community=world.a, title="t", body="b", **audience)
    with pytest.raises(PermissionDenied):
        services.notice_publish(actor=world.users.mediator, community=world.a, title="t", body="b")
    with pytest.raises(PermissionDenied):
        services.notice_publish(actor=world.users.other_secretary, community=world.a, title="t", body="b")
    assert not Notice.objects.exists()


def test_reading_records_one_receipt_and_staff_see_who_has_not_read(world, login):
    TagFactory(code="low_income", name="低保户")
    notice = services.notice_publish(
        actor=world.users.secretary,
        community=world.a,
        title="停水",
        body="周六停水",
        urgent=True,
        compounds=[world.compound.pk],
    )
    client = login(world.users.resident)
    client.get(f"/me/notices/{notice.uuid}/")
    client.get(f"/me/notices/{notice.uuid}/")
    assert NoticeReceipt.objects.filter(notice=notice).count() == 1
    staff = login(world.users.secretary)
    page = staff.get(f"/office/notices/{notice.uuid}/").content.decode()
    assert "还没有读的居民(2 人)" in page  # 李秀英 and 王建国 live in 玉龙花园 too; 张三丰 has read it
    assert "王建国" in page and world.neighbour.phone in page and "赵红梅" not in page
    rows = list(load_workbook(BytesIO(staff.get(f"/office/notices/{notice.uuid}/unread.xlsx").content)).active.values)
    assert sorted(r[0] for r in rows[1:]) == sorted(["李秀英", "王建国"])
    masked = login(world.users.mediator).get(f"/office/notices/{notice.uuid}/").content.decode()
    assert world.neighbour.phone not in masked


def test_staff_post_a_notice_through_the_api(world, client, django_capture_on_commit_callbacks):
    payload = {
        "title": "老年人体检",
        "body": "周三上午",
        "audience": {"tags": ["elderly"], "grids": [world.grid1.pk]},
        "pinned": True,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/notices", payload, content_type="application/json", **bearer(world.users.secretary)
        )
    assert response.status_code == 201, response.json()
    assert response.json()["pinned"] is True and response.json()["audience_all"] is False
    assert Notification.objects.filter(user=world.users.resident, title__contains="老年人体检").exists()
    assert not Notification.objects.filter(user=world.users.neighbour, title__contains="老年人体检").exists()
    for bad in (
        {"title": "x", "body": "y", "audience": {"grids": ["a"]}},
        {"title": "x" * 20000, "body": "y"},
        {"title": "x", "body": "y", "audience": {"grids": [2**70]}},
        {"title": "x", "body": "y", "audience": {"tags": ["zz"]}},
    ):
        response = client.post("/api/v1/notices", bad, content_type="application/json", **bearer(world.users.secretary))
        assert response.status_code in (400, 422) and "detail" in response.json()
    assert (
        client.post(
            "/api/v1/notices", payload, content_type="application/json", **bearer(world.users.resident)
        ).status_code
        == 403
    )
    assert Notice.objects.count() == 1


def test_lists_run_in_constant_queries(world, login, django_assert_max_num_queries):
    for n in range(25):
        services.notice_publish(
            actor=world.users.secretary,
            community=world.a,
            title=f"通知{n}",
            body="b",
            grids=[world.grid1.pk] if n % 2 else [],
        )
        services.broadcast_publish(
            actor=world.users.secretary,
            community=world.a,
            title=f"第{n}期",
            aired_on=datetime.date(2026, 1, 1) + datetime.timedelta(weeks=n),
        )
    for user, urls in (
        (world.users.secretary, ["/office/notices/", "/office/notices/export.xlsx", "/broadcasts/"]),
        (world.users.resident, ["/me/notices/", "/broadcasts/"]),
    ):
        client = login(user)
        for url in urls:
            with django_assert_max_num_queries(12):
                assert client.get(url).status_code == 200


def test_public_board_shows_only_notices_to_everyone(world, client):
    services.notice_publish(actor=world.users.secretary, community=world.a, title="议事会", body="b")
    services.notice_publish(
        actor=world.users.secretary, community=world.a, title="低保年审", body="b", tags=["laid_off"]
    )
    page = client.get(f"/board/{world.a.uuid}/").content.decode()
    assert "议事会" in page and "低保年审" not in page


def test_broadcast_episode_with_transcript(world, login):
    with pytest.raises(DomainError):
        services.broadcast_publish(
            actor=world.users.secretary,
            community=world.a,
            title="t",
            aired_on=datetime.date.today(),
            video_url="javascript:alert(1)",
        )
    episode = services.broadcast_publish(
        actor=world.users.secretary,
        community=world.a,
        title="第一期",
        aired_on=datetime.date(2026, 11, 20),
        transcript="欢迎收看",
    )
    page = login(world.users.resident).get(f"/broadcasts/{episode.uuid}/").content.decode()
    assert "欢迎收看" in page and "2026年11月20日" in page
    assert login(world.users.outsider).get(f"/broadcasts/{episode.uuid}/").status_code == 404


def test_demo_publishes_a_season_and_notices_targeted_each_way(world):
    import random
    from zoneinfo import ZoneInfo

    from jumin.news.demo import demo_news
    from jumin.news.models import Broadcast

    TagFactory(code="low_income", name="低保户")
    line = demo_news(world.a, random.Random(1), datetime.datetime(2026, 11, 25, 15, tzinfo=ZoneInfo("Asia/Shanghai")))
    assert "12 期" in line and Broadcast.objects.count() == 12
    assert Notice.objects.filter(audience_all=True).exists()
    assert (
        Notice.objects.filter(compounds__isnull=False).exists() and Notice.objects.filter(grids__isnull=False).exists()
    )
    assert Notice.objects.filter(tag_codes__code="elderly").exists()


def test_control_characters_are_refused_in_the_api_and_the_form(world, client, login):
    bad = {"title": "停水\x00通知", "body": "b"}
    response = client.post("/api/v1/notices", bad, content_type="application/json", **bearer(world.users.secretary))
    assert response.status_code == 422 and "控制字符" in response.json()["detail"] + str(response.json())
    page = login(world.users.secretary).post("/office/notices/new/", {**bad, "category": "policy"})
    assert page.status_code == 200 and "控制字符" in page.content.decode()
    assert not Notice.objects.exists()

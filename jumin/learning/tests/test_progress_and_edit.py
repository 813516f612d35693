"""The progress API (by member and by organisation, scoped as the pages are) and the course edit / unpublish page."""

import json

import pytest

from jumin.core.errors import Conflict, DomainError, PermissionDenied
from jumin.core.models import ApiToken
from jumin.learning import selectors, services
from jumin.learning.models import Course

from .factories import more_members


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}


def progress(client, user, query=""):
    return client.get(f"/api/v1/learning/progress{query}", **bearer(user))


def test_progress_api_gives_each_member_their_courses_scoped_like_the_pages(st, client):
    body = progress(client, st.users.secretary).json()
    assert set(body) >= {"items", "count", "page", "pages", "next"}
    rows = {r["name"]: r for r in body["items"]}
    assert set(rows) == {"张三丰", "王建国", "赵红梅"}
    elder = rows["张三丰"]
    assert (elder["assigned"], elder["overdue"], elder["needs_visit"], elder["elderly"]) == (2, 1, True, True)
    assert {c["title"]: c["status"] for c in elder["courses"]} == {"二十大精神": "overdue", "党章学习": "todo"}
    assert "phone" not in json.dumps(body) and "id_" not in json.dumps(body)
    visit = progress(client, st.users.secretary, "?status=visit").json()
    assert [r["name"] for r in visit["items"]] == ["张三丰"]
    grid2 = progress(client, st.users.secretary, f"?org={st.tree.grid2.uuid}").json()
    assert [r["name"] for r in grid2["items"]] == ["赵红梅"]
    # A branch secretary sees their branch and below; a member their own row; another community nothing of ours.
    assert {r["name"] for r in progress(client, st.users.neighbour).json()["items"]} == {"张三丰", "王建国"}
    assert [r["name"] for r in progress(client, st.users.resident).json()["items"]] == ["张三丰"]
    assert {r["name"] for r in progress(client, st.users.other_secretary).json()["items"]} == {
        st.world.outsider_resident.name
    }
    assert progress(client, st.users.other_secretary, f"?org={st.tree.grid1.uuid}").status_code == 404
    assert progress(client, st.users.resident, f"?org={st.tree.grid1.uuid}").status_code == 404
    assert progress(client, st.users.secretary, "?org=not-a-uuid").status_code == 404
    bad = progress(client, st.users.secretary, "?status=%3Dcmd")
    assert bad.status_code == 422 and "detail" in bad.json()
    assert progress(client, st.tutor).json()["count"] == 0


def test_org_progress_api_rolls_up_the_tree(st, client):
    services.study_record(actor=st.users.resident, member=st.elder, course=st.plain, minutes=30, completed=True)
    rows = {
        r["name"]: r for r in client.get("/api/v1/learning/progress/orgs", **bearer(st.users.secretary)).json()["items"]
    }
    assert rows["玉龙湖社区党委"]["members"] == 3 and rows["第1网格党支部"]["members"] == 2
    assert (rows["1号楼党小组"]["assigned"], rows["1号楼党小组"]["done"], rows["1号楼党小组"]["rate"]) == (2, 1, 50)
    assert rows["1号楼党小组"]["parent"] == str(st.tree.grid1.uuid)
    assert client.get("/api/v1/learning/progress/orgs", **bearer(st.users.resident)).json()["count"] == 0


def test_progress_api_runs_in_constant_queries(st, client, django_assert_max_num_queries):
    more_members(st.world, st.tree, 22)
    with django_assert_max_num_queries(14):
        body = progress(client, st.users.secretary, "?page_size=50").json()
    assert body["count"] == 25 and len(body["items"]) == 25
    with django_assert_max_num_queries(14):
        assert client.get("/api/v1/learning/progress/orgs", **bearer(st.users.secretary)).status_code == 200


def test_secretary_edits_a_course_and_a_stale_form_is_refused(st, login):
    office = login(st.users.secretary)
    page = office.get(f"/office/learning/courses/{st.plain.uuid}/edit/").content.decode()
    assert "修改课程" in page and "二十大精神" in page
    stamp = Course.objects.get(pk=st.plain.pk).updated_at.isoformat()
    data = {"action": "save", "stamp": stamp, "title": "二十大精神学习", "minutes": "45", "pass_mark": "60"}
    response = office.post(f"/office/learning/courses/{st.plain.uuid}/edit/", data, follow=True)
    assert "已保存《二十大精神学习》的修改" in response.content.decode()
    st.plain.refresh_from_db()
    assert (st.plain.title, st.plain.minutes) == ("二十大精神学习", 45)
    # The same stale form again: refused, nothing overwritten.
    response = office.post(f"/office/learning/courses/{st.plain.uuid}/edit/", {**data, "title": "旧标题"})
    assert "刚被他人修改" in response.content.decode()
    assert Course.objects.get(pk=st.plain.pk).title == "二十大精神学习"
    # Hostile input: Chinese messages, nothing written.
    fresh = Course.objects.get(pk=st.plain.pk).updated_at.isoformat()
    for bad in (
        {"title": "党章学习"},
        {"title": "x" * 20000},
        {"minutes": "99999999999999999999999"},
        {"video_url": "javascript:alert(1)"},
        {"title": "课\x07程"},
        {"stamp": "昨天"},
    ):
        response = office.post(f"/office/learning/courses/{st.plain.uuid}/edit/", {**data, "stamp": fresh, **bad})
        assert response.status_code == 200 and "已保存" not in response.content.decode()
    assert Course.objects.get(pk=st.plain.pk).title == "二十大精神学习"


def test_unpublishing_takes_a_course_from_the_members_and_keeps_its_records(st, login, client):
    services.study_record(actor=st.users.resident, member=st.elder, course=st.plain, minutes=10)
    office = login(st.users.secretary)
    response = office.post(f"/office/learning/courses/{st.plain.uuid}/edit/", {"action": "unpublish"}, follow=True)
    assert "已停止发布《二十大精神》" in response.content.decode()
    assert [d.course.title for d in selectors.member_dues(st.elder)] == ["党章学习"]
    assert [
        c["title"] for c in client.get("/api/v1/learning/courses", **bearer(st.users.resident)).json()["items"]
    ] == ["党章学习"]
    assert client.get(f"/api/v1/learning/courses/{st.plain.uuid}", **bearer(st.users.resident)).status_code == 404
    assert st.plain.records.count() == 1
    with pytest.raises(Conflict):
        services.course_publish(actor=st.users.secretary, course=st.plain, published=False)
    services.course_publish(actor=st.users.secretary, course=st.plain, published=True)
    assert len(selectors.member_dues(st.elder)) == 2


def test_only_the_communitys_managers_edit_or_unpublish(st, login):
    for user, status in ((st.users.grid_worker, 403), (st.users.other_secretary, 404), (st.users.resident, 404)):
        client = login(user)
        assert client.get(f"/office/learning/courses/{st.plain.uuid}/edit/").status_code == status
        assert (
            client.post(f"/office/learning/courses/{st.plain.uuid}/edit/", {"action": "unpublish"}).status_code
            == status
        )
    with pytest.raises(PermissionDenied):
        services.course_update(actor=st.users.other_secretary, course=st.plain, title="改名")
    with pytest.raises(DomainError):
        services.course_update(actor=st.users.secretary, course=st.plain, title=" ")
    assert Course.objects.get(pk=st.plain.pk).published

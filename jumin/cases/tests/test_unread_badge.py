"""The header's 消息 badge: cached per user, yet right at once when messages arrive or are read."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jumin.cases.models import Notification
from jumin.cases.notify import notify
from jumin.cases.selectors import UNREAD_SECONDS

OFFICE = "/office/households/"


def badge(client) -> str:
    html = client.get(OFFICE).content.decode()
    start = html.index(reverse("cases:notifications"))
    return html[start : html.index("</a>", start)]


def test_badge_counts_arrivals_at_once_and_clears_on_reading(login, world, django_capture_on_commit_callbacks):
    secretary = world.users.secretary
    Notification.objects.filter(user=secretary).delete()
    client = login(secretary)
    assert "未读" not in badge(client)

    with django_capture_on_commit_callbacks(execute=True):
        notify([secretary], title="新事项")
    assert "(1 条未读)" in badge(client)
    with django_capture_on_commit_callbacks(execute=True):
        notify([secretary, world.users.grid_worker], title="又一件")
    assert "(2 条未读)" in badge(client)

    # The notifications page marks them read and its own header already says so.
    page = client.get(reverse("cases:notifications")).content.decode()
    assert "条未读" not in page[: page.index("</header>")]
    assert "未读" not in badge(client)


def test_a_cached_badge_costs_no_query(login, world, django_capture_on_commit_callbacks):
    secretary = world.users.secretary
    with django_capture_on_commit_callbacks(execute=True):
        notify([secretary], title="新事项")
    client = login(secretary)
    client.get(OFFICE)
    with CaptureQueriesContext(connection) as queries:
        assert "条未读" in badge(client)
    assert not [q for q in queries.captured_queries if Notification._meta.db_table in q["sql"]]


def test_badge_hides_messages_about_a_case_the_user_no_longer_sees(login, world, time_machine):
    """What changes no message (a case gone confidential, a grid handed over) shows once the minute is up."""
    from jumin.cases import services as case_services

    from .case_kind import TEST_KIND

    case = case_services.case_open(actor=world.users.resident, kind=TEST_KIND.code, title="楼道灯", body="不亮")
    worker = world.users.grid_worker
    Notification.objects.filter(user=worker).delete()
    Notification.objects.create(user=worker, case=case, title="新事项")
    client = login(worker)
    time_machine.move_to("2026-12-02 09:00 +0800")
    assert "(1 条未读)" in badge(client)

    type(case).objects.filter(pk=case.pk).update(confidential=True)
    time_machine.shift(UNREAD_SECONDS + 1)
    assert "未读" not in badge(client)

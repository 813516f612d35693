"""Bearer tokens die on their own: after API_TOKEN_IDLE_DAYS unused, and API_TOKEN_MAX_DAYS after issue."""

import datetime

import time_machine
from django.utils import timezone

from jumin.core.models import ApiToken

START = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC)


def me(client, raw):
    return client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_a_token_unused_for_longer_than_the_idle_limit_is_refused(client, world, settings):
    settings.API_TOKEN_IDLE_DAYS, settings.API_TOKEN_MAX_DAYS = 30, 180
    with time_machine.travel(START, tick=False):
        raw = ApiToken.issue(world.users.resident)
    with time_machine.travel(START + datetime.timedelta(days=29), tick=False):
        assert me(client, raw).status_code == 200
    # Used on day 29, so it lives until day 59.
    with time_machine.travel(START + datetime.timedelta(days=58), tick=False):
        assert me(client, raw).status_code == 200
    with time_machine.travel(START + datetime.timedelta(days=89), tick=False):
        response = me(client, raw)
    assert response.status_code == 401
    assert "登录" in response.json()["detail"] or "令牌" in response.json()["detail"]


def test_a_token_in_daily_use_still_ends_at_the_maximum_age(client, world, settings):
    settings.API_TOKEN_IDLE_DAYS, settings.API_TOKEN_MAX_DAYS = 30, 60
    with time_machine.travel(START, tick=False):
        raw = ApiToken.issue(world.users.resident)
    for day in range(0, 60, 20):
        with time_machine.travel(START + datetime.timedelta(days=day), tick=False):
            assert me(client, raw).status_code == 200
    with time_machine.travel(START + datetime.timedelta(days=61), tick=False):
        assert me(client, raw).status_code == 401
        assert not ApiToken.objects.live(timezone.now()).exists()

"""load_demo and demo_accounts on an empty database or with bad input: no full load needed."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jumin.demo.accounts import demo_accounts_table
from jumin.places.models import Community

pytestmark = pytest.mark.django_db


def test_production_refuses_the_demo_password(settings):
    settings.ALLOW_DEMO_PASSWORD = False
    with pytest.raises(CommandError, match="生产环境"):
        call_command("load_demo", stdout=StringIO())
    assert not Community.objects.exists()


def test_scale_must_be_positive():
    with pytest.raises(CommandError, match="--scale"):
        call_command("load_demo", "--scale", "0", stdout=StringIO())


def test_existing_community_is_refused_without_if_empty():
    from jumin.places.tests.factories import CommunityFactory

    CommunityFactory()
    with pytest.raises(CommandError, match="数据库已有数据"):
        call_command("load_demo", stdout=StringIO())
    out = StringIO()
    call_command("load_demo", "--if-empty", stdout=out)
    assert "跳过" in out.getvalue()
    assert Community.objects.count() == 1


def test_accounts_table_says_how_to_load_when_empty():
    assert "load_demo" in demo_accounts_table()

"""rotate_keys on the demo database (18,100 residents): every ID number still reveals and matches afterwards."""

import time

import pytest
from django.core.management import call_command

from jumin.core.models import User
from jumin.people import idcard
from jumin.people.models import Resident

pytestmark = pytest.mark.django_db


def test_rotate_keys_on_the_demo_street_keeps_every_id_readable_and_findable(demo, settings, client, capsys):
    expected = dict(Resident.objects.values_list("pk", "id_number"))
    assert len(expected) > 10_000
    old_id_key, old_blind = settings.ID_KEY, settings.BLIND_INDEX_KEY
    settings.ID_KEY_FROM_SECRET_KEY = False
    settings.ID_KEY, settings.ID_KEY_FALLBACKS = "a-fresh-id-key-for-the-demo-street-0123456789", [old_id_key]
    settings.BLIND_INDEX_KEY, settings.BLIND_INDEX_KEY_FALLBACKS = "a-fresh-blind-index-key", [old_blind]

    started = time.perf_counter()
    call_command("rotate_keys", "--batch-size", "2000")
    seconds = time.perf_counter() - started
    out = capsys.readouterr().out
    assert f"重新加密 {len(expected):,} 条" in out and "全部完成" in out, out
    print(f"rotate_keys: {len(expected):,} 条 {seconds:.1f} s")

    settings.ID_KEY_FALLBACKS, settings.BLIND_INDEX_KEY_FALLBACKS = [], []
    rows = Resident.objects.values_list("pk", "id_number", "id_hash")
    assert {pk: number for pk, number, _h in rows} == expected
    assert all(h == idcard.blind_index(number) for _pk, number, h in rows)

    # A secretary of the demo still reveals a number on the page, and the number still finds its resident.
    secretary = User.objects.get(phone="13900000001")
    resident = Resident.objects.filter(community=secretary.community, status="active").exclude(phone="").first()
    client.force_login(secretary)
    page = client.post(f"/office/residents/{resident.uuid}/reveal-id/")
    assert expected[resident.pk] in page.content.decode()
    found = Resident.objects.filter(id_hash__in=idcard.blind_indexes(expected[resident.pk]), status="active").get()
    assert found.pk == resident.pk

"""The ID numbers' keys: their own settings, independent of DJANGO_SECRET_KEY, and rotate_keys."""

import pytest
from django.core.management import call_command
from django.db import connection
from encrypted_fields.fields import EncryptedCharField

from jumin.people import idcard
from jumin.people.keys import rotate_id_keys
from jumin.people.models import Resident
from jumin.people.services import identity_fields

pytestmark = pytest.mark.django_db

OLD_SECRET = "an-old-django-secret-key-of-some-length-0123456789"
NEW_ID_KEY = "a-brand-new-id-key-that-is-long-enough-0123456789"


def raw_tokens():
    table = Resident._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, id_number, id_hash FROM {table} ORDER BY id")  # noqa: S608
        return {pk: (token, id_hash) for pk, token, id_hash in cursor.fetchall()}


def write_tokens(tokens):
    table = Resident._meta.db_table
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET id_number = %s, id_hash = %s WHERE id = %s",  # noqa: S608
            [(token, id_hash, pk) for pk, (token, id_hash) in tokens.items()],
        )


def numbers():
    return dict(Resident.objects.values_list("pk", "id_number"))


def legacy_settings(settings, secret=OLD_SECRET, blind_key=None):
    """A deployment from before JUMIN_ID_KEY: the key is the secret key. Every row is rewritten as the old field
    wrote it under that key (and, given, the blind index under `blind_key`); returns {pk: number}."""
    expected = numbers()
    settings.SECRET_KEY = secret
    settings.SECRET_KEY_FALLBACKS = []
    settings.ID_KEY_FROM_SECRET_KEY = True
    settings.ID_KEY = secret
    settings.ID_KEY_FALLBACKS = []
    if blind_key:
        settings.BLIND_INDEX_KEY, settings.BLIND_INDEX_KEY_FALLBACKS = blind_key, []
    old_field = EncryptedCharField(max_length=18)  # what people.Resident.id_number was before
    write_tokens(
        {pk: (old_field.get_prep_value(number), idcard.blind_index(number)) for pk, number in expected.items()}
    )
    return expected


def test_rows_written_by_the_old_field_still_read_after_the_upgrade(world, settings):
    """An upgraded deployment without JUMIN_ID_KEY reads what django-fernet-encrypted-fields wrote with its secret
    key and salt; so does one that pins JUMIN_ID_KEY to that secret and then changes the secret key."""
    legacy_settings(settings)
    number = world.resident.id_number
    assert Resident.objects.get(pk=world.resident.pk).id_number == number

    settings.ID_KEY = OLD_SECRET  # JUMIN_ID_KEY pinned to the old secret …
    settings.ID_KEY_FROM_SECRET_KEY = False
    settings.SECRET_KEY = "a-completely-different-secret-key-0123456789abcdef"  # … and the secret key changed
    assert Resident.objects.get(pk=world.resident.pk).id_number == number
    assert Resident.objects.filter(id_hash=idcard.blind_index(number)).exists()


def test_changing_the_secret_key_changes_nothing_but_sessions(world, settings, client):
    settings.ID_KEY_FROM_SECRET_KEY = False
    settings.ID_KEY = NEW_ID_KEY
    settings.ID_KEY_FALLBACKS = []
    world.resident.id_number = world.resident.id_number  # re-encrypt under the ID key
    world.resident.save()
    before = numbers()
    client.force_login(world.users.secretary)
    assert client.get("/office/households/").status_code == 200

    settings.SECRET_KEY = "a-completely-different-secret-key-0123456789abcdef"
    assert numbers()[world.resident.pk] == before[world.resident.pk]
    assert client.get("/office/households/").status_code == 302  # the session's hash no longer matches: logged out


def test_rotate_keys_reencrypts_and_reindexes_every_id_and_an_old_copy_still_reads(world, settings):
    expected = legacy_settings(settings, blind_key="old-blind-index-key")
    copy_before = raw_tokens()

    settings.ID_KEY_FROM_SECRET_KEY = False
    settings.ID_KEY, settings.ID_KEY_FALLBACKS = NEW_ID_KEY, [OLD_SECRET]
    settings.BLIND_INDEX_KEY, settings.BLIND_INDEX_KEY_FALLBACKS = "new-blind-index-key", ["old-blind-index-key"]
    # Mid-rotation (nothing rotated yet) every number still reads and still matches through the fallbacks.
    assert numbers() == expected
    assert identity_fields(world.resident.id_number)["id_hash"] not in {h for _t, h in copy_before.values()}
    assert Resident.objects.filter(id_hash__in=idcard.blind_indexes(world.resident.id_number)).count() == 1

    result = rotate_id_keys(batch_size=2)
    assert result.done and result.checked == len(expected)
    assert result.reencrypted == result.reindexed == len(expected)
    assert rotate_id_keys(batch_size=2).reencrypted == 0  # resumable: a second run finds nothing left

    settings.ID_KEY_FALLBACKS, settings.BLIND_INDEX_KEY_FALLBACKS = [], []  # the old keys dropped
    assert numbers() == expected
    for pk, number in expected.items():
        assert Resident.objects.get(id_hash=idcard.blind_index(number)).pk == pk

    settings.ID_KEY_FALLBACKS = [OLD_SECRET]  # a copy of the database from before the rotation, with the fallback
    write_tokens(copy_before)
    assert numbers() == expected


def test_an_interrupted_rotation_resumes_where_it_stopped(world, settings):
    expected = legacy_settings(settings)
    settings.ID_KEY_FROM_SECRET_KEY = False
    settings.ID_KEY, settings.ID_KEY_FALLBACKS = NEW_ID_KEY, [OLD_SECRET]
    first_pk = min(expected)
    partial = rotate_id_keys(batch_size=1, after_id=first_pk)  # as if the first batch were the only one left
    assert partial.reencrypted == len(expected) - 1
    assert rotate_id_keys().reencrypted == 1
    settings.ID_KEY_FALLBACKS = []
    assert numbers() == expected


def test_rotate_keys_command_refuses_to_finish_while_some_row_needs_a_missing_key(world, settings, capsys):
    from django.core.management.base import CommandError

    legacy_settings(settings)
    settings.ID_KEY_FROM_SECRET_KEY = False
    settings.ID_KEY, settings.ID_KEY_FALLBACKS = NEW_ID_KEY, []  # the old key forgotten
    with pytest.raises(CommandError, match="JUMIN_ID_KEY_FALLBACKS"):
        call_command("rotate_keys")
    settings.ID_KEY_FALLBACKS = [OLD_SECRET]
    call_command("rotate_keys", "--batch-size", "3")
    assert "全部完成" in capsys.readouterr().out


def test_deploy_check_warns_while_the_id_key_is_still_the_secret_key(settings):
    from jumin.people.apps import id_key_check

    settings.ID_KEY_FROM_SECRET_KEY = True
    assert [w.id for w in id_key_check()] == ["jumin.W001"]
    settings.ID_KEY_FROM_SECRET_KEY = False
    assert id_key_check() == []

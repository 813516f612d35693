"""Key rotation for the 身份证号: re-encrypt every row under settings.ID_KEY and rebuild the blind index under
settings.BLIND_INDEX_KEY, in batches that each commit on their own, so an interrupted run is simply run again.

A row is done when the current key decrypts it and its id_hash is the current key's: the next run skips it. The
old keys stay in JUMIN_ID_KEY_FALLBACKS / JUMIN_BLIND_INDEX_KEY_FALLBACKS until a run reports nothing left, so the
site keeps reading (and matching) every row meanwhile, and a backup taken before the rotation still reads."""

from dataclasses import dataclass, field

from cryptography.fernet import InvalidToken, MultiFernet
from django.db import connection, transaction

from . import idcard
from .fields import id_fernets
from .models import Resident


@dataclass
class RotationResult:
    checked: int = 0
    reencrypted: int = 0
    reindexed: int = 0
    # Row ids no key decrypts (never their numbers): restore the missing key into the fallbacks and run again.
    unreadable: list[int] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return not self.unreadable


def rotate_id_keys(*, batch_size: int = 500, after_id: int = 0, progress=None) -> RotationResult:
    fernets = id_fernets()
    primary, everyone = fernets[0], MultiFernet(list(fernets))
    table = connection.ops.quote_name(Resident._meta.db_table)
    column = connection.ops.quote_name(Resident._meta.get_field("id_number").column)
    result = RotationResult()
    last = after_id
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, {column}, id_hash FROM {table} WHERE id > %s ORDER BY id LIMIT %s",  # noqa: S608 - names from the model
                [last, batch_size],
            )
            rows = cursor.fetchall()
        if not rows:
            return result
        updates = []
        for pk, token, id_hash in rows:
            result.checked += 1
            new_token = token
            try:
                number = primary.decrypt(token.encode()).decode()
            except InvalidToken:
                try:
                    number = everyone.decrypt(token.encode()).decode()
                except InvalidToken:
                    result.unreadable.append(pk)
                    continue
                new_token = primary.encrypt(number.encode()).decode()
                result.reencrypted += 1
            new_hash = idcard.blind_index(number)
            if new_hash != id_hash:
                result.reindexed += 1
            if new_token != token or new_hash != id_hash:
                updates.append((new_token, new_hash, pk, token))
        if updates:
            with transaction.atomic(), connection.cursor() as cursor:
                # Only where the row still holds what was read: a number corrected meanwhile is left for the next run.
                cursor.executemany(
                    f"UPDATE {table} SET {column} = %s, id_hash = %s WHERE id = %s AND {column} = %s",  # noqa: S608
                    updates,
                )
        last = rows[-1][0]
        if progress is not None:
            progress(result, last)

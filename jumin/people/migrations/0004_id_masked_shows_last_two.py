"""The masked ID number keeps the area code and the last two characters (idcard.mask says why), in the register
and in the audit log, whose register changes no longer carry birth dates (services.register_changes). Rewritten
from what is stored: no number is decrypted."""

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Concat, Right, Substr

CHUNK = 1000


def mask(value):
    return value[:6] + "*" * (len(value) - 8) + value[-2:] if value and len(value) > 8 else value


def forwards(apps, schema_editor):
    Resident = apps.get_model("people", "Resident")
    Resident.objects.exclude(id_masked="").update(
        id_masked=Concat(Substr("id_masked", 1, 6), Value("*" * 10), Right("id_masked", 2))
    )
    AuditEvent = apps.get_model("core", "AuditEvent")
    events = AuditEvent.objects.filter(target_type="resident").only("changes")
    changed = []
    for event in events.iterator(chunk_size=CHUNK):
        changes = dict(event.changes or {})
        if "身份证号" in changes:
            changes["身份证号"] = [mask(v) for v in changes["身份证号"]]
        changes.pop("出生日期", None)
        if changes != event.changes:
            event.changes = changes
            changed.append(event)
    AuditEvent.objects.bulk_update(changed, ["changes"], batch_size=CHUNK)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0003_resident_search_columns_and_covering_indexes"),
        ("core", "0005_audit_event_case"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]

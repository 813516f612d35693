from django.db import migrations, models
from django.db.models import Max


def carry_last_reminder(apps, schema_editor):
    Case = apps.get_model("core", "Case")
    CaseEvent = apps.get_model("core", "CaseEvent")
    last = CaseEvent.objects.filter(kind="reminder").values("case_id").annotate(at=Max("created_at"))
    for row in last:
        Case.objects.filter(pk=row["case_id"]).update(reminded_at=row["at"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_audit_event_case"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="reminded_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="最近催办"),
        ),
        migrations.RunPython(carry_last_reminder, migrations.RunPython.noop),
    ]

import django.db.models.deletion
from django.db import migrations, models

# Models whose audit events belong to a case, and the path from their pk to it.
CASE_PATHS = {
    ("core", "case"): "pk",
    ("errands", "errand"): "case_id",
    ("party", "opinion"): "case_id",
    ("mediation", "dispute"): "case_id",
    ("mediation", "namedparty"): "dispute__case_id",
    ("mediation", "mediationsession"): "dispute__case_id",
    ("mediation", "agreement"): "dispute__case_id",
}


def link_events_to_cases(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    for (app_label, model_name), path in CASE_PATHS.items():
        model = apps.get_model(app_label, model_name)
        ids = AuditEvent.objects.filter(target_type=model_name, case__isnull=True).values_list("target_id", flat=True)
        pks = {int(pk) for pk in ids if pk.isdigit()}
        for pk, case_id in model.objects.filter(pk__in=pks).values_list("pk", path):
            AuditEvent.objects.filter(target_type=model_name, target_id=str(pk)).update(case_id=case_id)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_case_attachments_private_storage"),
        ("errands", "0002_errand_documents_ready_and_handover"),
        ("party", "0001_opinion"),
        ("mediation", "0001_dispute_sessions_agreements"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="case",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.case",
                verbose_name="事项",
            ),
        ),
        migrations.RunPython(link_events_to_cases, migrations.RunPython.noop),
    ]

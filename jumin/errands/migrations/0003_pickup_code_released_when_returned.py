from django.db import migrations, models

RETURNED = "returned"


def release_returned_codes(apps, schema_editor):
    """Errands already returned (已退回) can never be collected: their codes are free from now on."""
    Errand = apps.get_model("errands", "Errand")
    Errand.objects.filter(picked_up_at__isnull=True, case__status=RETURNED).update(pickup_code_released=True)


class Migration(migrations.Migration):
    dependencies = [
        ("errands", "0002_errand_documents_ready_and_handover"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="errand",
            name="errand_open_pickup_code_unique",
        ),
        migrations.AddField(
            model_name="errand",
            name="pickup_code_released",
            field=models.BooleanField(default=False, verbose_name="取件码已作废"),
        ),
        migrations.RunPython(release_returned_codes, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="errand",
            constraint=models.UniqueConstraint(
                condition=models.Q(("picked_up_at__isnull", True), ("pickup_code_released", False)),
                fields=("community", "pickup_code"),
                name="errand_live_pickup_code_unique",
            ),
        ),
    ]

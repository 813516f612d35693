import uuid

from django.db import migrations, models


def fill_uuids(apps, schema_editor):
    Compound = apps.get_model("places", "Compound")
    for compound in Compound.objects.all().only("pk"):
        Compound.objects.filter(pk=compound.pk).update(uuid=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("places", "0002_community_places_version")]

    operations = [
        migrations.AddField(
            model_name="dwelling",
            name="floor_area",
            field=models.DecimalField(
                blank=True, decimal_places=2, max_digits=8, null=True, verbose_name="专有部分面积(㎡)"
            ),
        ),
        migrations.AddField(
            model_name="compound", name="uuid", field=models.UUIDField(editable=False, null=True)
        ),
        migrations.RunPython(fill_uuids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="compound",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]

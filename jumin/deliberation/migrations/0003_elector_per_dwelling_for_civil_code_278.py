import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    # Apart from 0002: PostgreSQL refuses to ALTER a table in the transaction that updated its foreign keys.

    dependencies = [
        ('deliberation', '0002_elector_dwelling_from_household'),
        ('people', '0006_id_number_keyed_by_id_key'),
        ('places', '0004_dwelling_kind_and_owners'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='elector',
            name='elector_household_once',
        ),
        migrations.AlterField(
            model_name='elector',
            name='dwelling',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='places.dwelling'),
        ),
        migrations.AddField(
            model_name='elector',
            name='owners',
            field=models.CharField(blank=True, max_length=300, verbose_name='产权人'),
        ),
        migrations.AlterField(
            model_name='elector',
            name='household',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='people.household'),
        ),
        migrations.AddConstraint(
            model_name='elector',
            constraint=models.UniqueConstraint(condition=models.Q(('household__isnull', False), ('resident__isnull', True)), fields=('ballot', 'household'), name='elector_household_once'),
        ),
        migrations.AddConstraint(
            model_name='elector',
            constraint=models.UniqueConstraint(condition=models.Q(('household__isnull', True), ('resident__isnull', True)), fields=('ballot', 'dwelling'), name='elector_dwelling_once'),
        ),
        migrations.AddConstraint(
            model_name='elector',
            constraint=models.CheckConstraint(condition=models.Q(('household__isnull', False), ('resident__isnull', True), _connector='OR'), name='elector_resident_has_household'),
        ),
    ]

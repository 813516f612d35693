from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("errands", "0003_pickup_code_released_when_returned"),
    ]

    operations = [
        migrations.AddField(
            model_name="errand",
            name="wrong_code_attempts",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="当日取件码输错次数"),
        ),
        migrations.AddField(
            model_name="errand",
            name="wrong_code_on",
            field=models.DateField(blank=True, null=True, verbose_name="取件码输错日期"),
        ),
    ]

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("columns", "0005_seed_category_update_rules"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="OfflineWindow",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("starts_at", models.DateTimeField(verbose_name="offline from")),
                ("ends_at", models.DateTimeField(verbose_name="back online at")),
                ("reason", models.CharField(max_length=300, verbose_name="reason")),
                (
                    "scheduled_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="notice published at"
                    ),
                ),
                (
                    "scheduled_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="scheduled by",
                    ),
                ),
                (
                    "site",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="offline_windows",
                        to="columns.site",
                        verbose_name="site",
                    ),
                ),
            ],
            options={
                "verbose_name": "temporary offline window",
                "verbose_name_plural": "temporary offline windows",
                "ordering": ["-starts_at"],
            },
        ),
    ]

"""The visits log's position moves from PublicHost to VisitsLogPosition, which also holds the
position of the local log (STATIC_PAGES_LOCAL_ACCESS_LOG), read by the same code."""

import django.db.models.deletion
import django.db.models.functions.comparison
from django.db import migrations, models


def move_positions(apps, schema_editor):
    PublicHost = apps.get_model("staticsite", "PublicHost")
    VisitsLogPosition = apps.get_model("staticsite", "VisitsLogPosition")
    VisitsLogPosition.objects.bulk_create(
        VisitsLogPosition(public_host_id=pk, head=head, offset=offset)
        for pk, head, offset in PublicHost.objects.values_list(
            "pk", "visits_log_head", "visits_log_offset"
        )
    )


def move_positions_back(apps, schema_editor):
    PublicHost = apps.get_model("staticsite", "PublicHost")
    VisitsLogPosition = apps.get_model("staticsite", "VisitsLogPosition")
    for position in VisitsLogPosition.objects.filter(public_host__isnull=False):
        PublicHost.objects.filter(pk=position.public_host_id).update(
            visits_log_head=position.head, visits_log_offset=position.offset
        )


class Migration(migrations.Migration):
    dependencies = [
        ("staticsite", "0004_pending_render_priority"),
    ]

    operations = [
        migrations.CreateModel(
            name="VisitsLogPosition",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("head", models.CharField(blank=True, max_length=64)),
                ("offset", models.BigIntegerField(default=0)),
                (
                    "public_host",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="visits_log",
                        to="staticsite.publichost",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        django.db.models.functions.comparison.Coalesce(
                            "public_host", models.Value(0)
                        ),
                        name="visits_log_position_per_log",
                    )
                ],
            },
        ),
        migrations.RunPython(move_positions, move_positions_back),
        migrations.RemoveField(model_name="publichost", name="visits_log_head"),
        migrations.RemoveField(model_name="publichost", name="visits_log_offset"),
    ]

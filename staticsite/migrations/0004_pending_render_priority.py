from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("staticsite", "0003_visits_log_position"),
    ]

    operations = [
        migrations.AddField(
            model_name="pendingrender",
            name="priority",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddIndex(
            model_name="pendingrender",
            index=models.Index(fields=["priority", "queued_at", "id"], name="pending_render_next"),
        ),
    ]

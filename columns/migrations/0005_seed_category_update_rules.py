"""Store the national indicators' longest update gaps [P§9] as rules the operator edits."""

from django.db import migrations

BASIS = "《政府网站与政务新媒体检查指标》(国办秘函〔2019〕19号)"
RULES = {
    "news": 14,
    "notice": 183,
    "policy": 183,
    "personnel": 365,
    "planning": 365,
    "overview": 365,
    "interaction": 365,
    "service": 365,
    "topic": 365,
    "other": 365,
}


def seed(apps, schema_editor):
    CategoryUpdateRule = apps.get_model("columns", "CategoryUpdateRule")
    for category, days in RULES.items():
        CategoryUpdateRule.objects.get_or_create(
            category=category, defaults={"max_gap_days": days, "basis": BASIS}
        )


def mark_assigned_units_explicit(apps, schema_editor):
    # Before this migration every column's unit was set on the column itself.
    Column = apps.get_model("columns", "Column")
    Column.objects.filter(unit__isnull=False).update(unit_assigned_explicitly=True)


class Migration(migrations.Migration):
    dependencies = [("columns", "0004_column_ownership_rules_and_requests")]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(mark_assigned_units_explicit, migrations.RunPython.noop),
    ]

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

import columns.uploads


class Migration(migrations.Migration):
    dependencies = [
        ("columns", "0006_offline_window"),
        ("publishing", "0002_content_checks"),
    ]

    operations = [
        migrations.CreateModel(
            name="ServiceItem",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                ("code", models.CharField(blank=True, max_length=60, verbose_name="item code")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("licensing", "Administrative licensing"),
                            ("confirmation", "Administrative confirmation"),
                            ("payment", "Administrative payment"),
                            ("public_service", "Public service"),
                            ("other", "Other"),
                        ],
                        default="public_service",
                        max_length=20,
                        verbose_name="type",
                    ),
                ),
                ("summary", models.CharField(blank=True, max_length=300, verbose_name="summary")),
                ("legal_basis", models.TextField(verbose_name="legal basis")),
                ("conditions", models.TextField(verbose_name="conditions")),
                (
                    "procedure",
                    models.TextField(help_text="One step per line.", verbose_name="procedure"),
                ),
                ("time_limit", models.CharField(max_length=200, verbose_name="time limit")),
                ("fees", models.CharField(default="不收费", max_length=200, verbose_name="fees")),
                ("office", models.CharField(max_length=300, verbose_name="handling office")),
                (
                    "office_hours",
                    models.CharField(blank=True, max_length=200, verbose_name="office hours"),
                ),
                ("contact", models.CharField(max_length=100, verbose_name="contact phone")),
                ("online_url", models.URLField(blank=True, verbose_name="online handling link")),
                ("is_published", models.BooleanField(default=False, verbose_name="published")),
                ("position", models.PositiveIntegerField(default=0, verbose_name="position")),
                (
                    "updated_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="updated at"
                    ),
                ),
                (
                    "site",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="service_items",
                        to="columns.site",
                        verbose_name="site",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="service_items",
                        to="columns.unit",
                        verbose_name="handling unit",
                    ),
                ),
            ],
            options={
                "verbose_name": "service item",
                "verbose_name_plural": "service items",
                "ordering": ["position", "id"],
            },
        ),
        migrations.CreateModel(
            name="ServiceDocument",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("blank_form", "Blank form"),
                            ("instructions", "Filling instructions"),
                            ("sample", "Sample document"),
                        ],
                        max_length=20,
                        verbose_name="type",
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                (
                    "file",
                    models.FileField(
                        upload_to="service-forms/%Y/%m/",
                        validators=[columns.uploads.validate_attachment],
                        verbose_name="file",
                    ),
                ),
                ("position", models.PositiveIntegerField(default=0, verbose_name="position")),
                (
                    "item",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="documents",
                        to="publishing.serviceitem",
                        verbose_name="item",
                    ),
                ),
            ],
            options={
                "verbose_name": "downloadable document",
                "verbose_name_plural": "downloadable documents",
                "ordering": ["position", "id"],
            },
        ),
        migrations.CreateModel(
            name="ServiceMaterial",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                ("basis", models.CharField(blank=True, max_length=300, verbose_name="basis")),
                (
                    "form",
                    models.CharField(
                        choices=[
                            ("original", "Original"),
                            ("copy", "Photocopy"),
                            ("both", "Original and photocopy"),
                            ("electronic", "Electronic"),
                        ],
                        default="original",
                        max_length=20,
                        verbose_name="format",
                    ),
                ),
                ("copies", models.PositiveSmallIntegerField(default=1, verbose_name="copies")),
                (
                    "endorsement",
                    models.CharField(
                        choices=[
                            ("none", "Not required"),
                            ("signature", "Signature"),
                            ("seal", "Seal"),
                            ("both", "Signature and seal"),
                        ],
                        default="none",
                        max_length=20,
                        verbose_name="signature or seal",
                    ),
                ),
                ("required", models.BooleanField(default=True, verbose_name="required")),
                ("position", models.PositiveIntegerField(default=0, verbose_name="position")),
                (
                    "item",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="materials",
                        to="publishing.serviceitem",
                        verbose_name="item",
                    ),
                ),
            ],
            options={
                "verbose_name": "required material",
                "verbose_name_plural": "required materials",
                "ordering": ["position", "id"],
            },
        ),
    ]

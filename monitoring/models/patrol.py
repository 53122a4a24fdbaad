"""日常巡检 — the duty officer's daily checklist [Q§25]."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PatrolRecord(models.Model):
    """日常巡检记录 — one day's check of one site: 运行, 链接可用, 栏目更新, 内容质量, with the
    problems found and what was corrected."""

    site = models.ForeignKey(
        "columns.Site", on_delete=models.PROTECT, related_name="+", verbose_name=_("site")
    )
    day = models.DateField(_("day"), default=timezone.localdate)
    duty_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("duty officer"),
        editable=False,
    )
    site_running = models.BooleanField(_("site running normally"))
    links_usable = models.BooleanField(_("links usable"))
    columns_updated = models.BooleanField(_("columns updated in time"))
    content_correct = models.BooleanField(_("content correct"))
    problems_found = models.TextField(_("problems found"), blank=True)
    corrections = models.TextField(_("corrections made"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("daily patrol record")
        verbose_name_plural = _("daily patrol records")
        ordering = ["-day", "site"]
        constraints = [
            models.UniqueConstraint(fields=["site", "day"], name="one_patrol_per_site_day")
        ]

    def __str__(self):
        return f"{self.site} {self.day}"

    @property
    def all_passed(self):
        return (
            self.site_running
            and self.links_usable
            and self.columns_updated
            and self.content_correct
        )

    def clean(self):
        errors = {}
        if self.day and self.day > timezone.localdate():
            errors["day"] = _("A patrol cannot be recorded for a day that has not come yet.")
        if self.site_id and self.day:
            others = PatrolRecord.objects.filter(site_id=self.site_id, day=self.day)
            if self.pk:
                others = others.exclude(pk=self.pk)
            if others.exists():
                errors["day"] = _(
                    "This site's patrol for that day is already recorded; open it to add to it."
                )
        if not self.all_passed and not (self.problems_found or "").strip():
            errors["problems_found"] = _("A check did not pass: describe the problems found.")
        if errors:
            raise ValidationError(errors)

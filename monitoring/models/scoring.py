"""国办秘函〔2019〕19号 as data: each indicator's kind, points and thresholds, and the scoring
scheme (total, pass mark, bonus entry, the 75-point base of sites without service functions).
Seeded from the regulation by a data migration; the operator adjusts them in the admin and
each change is written to the operation log (monitoring.services)."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class IndicatorKind(models.TextChoices):
    VETO = "veto", _("Veto")
    DEDUCTION = "deduction", _("Deduction")


class IndicatorRule(models.Model):
    """检查指标 — one indicator of the national table: a 单项否决 item (its thresholds) or an
    扣分 item (its thresholds and its points, which its deductions never exceed)."""

    code = models.SlugField(_("code"), max_length=40, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=IndicatorKind.choices, editable=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    points = models.DecimalField(
        _("points"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("扣分 items: the most this indicator can deduct. Empty for veto items."),
    )
    thresholds = models.JSONField(
        _("thresholds"),
        default=dict,
        help_text=_("The indicator's figures by name; every name must stay, values are numbers."),
    )
    concerns_services = models.BooleanField(
        _("concerns services"),
        default=False,
        help_text=_("Not checked for sites of departments without service functions."),
    )
    open_in_table = models.BooleanField(
        _("not fixed by the published table"),
        default=False,
        help_text=_(
            "表中未规定: the published table leaves these values open; the figures here are the "
            "platform's own setting and the inspector may adjust them."
        ),
    )
    basis = models.TextField(
        _("basis"), blank=True, help_text=_("The clause of the regulation these values follow.")
    )

    class Meta:
        verbose_name = _("inspection indicator")
        verbose_name_plural = _("inspection indicators")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.code


class ScoringScheme(models.Model):
    """评分办法 — how the 扣分 items make a score: out of total_points (each item's
    deductions capped at its points); a site without service functions is scored on the
    remaining base and scaled up (75 × 4/3); under pass_score 不合格; over bonus_above the
    加分 part applies. One row."""

    total_points = models.DecimalField(
        _("total points"), max_digits=5, decimal_places=2, default=Decimal(100)
    )
    without_services_points = models.DecimalField(
        _("base without service functions"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(75),
        help_text=_(
            "Sites without service functions are scored out of this and scaled to the total."
        ),
    )
    pass_score = models.DecimalField(
        _("pass mark"), max_digits=5, decimal_places=2, default=Decimal(60)
    )
    bonus_above = models.DecimalField(
        _("bonus part above"), max_digits=5, decimal_places=2, default=Decimal(80)
    )
    sites_without_services = models.ManyToManyField(
        "columns.Site",
        blank=True,
        related_name="+",
        verbose_name=_("sites without service functions"),
    )
    basis = models.TextField(_("basis"), blank=True)

    class Meta:
        verbose_name = _("scoring scheme")
        verbose_name_plural = _("scoring scheme")

    def __str__(self):
        return str(_("Scoring scheme (国办秘函〔2019〕19号)"))

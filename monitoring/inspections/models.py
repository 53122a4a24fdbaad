"""Records of inspection: spot-check campaigns, problems and their rectification, special
supervision, monthly score sheets and the annual reports.

Statuses change only through monitoring.inspections.workflow, called from services.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from columns.uploads import validate_attachment, validate_cover_image

#: The smallest share of units a spot check may sample [G九(三)].
MIN_SAMPLE_RATIO = 0.3


class CampaignStatus(models.TextChoices):
    OPEN = "open", _("Under way")
    CLOSED = "closed", _("Closed, results settled")
    PUBLISHED = "published", _("Results published")


class SpotCheckCampaign(models.Model):
    """抽查活动 — a quarterly spot check of a random sample of the units.

    The draw is kept with its seed and the population it was drawn from, so that
    monitoring.inspections.sampling.draw(population, seed, ratio) shows the same sample again.
    """

    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    sample_ratio = models.DecimalField(
        _("sample ratio"),
        max_digits=3,
        decimal_places=2,
        default=MIN_SAMPLE_RATIO,
        help_text=_("Share of the units drawn; at least 0.30."),
    )
    seed = models.BigIntegerField(_("random seed"), editable=False)
    population = models.JSONField(_("units drawn from"), default=list, editable=False)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CampaignStatus.choices,
        default=CampaignStatus.OPEN,
        editable=False,
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("opened by"),
        editable=False,
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    summary = models.TextField(_("published summary"), blank=True)

    class Meta:
        verbose_name = _("spot-check campaign")
        verbose_name_plural = _("spot-check campaigns")
        ordering = ["-year", "-quarter", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        # A literal path: beat workers and admin-only processes have no public URLconf.
        return f"/inspections/campaigns/{self.pk}/"


class SpotCheckSample(models.Model):
    """抽中单位 — one unit drawn in a campaign, and at closing whether it rectified in time."""

    campaign = models.ForeignKey(
        SpotCheckCampaign, on_delete=models.CASCADE, related_name="samples"
    )
    unit = models.ForeignKey(
        "columns.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    rectified = models.BooleanField(_("rectified in time"), null=True, editable=False)

    class Meta:
        verbose_name = _("sampled unit")
        verbose_name_plural = _("sampled units")
        ordering = ["campaign", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="unit_sampled_once"),
        ]

    def __str__(self):
        return f"{self.campaign} · {self.unit}"


class ProblemCategory(models.TextChoices):
    """问题类别 — the national inspection indicators' veto and deduction items."""

    UNREACHABLE = "unreachable", _("Site unreachable")
    STALE_HOMEPAGE = "stale_homepage", _("Homepage not updated")
    STALE_COLUMN = "stale_column", _("Column not updated")
    BLANK_COLUMN = "blank_column", _("Blank column")
    BROKEN_LINK = "broken_link", _("Broken link")
    SERIOUS_ERROR = "serious_error", _("Serious wording error")
    UNANSWERED_MESSAGE = "unanswered_message", _("Message not answered")
    OTHER = "other", _("Other")


class ProblemStatus(models.TextChoices):
    OPEN = "open", _("Awaiting rectification")
    ANSWERED = "answered", _("Rectification reported")
    RETURNED = "returned", _("Sent back")
    VERIFIED = "verified", _("Rectification verified")


class SpotCheckProblem(models.Model):
    """抽查问题 — a problem found in a sampled unit, to be rectified by its deadline (限期整改)."""

    campaign = models.ForeignKey(
        SpotCheckCampaign,
        on_delete=models.CASCADE,
        related_name="problems",
        verbose_name=_("campaign"),
    )
    unit = models.ForeignKey(
        "columns.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    category = models.CharField(_("category"), max_length=30, choices=ProblemCategory.choices)
    description = models.TextField(_("description"))
    evidence_url = models.URLField(_("evidence link"), max_length=500, blank=True)
    screenshot = models.ImageField(
        _("screenshot"),
        upload_to="inspections/screenshots/%Y/%m/",
        blank=True,
        validators=[validate_cover_image],
    )
    finding = models.CharField(
        _("monitoring finding"),
        max_length=100,
        blank=True,
        editable=False,
        help_text=_("The monitoring finding the problem was filled in from."),
    )
    deadline = models.DateField(_("rectification deadline"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ProblemStatus.choices,
        default=ProblemStatus.OPEN,
        editable=False,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    response = models.TextField(_("what the unit did"), blank=True, editable=False)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    responded_at = models.DateTimeField(
        _("rectification reported at"), null=True, blank=True, editable=False
    )
    verification_comment = models.TextField(_("inspector's comment"), blank=True, editable=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("spot-check problem")
        verbose_name_plural = _("spot-check problems")
        ordering = ["deadline", "pk"]

    def __str__(self):
        return f"{self.unit} · {self.get_category_display()}"


class SupervisionStatus(models.TextChoices):
    AWAITING = "awaiting", _("Awaiting written self-examination")
    SUBMITTED = "submitted", _("Self-examination submitted")
    CLEARED = "cleared", _("Cleared")


class SpecialSupervision(models.Model):
    """专项督办 — a unit that failed to rectify in two consecutive campaigns [Q§22]; flagged
    until the inspector clears it after its written self-examination (书面检查)."""

    unit = models.ForeignKey(
        "columns.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    campaign = models.ForeignKey(
        SpotCheckCampaign,
        on_delete=models.PROTECT,
        related_name="supervisions",
        verbose_name=_("campaign"),
    )
    previous_campaign = models.ForeignKey(
        SpotCheckCampaign,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("previous campaign"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SupervisionStatus.choices,
        default=SupervisionStatus.AWAITING,
        editable=False,
    )
    opened_at = models.DateTimeField(_("flagged at"), default=timezone.now, editable=False)
    self_examination = models.FileField(
        _("written self-examination"),
        upload_to="inspections/self-examinations/%Y/",
        blank=True,
        validators=[validate_attachment],
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    cleared_at = models.DateTimeField(_("cleared at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("special supervision")
        verbose_name_plural = _("special supervisions")
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"],
                condition=~models.Q(status="cleared"),
                name="one_open_supervision_per_unit",
            ),
        ]

    def __str__(self):
        return f"{self.unit} · {self.campaign}"


# --- monthly scoring ------------------------------------------------------------------------


class ScoreRuleSet(models.Model):
    """评分细则 — the monthly scoring rules in force, as data the inspector edits [C麻山]."""

    name = models.CharField(_("name"), max_length=100)
    is_active = models.BooleanField(_("in force"), default=True)
    pass_mark = models.DecimalField(
        _("pass mark"),
        max_digits=5,
        decimal_places=1,
        default=60,
        help_text=_("A unit whose average monthly total for the year is below it fails."),
    )
    basis = models.CharField(_("basis"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("scoring rule set")
        verbose_name_plural = _("scoring rule sets")

    def __str__(self):
        return self.name


class ScoreMethod(models.TextChoices):
    MANUAL = "manual", _("Scored by hand")
    UPDATE_FREQUENCY = "update_frequency", _("Update frequency")
    PER_ITEM = "per_item", _("Points per item published")


class ScoreRule(models.Model):
    """评分项 — one item of a rule set: scored by hand, by update frequency, or per item.

    Update frequency: weekly_points when every week of the month (days 1–7, 8–14, 15–21,
    22–end) has a published item of the unit, fortnightly_points when both halves (1–14,
    15–end) have one, monthly_points when the month has one. Per item: points_per_item for
    each item the unit published in the month. Every item is capped at max_points.
    """

    rule_set = models.ForeignKey(ScoreRuleSet, on_delete=models.CASCADE, related_name="rules")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=100)
    method = models.CharField(_("method"), max_length=20, choices=ScoreMethod.choices)
    max_points = models.DecimalField(_("maximum points"), max_digits=5, decimal_places=1)
    weekly_points = models.DecimalField(
        _("points if updated weekly"), max_digits=5, decimal_places=1, default=0
    )
    fortnightly_points = models.DecimalField(
        _("points if updated fortnightly"), max_digits=5, decimal_places=1, default=0
    )
    monthly_points = models.DecimalField(
        _("points if updated monthly"), max_digits=5, decimal_places=1, default=0
    )
    points_per_item = models.DecimalField(
        _("points per item"), max_digits=5, decimal_places=1, default=0
    )

    class Meta:
        verbose_name = _("scoring rule")
        verbose_name_plural = _("scoring rules")
        ordering = ["rule_set", "position", "pk"]

    def __str__(self):
        return f"{self.name} ({self.max_points})"

    def clean(self):
        if self.max_points is None:
            return
        tiers = [self.weekly_points, self.fortnightly_points, self.monthly_points]
        if self.max_points <= 0:
            raise ValidationError({"max_points": _("The maximum must be more than 0 points.")})
        if self.method == ScoreMethod.UPDATE_FREQUENCY and not (
            self.max_points >= tiers[0] >= tiers[1] >= tiers[2] >= 0
        ):
            raise ValidationError(
                _(
                    "Weekly, fortnightly and monthly points must each be no more than the one "
                    "before, and weekly no more than the maximum."
                )
            )
        if self.method == ScoreMethod.PER_ITEM and not 0 < self.points_per_item <= self.max_points:
            raise ValidationError(
                {"points_per_item": _("Give points per item between 0 and the maximum.")}
            )


class ScoreMonth(models.Model):
    """月度考评 — one month's score sheets of every unit; published as the monthly table."""

    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    rule_set = models.ForeignKey(ScoreRuleSet, on_delete=models.PROTECT, related_name="+")
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("monthly assessment")
        verbose_name_plural = _("monthly assessments")
        ordering = ["-year", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="one_assessment_per_month"),
        ]

    def __str__(self):
        return f"{self.year}-{self.month:02d}"

    def get_absolute_url(self):
        return f"/inspections/scores/{self.year}/{self.month}/"


class ScoreStatus(models.TextChoices):
    COMPUTED = "computed", _("Computed, awaiting self-score")
    SELF_SCORED = "self_scored", _("Self-scored")
    CONFIRMED = "confirmed", _("Confirmed")


class MonthlyScore(models.Model):
    """月度评分 — one unit's score sheet for a month."""

    month = models.ForeignKey(ScoreMonth, on_delete=models.CASCADE, related_name="scores")
    unit = models.ForeignKey(
        "columns.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ScoreStatus.choices,
        default=ScoreStatus.COMPUTED,
        editable=False,
    )
    total = models.DecimalField(_("total"), max_digits=6, decimal_places=1, default=0)
    self_scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    self_scored_at = models.DateTimeField(_("self-scored at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("monthly score")
        verbose_name_plural = _("monthly scores")
        ordering = ["month", "-total", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["month", "unit"], name="one_score_per_unit_month"),
        ]

    def __str__(self):
        return f"{self.month} · {self.unit}"


class MonthlyScoreItem(models.Model):
    """评分明细 — one rule's points on a score sheet: computed, self-scored, confirmed."""

    score = models.ForeignKey(MonthlyScore, on_delete=models.CASCADE, related_name="items")
    rule = models.ForeignKey(ScoreRule, on_delete=models.PROTECT, related_name="+")
    measured = models.CharField(_("measured"), max_length=100, blank=True)
    computed_points = models.DecimalField(
        _("computed points"), max_digits=5, decimal_places=1, null=True
    )
    self_points = models.DecimalField(_("self-score"), max_digits=5, decimal_places=1, null=True)
    confirmed_points = models.DecimalField(
        _("confirmed points"), max_digits=5, decimal_places=1, null=True
    )

    class Meta:
        verbose_name = _("score item")
        verbose_name_plural = _("score items")
        ordering = ["score", "rule__position", "rule__pk"]
        constraints = [
            models.UniqueConstraint(fields=["score", "rule"], name="one_item_per_rule"),
        ]

    def __str__(self):
        return f"{self.score} · {self.rule.name}"

    @property
    def points(self):
        """The points that count: the inspector's, else the unit's own, else the computed."""
        for value in (self.confirmed_points, self.self_points, self.computed_points):
            if value is not None:
                return value
        return 0


# --- annual reports -------------------------------------------------------------------------


class ReportKind(models.TextChoices):
    SITE = "site", _("Website annual report")
    SUPERVISOR = "supervisor", _("Supervisor's annual report")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEWED = "reviewed", _("Reviewed")
    PUBLISHED = "published", _("Published")


class AnnualReport(models.Model):
    """年度工作报表 — a site's annual report (国办函〔2018〕12号) or the supervisor's
    (监管年度报表): figures from the platform's data, the rest completed by hand.

    figures holds what was computed at generation, manual what people entered; the field
    list and which fields are required live in monitoring.inspections.reports.
    """

    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=20, choices=ReportKind.choices)
    site = models.ForeignKey(
        "columns.Site",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("site"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ReportStatus.choices,
        default=ReportStatus.DRAFT,
        editable=False,
    )
    figures = models.JSONField(_("figures from the platform"), default=dict, editable=False)
    per_column = models.JSONField(_("items per column"), default=list, editable=False)
    manual = models.JSONField(_("figures entered by hand"), default=dict, editable=False)
    generated_at = models.DateTimeField(_("generated at"), default=timezone.now, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["-year", "kind", "site"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "kind", "site"], name="one_report_per_year_and_site"
            ),
            models.UniqueConstraint(
                fields=["year"],
                condition=models.Q(kind="supervisor"),
                name="one_supervisor_report_per_year",
            ),
        ]

    def __str__(self):
        subject = self.site.name if self.site_id else _("Supervisor")
        return f"{self.year} · {subject} · {self.get_kind_display()}"

    def get_absolute_url(self):
        return f"/inspections/reports/{self.pk}/"

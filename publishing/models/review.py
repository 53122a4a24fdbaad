"""三审 — review chains as data, and each submission's run and decisions as records.

A ReviewChain per unit and importance lists ordered ReviewSteps, each naming the Role that
decides it. Submitting an article starts a ReviewRun that copies the applicable steps, so a
later change of the chain does not alter a run under way; each decision is a ReviewDecision
that can be neither edited nor deleted.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from columns.models import Role

from .articles import Article, Importance


class ReviewChain(models.Model):
    """审核流程 — the ordered steps an article of one unit and importance passes."""

    unit = models.ForeignKey(
        "columns.Unit",
        on_delete=models.CASCADE,
        related_name="review_chains",
        verbose_name=_("unit"),
    )
    importance = models.CharField(_("importance"), max_length=20, choices=Importance.choices)

    class Meta:
        verbose_name = _("review chain")
        verbose_name_plural = _("review chains")
        ordering = ["unit", "importance"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "importance"], name="one_chain_per_importance"),
        ]

    def __str__(self):
        return f"{self.unit} · {self.get_importance_display()}"


class ReviewStep(models.Model):
    """审核环节 — one step of a chain: 初审, 复审, 终审, 保密审查 or 涉舆审核."""

    chain = models.ForeignKey(
        ReviewChain, on_delete=models.CASCADE, related_name="steps", verbose_name=_("chain")
    )
    position = models.PositiveIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=50)
    role = models.CharField(_("decided by"), max_length=30, choices=Role.choices)
    only_if_opinion_sensitive = models.BooleanField(
        _("only for items that may stir public opinion"), default=False
    )

    class Meta:
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")
        ordering = ["chain", "position"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "position"], name="step_position_unique"),
        ]

    def __str__(self):
        return f"{self.position}. {self.name} ({self.get_role_display()})"


class ReviewRun(models.Model):
    """审核过程 — one submission of an article through its chain."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="review_runs", verbose_name=_("article")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    #: The applicable steps copied from the chain at submission: [{"name": .., "role": ..}].
    steps = models.JSONField(_("steps"))
    current_index = models.PositiveIntegerField(_("current step"), default=0)
    # Denormalised from steps[current_index] so the reviewers' inbox is one indexed query.
    current_role = models.CharField(_("waiting for"), max_length=30, blank=True, db_index=True)
    waiting_since = models.DateTimeField(_("waiting since"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.IN_PROGRESS
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("review run")
        verbose_name_plural = _("review runs")
        ordering = ["-submitted_at"]

    def __str__(self):
        return f"{self.article} · {self.submitted_at:%Y-%m-%d %H:%M}"

    @property
    def current_step_name(self):
        if self.status != self.Status.IN_PROGRESS:
            return ""
        return self.steps[self.current_index]["name"]


class ReviewDecision(models.Model):
    """审核意见 — who decided which step, when, how and why. Immutable once written."""

    class Outcome(models.TextChoices):
        APPROVE = "approve", _("Approved")
        RETURN = "return", _("Returned")

    run = models.ForeignKey(
        ReviewRun, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("review run")
    )
    step_index = models.PositiveIntegerField(_("step"))
    step_name = models.CharField(_("step name"), max_length=50)
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    outcome = models.CharField(_("decision"), max_length=20, choices=Outcome.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="review_decisions",
        verbose_name=_("reviewer"),
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("review decision")
        verbose_name_plural = _("review decisions")
        ordering = ["run", "step_index"]
        constraints = [
            # The database itself refuses a second decision on one step of one run.
            models.UniqueConstraint(fields=["run", "step_index"], name="one_decision_per_step"),
        ]

    def __str__(self):
        return f"{self.step_name}: {self.get_outcome_display()} ({self.decided_by})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("A review decision cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("A review decision cannot be deleted."))

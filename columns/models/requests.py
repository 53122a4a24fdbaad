"""What units ask the operator about columns: objections to an assignment, new special topics.

Both are decided once by the operator; the decision (who, when, which way, why) stays on
the row. Their status changes only through columns.workflow.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .structure import Site, Unit
from .tree import Column


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class Decision(models.Model):
    """决定 — who decided, when and why; kept on the row decided (here, and on interaction's
    extension requests)."""

    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)

    class Meta:
        abstract = True


class Decided(Decision):
    """The operator's recorded decision, shared by both kinds of request."""

    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RequestStatus.choices,
        default=RequestStatus.PENDING,
        db_index=True,
    )
    created_at = models.DateTimeField(_("filed at"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]


class ColumnObjection(Decided):
    """栏目分配异议 — a unit disputes that a column was assigned to it [Q§8]."""

    column = models.ForeignKey(
        Column, on_delete=models.CASCADE, related_name="objections", verbose_name=_("column")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="objections", verbose_name=_("unit")
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("filed by"),
    )
    reason = models.TextField(_("reason"))
    proposed_unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("unit proposed instead"),
    )
    reassigned_to = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reassigned to"),
    )

    class Meta(Decided.Meta):
        verbose_name = _("objection to a column assignment")
        verbose_name_plural = _("objections to column assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["column", "unit"],
                condition=models.Q(status="pending"),
                name="one_pending_objection_per_column_and_unit",
            ),
        ]

    def __str__(self):
        return f"{self.unit}: {self.column}"


class SpecialTopicRequest(Decided):
    """专题申请 — a unit asks for a new special-topic column [Q§12]."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="topic_requests", verbose_name=_("unit")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    site = models.ForeignKey(Site, on_delete=models.PROTECT, verbose_name=_("site"))
    parent = models.ForeignKey(
        Column,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("under column"),
        help_text=_("Empty: a top-level column of the site."),
    )
    name = models.CharField(_("topic name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=60)
    reason = models.TextField(_("reason"))
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    column = models.ForeignKey(
        Column,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("column created"),
    )

    class Meta(Decided.Meta):
        verbose_name = _("special-topic request")
        verbose_name_plural = _("special-topic requests")

    def __str__(self):
        return self.name

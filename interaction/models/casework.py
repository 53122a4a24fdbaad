"""办理 — what every tracked case keeps besides itself: its handling records, the versions of
its due time, the extensions asked for and the once-only deadline alerts.

Abstract, so that a citizen's message (here) and a disclosure request (disclosure, built on
interaction) keep them alike. Each concrete model adds the foreign key to its case, named for
it, with the related names ``events``, ``deadlines``, ``extensions`` and ``alerts`` that
interaction.services.deadline_versions reads, and its own constraint names.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from columns.models.requests import Decision


class CaseEvent(models.Model):
    """办理记录 — one step of a case's handling: who, when, from which state to which."""

    #: What the public tracking page calls each action (staff names are never shown).
    LABELS = {}

    action = models.CharField(_("action"), max_length=30, db_index=True)
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("by"),
    )
    comment = models.TextField(_("comment"), blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        abstract = True
        verbose_name = _("handling record")
        verbose_name_plural = _("handling records")
        ordering = ["at", "pk"]

    def get_public_label(self):
        return self.LABELS.get(self.action, self.action)


class CaseDeadline(models.Model):
    """期限变更 — one version of a case's due time; the concrete model adds its reasons."""

    version = models.PositiveIntegerField(_("version"))
    due_at = models.DateTimeField(_("due at"))
    provisional = models.BooleanField(_("provisional"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        abstract = True
        verbose_name = _("deadline change")
        verbose_name_plural = _("deadline changes")
        ordering = ["version"]


class CaseExtension(Decision):
    """延期申请 — the unit asks for more working days; one person decides it once (Decision)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    working_days = models.PositiveSmallIntegerField(_("extra working days"))
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )

    class Meta:
        abstract = True
        ordering = ["-requested_at"]


class CaseAlert(models.Model):
    """期限提醒记录 — one reminder or escalation sent for one version of a case's due time.

    The concrete model's unique key (case, kind, deadline version) is what makes an alert go
    out once: a double beat tick, a second beat process or a task redelivered after its
    worker died finds the row and sends nothing.
    """

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Reminder before due")
        OVERDUE = "overdue", _("Escalation on becoming overdue")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    deadline_version = models.PositiveIntegerField(_("deadline version"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    recipients = models.JSONField(_("recipients"), default=list)

    class Meta:
        abstract = True
        verbose_name = _("deadline alert")
        verbose_name_plural = _("deadline alerts")
        ordering = ["-sent_at"]

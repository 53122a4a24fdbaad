"""临时下线 — a site's scheduled temporary offline window and its public notice [Q§10]."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .structure import Site


class OfflineWindow(models.Model):
    """临时下线 — a period in which a site shows a maintenance page instead of its content.

    Scheduled only through columns.offline.schedule_offline, which enforces the rules: one
    per site and calendar year, at most 30 days, announced at least 10 days ahead. The notice
    is shown on the site from scheduled_at until the window ends.
    """

    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="offline_windows", verbose_name=_("site")
    )
    starts_at = models.DateTimeField(_("offline from"))
    ends_at = models.DateTimeField(_("back online at"))
    reason = models.CharField(_("reason"), max_length=300)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("scheduled by"),
    )
    scheduled_at = models.DateTimeField(_("notice published at"), default=timezone.now)

    class Meta:
        verbose_name = _("temporary offline window")
        verbose_name_plural = _("temporary offline windows")
        ordering = ["-starts_at"]

    def __str__(self):
        return f"{self.site}: {self.starts_at:%Y-%m-%d} – {self.ends_at:%Y-%m-%d}"

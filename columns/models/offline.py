"""临时下线 — a site's scheduled temporary offline window and its public notice [Q§10]."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .structure import Site


class OfflineWindowQuerySet(models.QuerySet):
    def in_force(self):
        """The windows not cancelled: only they are announced, taken offline and counted."""
        return self.filter(cancelled_at__isnull=True)


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
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True, editable=False)

    objects = OfflineWindowQuerySet.as_manager()

    class Meta:
        verbose_name = _("temporary offline window")
        verbose_name_plural = _("temporary offline windows")
        ordering = ["-starts_at"]

    def __str__(self):
        # In the site's time zone: a window from 00:00 on the 20th is not "the 19th" (UTC).
        starts, ends = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        return f"{self.site}: {starts:%Y-%m-%d %H:%M} – {ends:%Y-%m-%d %H:%M}"

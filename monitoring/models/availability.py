"""网站可用性 — homepage probes, and the outages they reveal [Q§25, G九(二)]."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AvailabilityProbe(models.Model):
    """可用性探测 — one request for a site's homepage."""

    site = models.ForeignKey(
        "columns.Site", on_delete=models.CASCADE, related_name="+", verbose_name=_("site")
    )
    probed_at = models.DateTimeField(_("probed at"), db_index=True)
    ok = models.BooleanField(_("loaded"))
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    response_ms = models.PositiveIntegerField(_("response time (ms)"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("availability probe")
        verbose_name_plural = _("availability probes")
        ordering = ["-probed_at"]
        indexes = [models.Index(fields=["site", "probed_at"], name="probe_site_time")]

    def __str__(self):
        return f"{self.site} {self.probed_at:%Y-%m-%d %H:%M} {'OK' if self.ok else self.error}"


class Outage(models.Model):
    """网站中断 — from the first failed probe to the next one that loaded."""

    site = models.ForeignKey(
        "columns.Site", on_delete=models.CASCADE, related_name="+", verbose_name=_("site")
    )
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    first_error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("outage")
        verbose_name_plural = _("outages")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["site"],
                condition=models.Q(ended_at__isnull=True),
                name="one_open_outage_per_site",
            )
        ]

    def __str__(self):
        return f"{self.site} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def duration(self):
        return (self.ended_at - self.started_at) if self.ended_at else None

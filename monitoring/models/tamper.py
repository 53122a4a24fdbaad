"""防篡改 — fingerprints of published pages and the mismatches the probe found [G八(二)]."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PageFingerprint(models.Model):
    """页面指纹 — the text of an article's sanitised body as approved, and its digest.

    Taken when the article is published; the tamper probe checks that the public page still
    carries exactly this text.
    """

    article = models.OneToOneField(
        "publishing.Article",
        on_delete=models.CASCADE,
        related_name="fingerprint",
        verbose_name=_("article"),
    )
    text = models.TextField(_("approved text"))
    digest = models.CharField(_("SHA-256 digest"), max_length=64)
    taken_at = models.DateTimeField(_("taken at"))
    checked_at = models.DateTimeField(_("last checked at"), null=True, blank=True, db_index=True)
    matched = models.BooleanField(_("page matched"), null=True)

    class Meta:
        verbose_name = _("page fingerprint")
        verbose_name_plural = _("page fingerprints")
        ordering = ["-taken_at"]

    def __str__(self):
        return f"{self.article} {self.digest[:12]}"


class TamperAlert(models.Model):
    """篡改告警 — a public page that no longer carries the approved text."""

    fingerprint = models.ForeignKey(
        PageFingerprint,
        on_delete=models.CASCADE,
        related_name="alerts",
        verbose_name=_("fingerprint"),
    )
    url = models.CharField(_("page"), max_length=500)
    detected_at = models.DateTimeField(_("detected at"))
    served_digest = models.CharField(_("digest of the page served"), max_length=64)
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("tamper alert")
        verbose_name_plural = _("tamper alerts")
        ordering = ["-detected_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["fingerprint", "served_digest"], name="tamper_alert_once_per_content"
            )
        ]

    def __str__(self):
        return f"{self.url} {self.detected_at:%Y-%m-%d %H:%M}"

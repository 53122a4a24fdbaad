"""防篡改 — the approved text of published articles and every tamper finding [G八(二)]."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PageFingerprint(models.Model):
    """页面指纹 — the text of an article's sanitised body as approved, and its digest.

    Taken when the article is published; the hourly tamper check (monitoring.tamper) checks
    that the article's text in the database is still exactly this text.
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
    """篡改告警 — a page found other than as approved: an article's text changed in the database
    behind the review (with its fingerprint), or a published file or a live answer differing
    from the page as rendered (staticsite.tamper, no fingerprint). served_digest is the sha256
    of what was found, so the same content found again is the same alert."""

    fingerprint = models.ForeignKey(
        PageFingerprint,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alerts",
        verbose_name=_("fingerprint"),
    )
    url = models.CharField(_("page"), max_length=500)
    detected_at = models.DateTimeField(_("detected at"))
    served_digest = models.CharField(_("digest of what was found"), max_length=64)
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("tamper alert")
        verbose_name_plural = _("tamper alerts")
        ordering = ["-detected_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["fingerprint", "url", "served_digest"],
                name="tamper_alert_once_per_page_content",
            )
        ]

    def __str__(self):
        return f"{self.url} {self.detected_at:%Y-%m-%d %H:%M}"

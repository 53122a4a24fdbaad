"""头条指令 — an order to put an article in a site's homepage headline [P§10]."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .articles import Article


class HeadlineDirective(models.Model):
    """头条指令 — who ordered which item into which site's headline, and when it took effect.

    An order on an article not yet public is executed when the article is published.
    """

    site = models.ForeignKey(
        "columns.Site", on_delete=models.CASCADE, related_name="+", verbose_name=_("site")
    )
    article = models.ForeignKey(
        Article,
        on_delete=models.PROTECT,
        related_name="headline_directives",
        verbose_name=_("article"),
    )
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ordered by"),
    )
    ordered_at = models.DateTimeField(_("ordered at"), default=timezone.now)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    executed_at = models.DateTimeField(_("executed at"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("headline directive")
        verbose_name_plural = _("headline directives")
        ordering = ["-ordered_at"]

    def __str__(self):
        return f"{self.site}: {self.article}"

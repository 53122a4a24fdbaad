"""链接检查 — one crawl of a site and every unusable link it found, traced to its owner."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .pages import PageOwner


class LinkCheckRun(models.Model):
    """链接检查 — one crawl of a site's published pages.

    The homepage's own findings (search box, footer items) are kept with the run so the
    indicators can score them without fetching the page again.
    """

    site = models.ForeignKey(
        "columns.Site", on_delete=models.CASCADE, related_name="+", verbose_name=_("site")
    )
    started_at = models.DateTimeField(_("started at"), db_index=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    base_url = models.CharField(_("address crawled"), max_length=300)
    pages_crawled = models.PositiveIntegerField(_("pages crawled"), default=0)
    links_checked = models.PositiveIntegerField(_("links checked"), default=0)
    broken_on_homepage = models.PositiveIntegerField(_("unusable links on the homepage"), default=0)
    broken_elsewhere = models.PositiveIntegerField(_("unusable links on other pages"), default=0)
    homepage_has_search = models.BooleanField(_("homepage has a search box"), null=True)
    footer_missing = models.JSONField(_("footer items missing"), default=list, blank=True)

    class Meta:
        verbose_name = _("link check")
        verbose_name_plural = _("link checks")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.site} {self.started_at:%Y-%m-%d %H:%M}"


class BrokenLink(PageOwner):
    """不可用链接 — a link that did not load, on the page where it was found, with the article,
    column and unit responsible for that page."""

    run = models.ForeignKey(
        LinkCheckRun, on_delete=models.CASCADE, related_name="broken_links", verbose_name=_("check")
    )
    page_url = models.CharField(_("found on page"), max_length=500)
    on_homepage = models.BooleanField(_("on the homepage"), default=False)
    url = models.TextField(_("link"))
    external = models.BooleanField(_("external"), default=False)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    problem = models.CharField(_("problem"), max_length=200)
    unit = models.ForeignKey(
        "columns.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )

    class Meta:
        verbose_name = _("unusable link")
        verbose_name_plural = _("unusable links")
        ordering = ["-on_homepage", "page_url", "pk"]

    def __str__(self):
        return self.url[:100]

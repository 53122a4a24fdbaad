"""check_content — re-check a site's published content and list the findings by unit.

For the inspectors' clean-up of old content: what the pre-publication check would say
about everything online now. The findings are also kept on each article's page.
"""

from itertools import groupby

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils.translation import gettext as _

from columns.models import Site

from ...content_checks import check_article, record_findings
from ...models import Article, ArticleStatus
from ...models.checks import SOURCE_LABELS


class Command(BaseCommand):
    help = "Re-check all published content of a site and list the findings by unit."

    def add_arguments(self, parser):
        parser.add_argument("--site", help="Site identification code or id; all sites if left out.")
        parser.add_argument(
            "--offline",
            action="store_true",
            help="Do not fetch external links (internal links are still checked).",
        )

    def handle(self, *args, site=None, offline=False, **options):
        articles = Article.objects.filter(status=ArticleStatus.PUBLISHED)
        if site:
            lookup = Q(site_code=site) | Q(pk=int(site)) if site.isdigit() else Q(site_code=site)
            chosen = Site.objects.filter(lookup).first()
            if chosen is None:
                raise CommandError(_("No site with code or id “%(site)s”.") % {"site": site})
            articles = articles.filter(column__site=chosen)
        articles = articles.select_related("unit").prefetch_related("attachments")
        articles = articles.order_by("unit__name", "pk")
        checked = with_findings = blocking = 0
        for unit, unit_articles in groupby(articles, key=lambda article: article.unit):
            lines = []
            for article in unit_articles:
                checked += 1
                findings = check_article(article, fetch_links=not offline)
                record_findings(article, findings)
                if not findings:
                    continue
                with_findings += 1
                blocking += sum(1 for finding in findings if finding.blocks)
                lines.append(f"  [{article.pk}] {article.title}  {article.get_absolute_url()}")
                lines.extend(
                    f"    {finding.severity:5}  {finding.rule_label} · "
                    f"{SOURCE_LABELS.get(finding.source, finding.source)}: "
                    f"{finding.match}  → {finding.suggestion}"
                    for finding in findings
                )
            if lines:
                self.stdout.write(f"== {unit}")
                self.stdout.write("\n".join(lines))
        self.stdout.write(
            _(
                "Checked %(checked)s published articles: %(with)s with findings, "
                "%(blocking)s blocking findings."
            )
            % {"checked": checked, "with": with_findings, "blocking": blocking}
        )

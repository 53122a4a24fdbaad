"""manage.py crawl_links [--site CODE] [--base-url URL] [--json]: the nightly link crawl."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from columns.models import Site
from monitoring import crawler


class Command(BaseCommand):
    help = "Crawl each site's published pages and record every unusable link with its owner."

    def add_arguments(self, parser):
        parser.add_argument("--site", help="site identification code (default: every open site)")
        parser.add_argument("--base-url", help="address to crawl the site at (one site only)")
        parser.add_argument("--max-pages", type=int, help="stop after this many pages")
        parser.add_argument(
            "--json", dest="as_json", action="store_true", help="print the findings as JSON"
        )

    def handle(self, *args, site=None, base_url=None, max_pages=None, as_json=False, **options):
        sites = Site.objects.filter(status=Site.Status.OPEN)
        if site:
            sites = sites.filter(site_code=site)
            if not sites:
                raise CommandError(
                    _("No site has the identification code %(code)s.") % {"code": site}
                )
        elif base_url:
            raise CommandError(_("--base-url needs --site: it is the address of one site."))
        runs = [crawler.crawl_site(s, base_url=base_url, max_pages=max_pages) for s in sites]
        if as_json:
            self.stdout.write(_as_json(runs))
            return
        for run in runs:
            self.stdout.write(
                f"{run.site}: {run.pages_crawled} pages, {run.links_checked} links, "
                f"{run.broken_on_homepage} unusable on the homepage, "
                f"{run.broken_elsewhere} elsewhere"
            )


def _as_json(runs):
    return json.dumps(
        [
            {
                "site": run.site.site_code,
                "pages": run.pages_crawled,
                "links": run.links_checked,
                "broken": [
                    {
                        "url": link.url,
                        "page": link.page_url,
                        "on_homepage": link.on_homepage,
                        "problem": link.problem,
                        "article": link.article_id,
                        "column": link.column_id,
                        "unit": str(link.unit or ""),
                    }
                    for link in run.broken_links.select_related("unit")
                ],
            }
            for run in runs
        ],
        ensure_ascii=False,
        indent=1,
    )

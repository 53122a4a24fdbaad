"""List the published pages whose file is missing, changed on disk or stale; exit 1 if any."""

from django.core.management.base import BaseCommand, CommandError

from columns.models import Site
from staticsite import services


class Command(BaseCommand):
    help = "Check the static pages (静态页面) against their fingerprints and the content."

    def add_arguments(self, parser):
        parser.add_argument("--site", dest="site_codes", action="append", metavar="CODE")

    def handle(self, *args, site_codes=None, **options):
        sites = Site.objects.order_by("pk")
        if site_codes:
            sites = sites.filter(site_code__in=site_codes)
        found = services.problems(list(sites))
        for problem in found:
            self.stdout.write(f"{problem.reason}\t{problem.host}{problem.path}")
        if found:
            raise CommandError(f"{len(found)} static page(s) missing or stale")
        self.stdout.write("all static pages present and current")

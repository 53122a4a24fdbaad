"""Render the public pages of a site, of every site, or those made with older templates
(a deploy step), with a progress bar on stderr and the render rate at the end."""

import time

from django.core.management.base import BaseCommand, CommandError

from columns.models import Site
from staticsite import services

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Publish public pages as static files (静态发布): --site CODE, --all or --templates."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--site", dest="site_codes", action="append", metavar="CODE")
        which.add_argument("--all", action="store_true", help="every site of the platform")
        which.add_argument(
            "--templates",
            action="store_true",
            help="only pages rendered with other templates or translations than the current",
        )
        parser.add_argument(
            "--queue",
            action="store_true",
            help="queue the pages for the workers instead of rendering them here (make run), "
            "rendered after the pages that changes queue",
        )

    def handle(self, *args, site_codes=None, all=False, templates=False, queue=False, **options):
        if templates:
            targets = services.pages_with_old_templates()
        else:
            sites = list(Site.objects.order_by("pk"))
            if site_codes:
                sites = [s for s in sites if s.site_code in site_codes]
                unknown = set(site_codes) - {s.site_code for s in sites}
                if unknown:
                    raise CommandError(f"no site with the code {', '.join(sorted(unknown))}")
            targets = set()
            for site in sites:
                targets |= services.site_targets(site)
        if queue:
            services.enqueue(targets, rebuild=True)
            self.stdout.write(f"{len(targets)} pages queued for the workers")
            return
        started = time.monotonic()
        done = services.rebuild(targets, progress=self._bar)
        seconds = time.monotonic() - started
        rate = len(targets) / seconds if seconds else 0
        summary = ", ".join(f"{count} {outcome}" for outcome, count in sorted(done.items()))
        self.stderr.write("")
        self.stdout.write(
            f"{len(targets)} pages in {seconds:.1f} s ({rate:.1f} pages/s): {summary or 'none'}"
        )

    def _bar(self, done, total):
        filled = BAR_WIDTH * done // total
        self.stderr.write(
            f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total}", ending=""
        )
        self.stderr.flush()

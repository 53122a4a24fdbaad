"""manage.py check_freshness [--site CODE] [--json]: the hourly freshness check, by hand."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from columns.models import Site
from monitoring import freshness


class Command(BaseCommand):
    help = "Check every column against its update rule, store the results and alert units."

    def add_arguments(self, parser):
        parser.add_argument("--site", help="site identification code (default: every open site)")
        parser.add_argument(
            "--json", dest="as_json", action="store_true", help="print the results as JSON"
        )

    def handle(self, *args, site=None, as_json=False, **options):
        if site:
            found = Site.objects.filter(site_code=site).first()
            if found is None:
                raise CommandError(
                    _("No site has the identification code %(code)s.") % {"code": site}
                )
            results = [freshness.check_site(found)]
        else:
            results = freshness.check_all()
        if as_json:
            self.stdout.write(_as_json(results))
            return
        for result in results:
            counts = result.counts()
            self.stdout.write(
                f"{result.site.site_code} {result.site}: {counts['columns']} columns, "
                f"{counts['ok']} ok, {counts['warning']} warning, {counts['stale']} stale, "
                f"{counts['blank']} blank; homepage {result.homepage_state}"
            )


def _as_json(results):
    def when(value):
        return timezone.localtime(value).isoformat() if value else None

    return json.dumps(
        [
            {
                "site": r.site.site_code,
                "checked_at": when(r.at),
                "counts": r.counts(),
                "homepage": {
                    "state": r.homepage_state,
                    "last_update": when(r.homepage_last_update),
                },
                "columns": [
                    {
                        "id": c.column.pk,
                        "name": c.column.name,
                        "unit": str(c.column.unit or ""),
                        "state": c.state,
                        "last_published_at": when(c.last_published_at),
                        "max_gap_days": c.max_gap.days,
                        "updates_week": c.updates_week,
                        "updates_month": c.updates_month,
                    }
                    for c in r.columns
                ],
            }
            for r in results
        ],
        ensure_ascii=False,
        indent=1,
    )

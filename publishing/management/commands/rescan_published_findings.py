"""rescan_published_findings — compute the serious errors (严重错误) of every published article
not yet checked against the current check lists.

Run once after installing the release that stores them (the compliance dashboard reads only
stored findings), and whenever a rescan queued after a change of the lists was lost. It
does the batches of the Celery rescan in this process; running it twice redoes nothing.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from ... import services
from ...content_checks import current_lexicon
from ...content_checks.published import stale_published_articles


class Command(BaseCommand):
    help = "Compute the serious errors of published articles not yet checked against the lists."

    def handle(self, *args, **options):
        version = current_lexicon().version
        to_check = stale_published_articles(version).count()
        after = 0
        while after is not None:
            after = services.rescan_published_findings(version=version, after=after)
        self.stdout.write(
            _("Checked %(count)s published articles against the check lists.") % {"count": to_check}
        )

"""Make the search index again from everything that is public now."""

from django.core.management.base import BaseCommand

from portal.search.indexing import rebuild


class Command(BaseCommand):
    help = "Rebuild the search index (搜索索引) from the published articles and service items."

    def handle(self, *args, **options):
        written = rebuild()
        self.stdout.write(self.style.SUCCESS(f"search index rebuilt: {written} entries"))

"""Index the entries already stored with their Chinese characters and character pairs.

New entries get them from the indexer (portal.search.segmentation.index_terms); the ones
written before are segmented again from their stored title and text, which are what their
terms were made from. The database's own index follows: PostgreSQL's generated tsvector
columns and SQLite's FTS5 triggers.
"""

from django.db import migrations

from portal.search.segmentation import index_terms

BATCH = 500


def segment_again(apps, schema_editor):
    SearchEntry = apps.get_model("portal", "SearchEntry")
    entries = SearchEntry.objects.only("pk", "title", "text").order_by("pk")
    last = 0
    while batch := list(entries.filter(pk__gt=last)[:BATCH]):
        for entry in batch:
            entry.title_terms = index_terms(entry.title)
            entry.body_terms = index_terms(entry.text)
        SearchEntry.objects.bulk_update(batch, ["title_terms", "body_terms"])
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [("portal", "0003_site_kind_index")]

    # Backwards the extra terms are harmless: the older queries simply never ask for them.
    operations = [migrations.RunPython(segment_again, migrations.RunPython.noop)]

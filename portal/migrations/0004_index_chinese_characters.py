"""Index the entries already stored with their Chinese characters and character pairs.

New entries get them from the indexer (portal.search.segmentation.index_terms); the ones
written before are segmented again from their stored title and text, which are what their
terms were made from. The database's own index follows: PostgreSQL's generated tsvector
columns and SQLite's FTS5 triggers.

PostgreSQL first keeps rows of up to a page in the table itself: with the characters an
ordinary entry's tsvector passes 2 kB and was moved out to the TOAST table, so testing it
row by row (newest first, see portal.search.backends.match) fetched it from there for every
row and doubled the time of a search (财 over 200,000 articles: median 111 ms, 46 ms inline).
"""

from django.db import migrations

from portal.search.segmentation import index_terms

BATCH = 500


def _alter_table(clause):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE portal_searchentry {clause}")

    return run


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
    operations = [
        # 8160 bytes: the most PostgreSQL allows, a row filling its page.
        migrations.RunPython(
            _alter_table("SET (toast_tuple_target = 8160)"),
            _alter_table("RESET (toast_tuple_target)"),
        ),
        migrations.RunPython(segment_again, migrations.RunPython.noop),
    ]

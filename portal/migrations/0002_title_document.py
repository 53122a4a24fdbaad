"""PostgreSQL: a title-only tsvector under its own GIN index, for "title hits first".

The GIN index answers a title-only query exactly, where a weight-restricted query on the
whole document must recheck every row holding the word; the document loses its weights,
which nothing reads any more. SQLite's FTS5 table already has a title column.
"""

from django.db import migrations

FORWARD = [
    "ALTER TABLE portal_searchentry DROP COLUMN document",
    """
    ALTER TABLE portal_searchentry ADD COLUMN document tsvector GENERATED ALWAYS AS (
        to_tsvector('simple'::regconfig, title_terms || ' ' || body_terms)
    ) STORED
    """,
    "CREATE INDEX portal_searchentry_document_gin ON portal_searchentry USING gin (document)",
    """
    ALTER TABLE portal_searchentry ADD COLUMN title_document tsvector GENERATED ALWAYS AS (
        to_tsvector('simple'::regconfig, title_terms)
    ) STORED
    """,
    "CREATE INDEX portal_searchentry_title_gin ON portal_searchentry USING gin (title_document)",
]
BACKWARD = [
    "ALTER TABLE portal_searchentry DROP COLUMN title_document",
    "ALTER TABLE portal_searchentry DROP COLUMN document",
    """
    ALTER TABLE portal_searchentry ADD COLUMN document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title_terms), 'A')
        || setweight(to_tsvector('simple'::regconfig, body_terms), 'D')
    ) STORED
    """,
    "CREATE INDEX portal_searchentry_document_gin ON portal_searchentry USING gin (document)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_search_index")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]

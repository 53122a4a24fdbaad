"""The database's full-text index, asked for entries holding a query's words.

PostgreSQL: the tsvector columns `document` (title and body) and `title_document` (title
only), each under a GIN index; SQLite: the FTS5 table `portal_searchentry_fts`, whose
title_terms column answers title-only queries. Both created by portal's migrations.
"""

from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL


def _boolean_query(words, *, term, both, either):
    """Every word, each in one of its alternatives: the syntax comes from the arguments."""
    clauses = []
    for word in words:
        alternatives = [both.join(term(t) for t in terms) for terms in word.alternatives]
        if len(alternatives) == 1:
            clauses.append(alternatives[0])
        else:
            clauses.append("(" + either.join(f"({a})" for a in alternatives) + ")")
    return both.join(clauses)


# Words are alphanumeric (segmentation drops everything else), so quoting them is safe.


def _postgresql_match(words, *, title_only, indexed):
    column = "title_document" if title_only else "document"
    query = _boolean_query(words, term=lambda t: f"'{t}'", both=" & ", either=" | ")
    condition = f"portal_searchentry.{column} @@ to_tsquery('simple', %s)"
    if not indexed:
        # The GIN index cannot answer "IS TRUE": the planner walks the date index instead.
        condition = f"({condition}) IS TRUE"
    return RawSQL(
        condition,
        (query,),
        output_field=BooleanField(),
    )


def _fts5_match(words, *, title_only, indexed):
    query = _boolean_query(words, term=lambda t: f'"{t}"', both=" AND ", either=" OR ")
    if title_only:
        query = f"title_terms : ({query})"
    return RawSQL(
        "portal_searchentry.id IN (SELECT rowid FROM portal_searchentry_fts "
        "WHERE portal_searchentry_fts MATCH %s)",
        (query,),
        output_field=BooleanField(),
    )


def match(words, *, title_only=False, indexed=True):
    """A condition: the entry holds every word (as itself, its parts or its character
    pairs), in its title only or anywhere.

    indexed=False asks PostgreSQL to test the condition row by row while it reads entries
    newest first, stopping at the end of the page: far cheaper than collecting every match
    from the index when most entries match (its estimate for several words is often far too
    low to see that itself). SQLite's FTS5 is asked the same way in both cases.
    """
    if connection.vendor == "postgresql":
        return _postgresql_match(words, title_only=title_only, indexed=indexed)
    return _fts5_match(words, title_only=title_only, indexed=indexed)

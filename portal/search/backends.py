"""The database's full-text index, asked for entries matching a query's words.

PostgreSQL: the tsvector column `document` under a GIN index; SQLite: the FTS5 table
`portal_searchentry_fts` (both created by portal migration 0001). Either way matching() narrows
a SearchEntry queryset to the entries holding every word, and ranked() orders them: title
hits (every word found in the title) first, then by relevance, then newest first. Counting
uses the unranked queryset, so a page ranks only what it needs.
"""

from django.db import connection
from django.db.models import BooleanField, F, FloatField
from django.db.models.expressions import RawSQL


def _boolean_query(words, *, term, both, either):
    """Every word, each as itself or as all of its parts: the syntax comes from the arguments."""
    clauses = []
    for word in words:
        clause = term(word.word)
        if word.parts:
            clause = f"({clause}{either}({both.join(term(p) for p in word.parts)}))"
        clauses.append(clause)
    return both.join(clauses)


# Words are alphanumeric (segmentation drops everything else), so quoting them is safe.


def _postgresql_query(words, *, title_only):
    weight = ":A" if title_only else ""
    return _boolean_query(words, term=lambda t: f"'{t}'{weight}", both=" & ", either=" | ")


def _fts5_query(words, *, title_only):
    query = _boolean_query(words, term=lambda t: f'"{t}"', both=" AND ", either=" OR ")
    return f"title_terms : ({query})" if title_only else query


def _postgresql_match(words, *, title_only):
    return RawSQL(
        "portal_searchentry.document @@ to_tsquery('simple', %s)",
        (_postgresql_query(words, title_only=title_only),),
        output_field=BooleanField(),
    )


def _fts5_match(words, *, title_only):
    return RawSQL(
        "portal_searchentry.id IN (SELECT rowid FROM portal_searchentry_fts "
        "WHERE portal_searchentry_fts MATCH %s)",
        (_fts5_query(words, title_only=title_only),),
        output_field=BooleanField(),
    )


def _postgresql_relevance(words):
    # Normalisation 1 divides by log(length): a short text naming the word often wins.
    return RawSQL(
        "ts_rank(portal_searchentry.document, to_tsquery('simple', %s), 1)",
        (_postgresql_query(words, title_only=False),),
        output_field=FloatField(),
    )


def _fts5_relevance(words):
    # bm25() is lower for better matches; negated so that both backends sort descending.
    # Title words weigh ten times body words.
    return RawSQL(
        "(SELECT -bm25(portal_searchentry_fts, 10.0, 1.0) FROM portal_searchentry_fts "
        "WHERE portal_searchentry_fts MATCH %s AND rowid = portal_searchentry.id)",
        (_fts5_query(words, title_only=False),),
        output_field=FloatField(),
    )


def _backend():
    if connection.vendor == "postgresql":
        return _postgresql_match, _postgresql_relevance
    return _fts5_match, _fts5_relevance


def matching(queryset, words):
    """queryset narrowed to the entries containing every word (as itself or its parts)."""
    match, _relevance = _backend()
    return queryset.filter(match(words, title_only=False))


def ranked(queryset, words):
    """matching() entries, best first: title hits, then relevance, then the newest."""
    match, relevance = _backend()
    return queryset.annotate(
        title_hit=match(words, title_only=True), relevance=relevance(words)
    ).order_by(F("title_hit").desc(), F("relevance").desc(), "-published_at", "-pk")

"""中文分词 — jieba turns Chinese text into the words the index stores and the query asks for.

Documents are cut in search mode (a compound and the words inside it: 义务教育阶段 gives
义务, 教育, 义务教育, 阶段), so a query for any of them finds the document. A query is cut in
precise mode; each of its words also matches as the set of its smaller words, for text that
jieba cut differently in context.
"""

import logging
from dataclasses import dataclass

import jieba

# jieba announces loading its dictionary on stderr at the first cut of every process.
jieba.setLogLevel(logging.WARNING)

#: Long documents are indexed by their beginning: a PostgreSQL tsvector holds at most 1 MB.
MAX_INDEXED_CHARACTERS = 100_000


def _is_word(token):
    # Punctuation and spaces carry no meaning for search and would break query syntax.
    return token.isalnum()


def index_terms(text):
    """The words of text for the index, lower-cased, space-separated."""
    text = (text or "")[:MAX_INDEXED_CHARACTERS]
    return " ".join(t.lower() for t in jieba.cut_for_search(text) if _is_word(t))


@dataclass(frozen=True)
class QueryWord:
    """One word of a query, and the smaller words it also matches as (all of them together)."""

    word: str
    parts: tuple

    @property
    def surfaces(self):
        """What to highlight in a result: the word, or its parts where it was split."""
        return (self.word, *self.parts)


def query_words(query):
    """The words of a user's query, in order, without repeats."""
    words = []
    seen = set()
    for token in jieba.cut((query or "").lower()):
        if not _is_word(token) or token in seen:
            continue
        seen.add(token)
        parts = tuple(p for p in jieba.cut_for_search(token) if p != token and _is_word(p))
        words.append(QueryWord(token, parts))
    return words

"""中文分词 — jieba turns Chinese text into the words the index stores and the query asks for.

Documents are cut in search mode (a compound and the words inside it: 义务教育阶段 gives
义务, 教育, 义务教育, 阶段), so a query for any of them finds the document. Besides jieba's
words the index holds every Chinese character and every pair of adjacent characters once
(单字和双字): jieba never cuts 个人所得税 down to 税, and cuts the same two characters
differently in different contexts, so a query of one character or of a short word would
otherwise miss documents that contain it. A query is cut in precise mode; each of its words
also matches as the set of its smaller words, or as the set of its character pairs.
"""

import logging
import re
from dataclasses import dataclass

import jieba

# jieba announces loading its dictionary on stderr at the first cut of every process.
jieba.setLogLevel(logging.WARNING)

#: Long documents are indexed by their beginning: a PostgreSQL tsvector holds at most 1 MB.
MAX_INDEXED_CHARACTERS = 100_000

#: Distinct character pairs indexed per text, the first ones: ordinary prose of the longest
#: indexed length has far fewer, and with all its words they must fit the 1 MB tsvector.
MAX_CHARACTER_PAIRS = 40_000

#: A run of Chinese characters (CJK unified ideographs, extension A, compatibility ideographs).
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def _is_word(token):
    # Punctuation and spaces carry no meaning for search and would break query syntax.
    return token.isalnum()


def _pairs(run):
    """The pairs of adjacent characters of a run of Chinese characters."""
    return [run[i : i + 2] for i in range(len(run) - 1)]


def _character_terms(text):
    """Every Chinese character of text and every pair of adjacent ones, each once; pairs
    only up to MAX_CHARACTER_PAIRS."""
    characters, pairs = {}, {}
    for run in _HAN_RUN.findall(text):
        characters.update(dict.fromkeys(run))
        if len(pairs) < MAX_CHARACTER_PAIRS:
            pairs.update(dict.fromkeys(_pairs(run)))
    return [*characters, *list(pairs)[:MAX_CHARACTER_PAIRS]]


def index_terms(text):
    """The words of text for the index, lower-cased, space-separated: jieba's words, then
    the characters and character pairs that are not already among them."""
    text = (text or "")[:MAX_INDEXED_CHARACTERS]
    words = [t.lower() for t in jieba.cut_for_search(text) if _is_word(t)]
    known = set(words)
    return " ".join([*words, *(t for t in _character_terms(text) if t not in known)])


@dataclass(frozen=True)
class QueryWord:
    """One word of a query, the smaller words it also matches as (all of them together) and
    its character pairs, which it also matches as (all of them together)."""

    word: str
    parts: tuple
    pairs: tuple = ()

    @property
    def surfaces(self):
        """What to highlight in a result: the word, or its parts where it was split."""
        return (self.word, *self.parts)

    @property
    def alternatives(self):
        """Each way the word may be found: a set of index terms that must all be present."""
        found_as = [(self.word,)]
        for terms in (self.parts, self.pairs):
            if terms and terms not in found_as:
                found_as.append(terms)
        return found_as


def _han(text, index):
    return 0 <= index < len(text) and _HAN_RUN.fullmatch(text[index]) is not None


def _query_tokens(query):
    """jieba's precise cut of query, except that a single character jieba split off a run of
    Chinese characters stays with its neighbour as a pair: the 公 of 公租房 asks for 公租,
    not for every document holding 公 somewhere."""
    for token, start, end in jieba.tokenize(query):
        if end - start == 1 and _han(query, start):
            if _han(query, end):
                token = query[start : end + 1]
            elif _han(query, start - 1):
                token = query[start - 1 : end]
        yield token


def query_words(query):
    """The words of a user's query, in order, without repeats."""
    words = []
    seen = set()
    for token in _query_tokens((query or "").lower()):
        if not _is_word(token) or token in seen:
            continue
        seen.add(token)
        parts = tuple(p for p in jieba.cut_for_search(token) if p != token and _is_word(p))
        if any(len(p) == 1 for p in parts):
            # Single characters are indexed wherever they occur: as parts they would match
            # nearly every document. The word's character pairs stand in for them.
            parts = ()
        # A word of Chinese characters only is found in any document holding it, however
        # jieba cut that document: by its character pairs (a pair or a character is a term).
        pairs = tuple(_pairs(token)) if _HAN_RUN.fullmatch(token) and len(token) > 2 else ()
        if parts and all(len(p) == 2 for p in parts):
            # Parts of two characters are pairs of the word: a document holding all the
            # pairs holds the parts, so asking for the pairs too would only cost time.
            pairs = ()
        words.append(QueryWord(token, parts, pairs))
    return words

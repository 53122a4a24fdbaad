"""词库 — every word list in one Aho-Corasick automaton, rebuilt only when a list changes.

The built-in internal-use markers, the operator's sensitive words, the wrong→right
dictionary and the wrong variants of leaders' names go into one automaton, so a text is
scanned once however long the lists are; the ordered lists of leaders' names are kept
beside it. Each process
keeps its automaton with the CheckListVersion it was built from; a check costs one cache
read of the current version, and only a changed version rebuilds it.
"""

import re
import threading
from dataclasses import dataclass

import ahocorasick
from django.utils.translation import gettext as _

from ..models import (
    BlockedDomain,
    CheckListVersion,
    LeaderName,
    SensitiveWord,
    WordingCorrection,
)
from .findings import Finding, Rule, Severity

#: Internal-use markers that never belong on a public website (the 密级 markings with their
#: labels and stars are matched in their written forms by secret_markers).
SECRET_MARKERS = (
    "秘密级",
    "机密级",
    "绝密级",
    "内部资料",
    "内部使用",
    "内部文件",
    "内部刊物",
    "不宜公开",
    "不予公开",
    "不得外传",
    "注意保存",
)


NON_BMP = re.compile("[\U00010000-\U0010ffff]")
#: Names further apart than this, or in different sentences, are not one listing of names.
LISTING_GAP = 8
SENTENCE_END = re.compile("[。！？；;!?\n]")


def _letters(text):
    """text as the automaton reads it: two byte-letters (UTF-16) per character.

    pyahocorasick looks a node's children up one by one, and a dictionary of Chinese words
    gives the root thousands of children; on bytes no node has more than 256, which makes
    a long text several times faster to scan. Characters beyond the BMP become U+FFFD so
    that every character is exactly two letters and positions stay simple.
    """
    return NON_BMP.sub("\ufffd", text).encode("utf-16-be").decode("latin-1")


@dataclass(frozen=True)
class Entry:
    """What a pattern in the automaton stands for."""

    rule: str
    severity: str
    category: str
    suggestion: str = ""
    right: str = ""


class Lexicon:
    """One built automaton plus the blocked domains and leader lists of the same version.

    leader_lists are (list name, names in their order) pairs; version is the
    CheckListVersion number the lists were read at (None for lists given by hand).
    """

    def __init__(self, entries, blocked_domains, leader_lists=(), version=None):
        self.version = version
        self.automaton = ahocorasick.Automaton()
        by_word = {}
        for word, entry in entries:
            if word:
                word_entries = by_word.setdefault(word.lower(), [])
                if entry not in word_entries:  # a variant listed twice says one thing
                    word_entries.append(entry)
        for word, word_entries in by_word.items():
            self.automaton.add_word(_letters(word), (len(word), tuple(word_entries)))
        if by_word:
            self.automaton.make_automaton()
        self.size = len(by_word)
        self.blocked_domains = dict(blocked_domains)
        self.leader_lists = [
            (group, names, re.compile("|".join(map(re.escape, sorted(names, key=len)[::-1]))))
            for group, names in leader_lists
            if len(names) > 1
        ]

    def find(self, text):
        """Findings for every list entry occurring in text."""
        if not self.size or not text:
            return []
        folded = text.lower()
        if len(folded) != len(text):  # a rare letter changed length; positions must hold
            folded = text
        findings = []
        for last, (length, entries) in self.automaton.iter(_letters(folded)):
            if (last + 1) % 2:  # ends inside a character: bytes of two characters matched
                continue
            end = (last + 1) // 2
            start = end - length
            for entry in entries:
                if entry.right and _is_inside_right_form(text, start, end, entry.right):
                    continue
                findings.append(
                    Finding(
                        rule=entry.rule,
                        severity=entry.severity,
                        category=entry.category,
                        match=text[start:end],
                        start=start,
                        end=end,
                        suggestion=entry.suggestion,
                    )
                )
        wording = [finding for finding in findings if finding.rule == Rule.WORDING]
        others = [finding for finding in findings if finding.rule != Rule.WORDING]
        return others + _outermost(wording)

    def find_leader_order(self, text):
        """A warning for every listing of leaders' names out of their list's order.

        A listing is names of one list each at most LISTING_GAP characters after the
        previous one in the same sentence (习近平、李强、赵乐际), so a name mentioned again
        later in a paragraph does not count as a listing.
        """
        findings = []
        for group, names, pattern in self.leader_lists:
            rank = {name: index for index, name in enumerate(names)}
            listing = []
            for match in pattern.finditer(text):
                if listing and (
                    match.start() - listing[-1].end() > LISTING_GAP
                    or SENTENCE_END.search(text, listing[-1].end(), match.start())
                ):
                    findings.extend(_out_of_order(text, group, rank, listing))
                    listing = []
                listing.append(match)
            findings.extend(_out_of_order(text, group, rank, listing))
        return findings

    def blocked_category(self, host):
        """The category label if host or one of its parent domains is blocked, else None."""
        labels = host.lower().rstrip(".").split(".")
        for i in range(len(labels) - 1):
            category = self.blocked_domains.get(".".join(labels[i:]))
            if category is not None:
                return category
        return None


def _outermost(findings):
    """The findings not overlapping an earlier or longer one: 国务院办工厅 and its 办工厅,
    or 革命烈土 and 烈土陵园 in 革命烈土陵园, are one error."""
    kept = []
    reach = -1
    for finding in sorted(findings, key=lambda finding: (finding.start, -finding.end)):
        if finding.start < reach:
            continue
        kept.append(finding)
        reach = finding.end
    return kept


def _out_of_order(text, group, rank, listing):
    named = list(dict.fromkeys(match.group() for match in listing))
    ranks = [rank[name] for name in named]
    if len(named) < 2 or ranks == sorted(ranks):
        return []
    start, end = listing[0].start(), listing[-1].end()
    order = "、".join(sorted(named, key=rank.__getitem__))
    return [
        Finding(
            rule=Rule.LEADER_ORDER,
            severity=Severity.WARN,
            category=group,
            match=text[start:end],
            start=start,
            end=end,
            suggestion=_("Name them in the order of the list “%(list)s”: %(order)s.")
            % {"list": group, "order": order},
        )
    ]


def _is_inside_right_form(text, start, end, right):
    """Whether the match is part of the right form itself (wrong "共合" in right "共和国" is
    not, but a wrong entry contained in its right form must not flag the right form)."""
    wrong = text[start:end]
    offset = right.find(wrong)
    while offset != -1:
        if text[start - offset : start - offset + len(right)] == right:
            return True
        offset = right.find(wrong, offset + 1)
    return False


def _entries():
    # Labels and messages translated once per build, not once per entry: 10,000 entries.
    secret = Entry(
        Rule.SECRET_MARKER,
        Severity.BLOCK,
        str(_("Secret marker")),
        str(_("Secret or internal material must not be published; remove it.")),
    )
    for marker in SECRET_MARKERS:
        yield marker, secret
    rephrase = str(_("Remove or rephrase this word."))
    word_entries = {
        category: Entry(
            Rule.SECRET_MARKER
            if category == SensitiveWord.Category.SECRET
            else Rule.SENSITIVE_WORD,
            Severity.BLOCK,
            str(label),
            rephrase,
        )
        for category, label in SensitiveWord.Category.choices
    }
    for word, category in SensitiveWord.objects.values_list("word", "category"):
        yield word, word_entries[category]
    kinds = {kind: str(label) for kind, label in WordingCorrection.Kind.choices}
    write = str(_("Write “%(right)s”."))
    for wrong, right, kind in WordingCorrection.objects.values_list("wrong", "right", "kind"):
        yield (
            wrong,
            Entry(Rule.WORDING, Severity.WARN, kinds[kind], write % {"right": right}, right=right),
        )
    leader = kinds[WordingCorrection.Kind.LEADER]
    for leader_name in LeaderName.objects.exclude(wrong_variants=""):
        name = leader_name.name
        entry = Entry(Rule.WORDING, Severity.WARN, leader, write % {"right": name}, right=name)
        for variant in leader_name.variants:
            yield variant, entry


def build_lexicon(version=None):
    """Build the automaton from the lists as they are now (at version)."""
    domains = {
        domain: str(BlockedDomain.Category(category).label)
        for domain, category in BlockedDomain.objects.values_list("domain", "category")
    }
    lists = {}
    for group, name in LeaderName.objects.order_by("group", "position", "id").values_list(
        "group", "name"
    ):
        lists.setdefault(group, []).append(name)
    return Lexicon(list(_entries()), domains, lists.items(), version=version)


_built = {"version": None, "lexicon": None}
_building = threading.Lock()


def current_lexicon():
    """This process's automaton, rebuilt first if the lists changed since it was built."""
    version = CheckListVersion.current()
    if _built["version"] != version:
        with _building:
            if _built["version"] != version:
                _built["lexicon"] = build_lexicon(version)
                _built["version"] = version
    return _built["lexicon"]

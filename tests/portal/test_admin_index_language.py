"""The 工作台 and 全部功能 pages speak Chinese to every role: no English word of Django's
or ours is left in their text, in text hidden for screen readers, or in the titles and
labels that assistive technology reads out."""

import re
from html.parser import HTMLParser

import pytest
from django.utils import translation

from columns.demo import ACCOUNTS

pytestmark = pytest.mark.django_db

#: Attributes whose words are read out or shown on hover.
SPOKEN_ATTRIBUTES = {"title", "aria-label", "alt", "placeholder", "aria-description"}


class PageWords(HTMLParser):
    """Every word a person may see or hear on a page: text (visible or not, outside scripts
    and styles) and the spoken attributes, each with where it stands."""

    def __init__(self):
        super().__init__()
        self.skipping = 0
        self.words = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skipping += 1
        for name, value in attrs:
            if name in SPOKEN_ATTRIBUTES and value:
                self.words.append((f"<{tag} {name}>", value))
            if tag == "input" and name == "value" and ("type", "submit") in attrs:
                self.words.append(("<input type=submit>", value))

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.words.append(("text", data.strip()))


#: A run of two or more Latin letters standing alone: not part of a tracking code or an
#: account name (202612034XURXM, edu_liaison).
WORD = re.compile(r"(?<![A-Za-z0-9_])[A-Za-z][A-Za-z'-]*[A-Za-z](?![A-Za-z0-9_])")


def english_words(html):
    """(where, word, text) for each English word a person may see or hear on the page."""
    parser = PageWords()
    parser.feed(html)
    found = []
    for where, text in parser.words:
        found.extend((where, word, text[:60]) for word in WORD.findall(text))
    return found


@pytest.mark.parametrize("username", [username for username, *_rest in ACCOUNTS])
@pytest.mark.parametrize("path", ["/admin/", "/admin/functions/"])
def test_admin_index_pages_have_no_english_left_for_any_role(login_as, username, path):
    with translation.override("zh-hans"):
        response = login_as(username).get(path, HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="zh-hans"' in html
    left = english_words(html)
    assert not left, "\n".join(f"{where}: {word} in “{text}”" for where, word, text in left)

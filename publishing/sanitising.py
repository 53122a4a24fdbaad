"""Rich text from the editor is reduced to safe HTML with nh3 before it is stored.

Text pasted from Word, or converted from a .docx (publishing.word_import), comes with Word's
debris: style and class attributes, mso-* properties, <o:p> and <v:*> tags, spans carrying
only fonts, lang="EN-US" on Chinese text, bookmark anchors, empty spacing paragraphs and
pictures pointing at the author's disk. The structure (headings, paragraphs, lists, tables,
emphasis, links) is kept and the debris dropped, so every body looks like the site's own.
reader_text gives the text a reader sees in such a body.
"""

import re
from html.parser import HTMLParser

import nh3

#: nh3's safe tags without <span>: with no style or class left it carries nothing.
_TAGS = set(nh3.ALLOWED_TAGS) - {"span"}
#: nh3's safe defaults plus the alignment TinyMCE writes; no scripts, styles or event handlers.
_ATTRIBUTES = {tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
for _tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "div"):
    _ATTRIBUTES.setdefault(_tag, set()).add("align")
_ATTRIBUTES.setdefault("a", set()).add("title")
#: On every tag only title; no lang: Word writes lang="EN-US" on every run of Chinese text.
_ATTRIBUTES["*"] = {"title"}

_EMPTY_PARAGRAPH = re.compile(r"<p(?: [^>]*)?>(?:\s|&nbsp;|\xa0|<br>)*</p>")
#: Word's bookmarks (_Toc…, _Hlk…) become anchors with neither link nor text.
_EMPTY_ANCHOR = re.compile(r"<a(?: [^>]*)?></a>")
#: A picture whose src was refused (file:///C:/…, data:) shows nothing but a broken frame.
_IMAGE_WITHOUT_SOURCE = re.compile(r"<img(?![^>]* src=)[^>]*>")


def clean_html(html):
    """The article body as it may be published: nh3-cleaned, links opened safely."""
    cleaned = nh3.clean(
        html or "",
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    for debris in (_IMAGE_WITHOUT_SOURCE, _EMPTY_ANCHOR, _EMPTY_PARAGRAPH):
        cleaned = debris.sub("", cleaned)
    return cleaned.strip()


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style") and self._skip > 0

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def reader_text(html):
    """The text a reader sees in html (scripts and styles left out), its text nodes joined
    by spaces."""
    parser = _Text()
    parser.feed(html or "")
    parser.close()
    return " ".join(parser.parts)

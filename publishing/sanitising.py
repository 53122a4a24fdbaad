"""Rich text from the editor is reduced to safe HTML with nh3 before it is stored."""

import nh3

#: nh3's safe defaults plus the alignment TinyMCE writes; no scripts, styles or event handlers.
_ATTRIBUTES = {tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
for _tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "div"):
    _ATTRIBUTES.setdefault(_tag, set()).add("align")
_ATTRIBUTES.setdefault("a", set()).add("title")


def clean_html(html):
    """The article body as it may be published: nh3-cleaned, links opened safely."""
    return nh3.clean(
        html or "",
        tags=nh3.ALLOWED_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    ).strip()

"""Stored-XSS payloads and the check that none of them is live in a page, shared by the
security tests."""

from html.parser import HTMLParser

XSS_PAYLOADS = [
    "<script>alert('xss-script')</script>",
    '<img src="x" onerror="alert(\'xss-img\')">',
    "<a href=\"javascript:alert('xss-link')\">点此</a>",
    "<svg onload=\"alert('xss-svg')\"></svg>",
    "<iframe src=\"javascript:alert('xss-frame')\"></iframe>",
    '<p style="background:url(javascript:alert(1))" onclick="alert(\'xss-click\')">段落</p>',
]


class LivePayloads(HTMLParser):
    """Finds the payloads as the browser would run them: elements and attributes, not text."""

    def __init__(self):
        super().__init__()
        self.found = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        if tag in ("iframe", "object", "embed"):
            self.found.append(f"<{tag}>")
        self._in_script = tag == "script"
        for name, value in attrs:
            value = (value or "").replace(" ", "").lower()
            if name.startswith("on") and "alert" in value:
                self.found.append(f"{tag} {name}=")
            if name in ("href", "src", "action", "formaction") and value.startswith("javascript:"):
                self.found.append(f"{tag} {name}=javascript:")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and "xss-" in data:
            self.found.append("<script> payload")


def live_payloads(html):
    parser = LivePayloads()
    parser.feed(html)
    return parser.found

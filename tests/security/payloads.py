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
#: For short fields (a nickname, a name): each still runs if the page leaves it live.
SHORT_PAYLOADS = [
    "<svg onload=alert('xss-s')>",
    "<svg onload=window.__xss=2>",
    '<img src=x onerror="window.__xss=1">',
    "<script>window.__xss=3</script>",
]


def with_payloads(text, max_length=None):
    """text followed by every payload that fits in max_length (at least one must fit)."""
    value = text
    for payload in sorted(XSS_PAYLOADS + SHORT_PAYLOADS, key=len):
        if max_length is None or len(value) + len(payload) <= max_length:
            value += payload
    assert value != text, f"no payload fits in {max_length} characters after {text!r}"
    return value


class LivePayloads(HTMLParser):
    """Finds the payloads as the browser would run them: elements and attributes, not text."""

    def __init__(self):
        super().__init__()
        self.found = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        if tag in ("iframe", "object", "embed"):
            self.found.append(f"<{tag}>")
        # A data block (json_script) is not run; it only must not end the element early.
        kind = (dict(attrs).get("type") or "text/javascript").lower()
        self._in_script = tag == "script" and "json" not in kind
        for name, value in attrs:
            value = (value or "").replace(" ", "").lower()
            if name.startswith("on") and ("alert" in value or "__xss" in value):
                self.found.append(f"{tag} {name}=")
            if name in ("href", "src", "action", "formaction") and value.startswith("javascript:"):
                self.found.append(f"{tag} {name}=javascript:")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and ("xss-" in data or "__xss" in data):
            self.found.append("<script> payload")


def live_payloads(html):
    parser = LivePayloads()
    parser.feed(html)
    return parser.found

"""What a rendered page runs or styles inline: the inventory the CSP tests check against the policy."""

from __future__ import annotations

import base64
import hashlib
from html.parser import HTMLParser

# Script types a browser runs (an ld+json block is data, never run, never checked by CSP).
RUNNABLE = {"", "text/javascript", "application/javascript", "module"}


class InlineParts(HTMLParser):
    """Inline scripts (their text), inline event handlers, style attributes and <style> blocks."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self.handlers: list[str] = []
        self.style_attributes: list[str] = []
        self.style_blocks = 0
        self._script: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(f"<{tag} {name}={value!r}>")
            if name == "style":
                self.style_attributes.append(f"<{tag} style={value!r}>")
            if name == "href" and (value or "").strip().lower().startswith("javascript:"):
                self.handlers.append(f"<{tag} href={value!r}>")
        if tag == "style":
            self.style_blocks += 1
        if tag == "script" and "src" not in attributes:
            if (attributes.get("type") or "").lower() in RUNNABLE:
                self._script = []

    def handle_data(self, data):
        if self._script is not None:
            self._script.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append("".join(self._script))
            self._script = None


def inline_parts(html: str) -> InlineParts:
    parser = InlineParts()
    parser.feed(html)
    parser.close()
    return parser


def script_hash(text: str) -> str:
    """The CSP source expression that allows an inline script with exactly this text."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"

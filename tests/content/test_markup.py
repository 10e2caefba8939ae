"""Markdown rendering: sanitising against hostile bodies, table of contents, references."""

from html.parser import HTMLParser

import pytest

from content.markup import render_markdown, sanitize_html

DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")
FORBIDDEN_TAGS = {"script", "iframe", "svg", "style", "object", "embed", "math", "form", "input"}


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attrs = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)


def assert_harmless(html: str) -> None:
    parser = _Collector()
    parser.feed(html)
    assert not FORBIDDEN_TAGS & set(parser.tags), html
    for name, value in parser.attrs:
        assert not name.startswith("on"), html
        assert name not in {"style", "srcdoc", "formaction"}, html
        if value and name in {"href", "src"}:
            cleaned = "".join(value.split()).lower()
            assert not cleaned.startswith(DANGEROUS_SCHEMES), html
    # Escaped text is harmless; a live tag or handler in the markup is not.
    assert "<script" not in html.lower() and "<svg" not in html.lower()


HOSTILE_BODIES = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">klik</a>',
    "[klik](javascript:alert(1))",
    "[klik](JaVaScRiPt:alert(1))",
    "[klik](javascript&#58;alert(1))",
    "[klik](&#106;avascript:alert(1))",
    "[klik]( javascript:alert(1) )",
    "[klik](<javascript:alert(1)>)",
    "[klik](vbscript:msgbox(1))",
    "[klik](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![plaatje](data:image/png;base64,iVBORw0KGgo=)",
    "![plaatje](javascript:alert(1))",
    '<iframe src="https://evil.example"></iframe>',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<style>body{display:none}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p onclick="alert(1)">klik</p>',
    '<body onload="alert(1)">',
    '<object data="evil.swf"></object>',
    '<embed src="evil.swf">',
    '<form action="https://evil.example"><input type="submit"></form>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<a href="https://ok.example" onmouseover="alert(1)">ok</a>',
    '<details open ontoggle="alert(1)">x</details>',
    '[x](https://ok.example "titel" onclick=alert(1))',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<img src="x" onerror="alert(1)"/>',
    "<<script>script>alert(1)<</script>/script>",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '[x](product:MG-1" onmouseover="alert(1))',
    "<!--<script>alert(1)</script>-->",
]


@pytest.mark.parametrize("body", HOSTILE_BODIES)
def test_hostile_body_renders_without_script_handler_or_dangerous_url(body):
    assert_harmless(render_markdown(body).html)
    # The sanitiser also holds on its own, for HTML that did not come through Markdown.
    assert_harmless(sanitize_html(body))


def test_there_are_at_least_thirty_hostile_bodies():
    assert len(HOSTILE_BODIES) >= 30


def test_ordinary_markdown_survives_sanitising():
    html = render_markdown(
        "## Kop\n\nTekst met **vet**, *schuin* en een [link](https://example.nl).\n\n- een\n- twee\n"
    ).html
    assert '<h2 id="kop">Kop</h2>' in html
    assert "<strong>vet</strong>" in html and "<em>schuin</em>" in html
    assert '<a href="https://example.nl" rel="noopener noreferrer">link</a>' in html
    assert "<li>een</li>" in html


def test_table_of_contents_lists_headings_with_unique_anchors():
    rendered = render_markdown("## Inleiding\n\ntekst\n\n### Details\n\n## Inleiding\n")
    assert [(h.level, h.text, h.anchor) for h in rendered.toc] == [
        (2, "Inleiding", "inleiding"),
        (3, "Details", "details"),
        (2, "Inleiding", "inleiding-2"),
    ]
    assert 'id="inleiding-2"' in rendered.html


def test_references_resolve_to_given_urls_and_unresolved_become_plain_text():
    html = render_markdown(
        "Zie [glycinaat](product:mg-gly) en [weg](product:GONE) en [gids](guide:sport).",
        urls={"product:MG-GLY": "/catalogue/glycinaat_7/", "guide:sport": "/kennisbank/sport/"},
    ).html
    assert '<a href="/catalogue/glycinaat_7/"' in html
    assert '<a href="/kennisbank/sport/"' in html
    assert "en weg en" in html
    assert "product:" not in html

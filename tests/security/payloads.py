"""The XSS payload corpus (tests/security/data/xss_payloads.txt) and the ways a sink stores it."""

from __future__ import annotations

from pathlib import Path

CORPUS = Path(__file__).parent / "data" / "xss_payloads.txt"
# After each payload: end tags that close whatever it left open (an <svg>, a <noscript>, a
# <textarea>...), so the next one is parsed on its own, as if it were the only one stored (the
# corpus's last payload, <plaintext>, cannot be closed).
CLOSE = (
    "</svg></math></noscript></noembed></noframes></xmp></iframe></template></style></textarea>"
    "</select></object></title></a></form></details></table></video></audio></marquee>"
)
# The words before the corpus's last two payloads (which swallow whatever follows them): a page
# that shows them rendered every other payload of the batch.
END = "Einde van de XSS-proef"


def payloads() -> list[str]:
    """Every payload of the corpus, in file order."""
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("# ")]


def html_batch() -> str:
    """All payloads as one stored HTML text (staff HTML sinks), each in its own block."""
    blocks = [f"<p>{payload}{CLOSE}</p>" for payload in payloads()]
    return "\n".join([*blocks[:-2], f"<p>{END}</p>", *blocks[-2:]])


def markdown_batch() -> str:
    """All payloads as one stored Markdown text (guide bodies, FAQ answers), one paragraph each."""
    return "\n\n".join([*payloads()[:-2], END, *payloads()[-2:]])

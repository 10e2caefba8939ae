"""The XSS payload corpus (tests/security/data/xss_payloads.txt) and the ways a sink stores it."""

from __future__ import annotations

from pathlib import Path

CORPUS = Path(__file__).parent / "data" / "xss_payloads.txt"


def payloads() -> list[str]:
    """Every payload of the corpus, in file order."""
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("# ")]


def html_batch() -> str:
    """All payloads as one stored HTML text (staff HTML sinks), each in its own block."""
    return "\n".join(f"<div>{payload}</div>" for payload in payloads())


def markdown_batch() -> str:
    """All payloads as one stored Markdown text (guide bodies, FAQ answers), one paragraph each."""
    return "\n\n".join(payloads())

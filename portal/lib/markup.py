"""Markdown written by editors, rendered to HTML that is safe to show to anyone."""

from __future__ import annotations

import re

import markdown
import nh3

_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr",
    "i", "li", "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead",
    "tr", "ul",
}  # fmt: skip
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
_TAGS = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")


def render_markdown(text: str) -> str:
    """Markdown to HTML, then nh3 keeps only harmless tags (no script, no style).

    Editors are trusted staff, but an account can be stolen: the output is
    sanitised all the same, and links get rel="noopener noreferrer".
    """
    html = markdown.markdown(text, extensions=["tables", "sane_lists"])
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )


def plain_text(html: str) -> str:
    """Visible text of sanitised HTML, on one line (for excerpts)."""
    return _SPACES.sub(" ", _TAGS.sub(" ", html)).strip()


def excerpt(text: str, limit: int = 150) -> str:
    """At most ``limit`` characters cut at a word boundary, ending in "..."."""
    text = _SPACES.sub(" ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(" ,.;:-")
    return f"{cut}..."

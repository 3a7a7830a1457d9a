"""Markdown to safe HTML: the one renderer for every piece of authored content.

Python-Markdown turns the text into HTML (tables, fenced code, footnotes, callouts,
definition lists, headings with anchors); nh3 (the Ammonia sanitiser) then keeps only an
allow-list of tags, attributes and URL schemes. Anything else — scripts, event handlers,
``javascript:`` links, iframes, inline styles — is removed, whatever the author wrote.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import markdown as markdown_lib
import nh3
from markupsafe import Markup

EXTENSIONS = [
    "tables",
    "fenced_code",
    "footnotes",
    "admonition",
    "def_list",
    "sane_lists",
    "toc",
]
EXTENSION_CONFIGS: dict[str, dict[str, Any]] = {
    "toc": {"permalink": False, "toc_depth": "2-4"},
    "footnotes": {"BACKLINK_TITLE": ""},
}

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl", "dt",
    "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "ol", "p",
    "pre", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "div": {"class"},
    "p": {"class"},
    "span": {"class"},
    "code": {"class"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "li": {"id"},
    "sup": {"id"},
    "h1": {"id"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
}
ALLOWED_CLASSES = {
    "admonition",
    "admonition-title",
    "note",
    "tip",
    "warning",
    "example",
    "footnote",
    "footnote-ref",
    "footnote-backref",
}
URL_SCHEMES = {"http", "https", "mailto"}

#: Rewrites a package-relative image path (``images/x.png``) to its URL, or None to drop it.
ImageResolver = Callable[[str], str | None]


def _attribute_filter(resolve_image: ImageResolver | None):
    def keep(tag: str, attribute: str, value: str) -> str | None:
        if attribute == "class":
            classes = [
                name
                for name in value.split()
                if name in ALLOWED_CLASSES or name.startswith("language-")
            ]
            return " ".join(classes) or None
        if tag == "img" and attribute == "src":
            if value.startswith("images/"):
                return resolve_image(value) if resolve_image else None
            return value if value.startswith(("https://", "/")) else None
        return value

    return keep


def render_markdown(text: str, resolve_image: ImageResolver | None = None) -> Markup:
    """Render ``text`` to sanitised HTML that is safe to place in any page."""
    html = markdown_lib.markdown(
        text or "",
        extensions=EXTENSIONS,
        extension_configs=EXTENSION_CONFIGS,
        output_format="html",
    )
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        attribute_filter=_attribute_filter(resolve_image),
        strip_comments=True,
    )
    return Markup(cleaned)  # sanitised just above

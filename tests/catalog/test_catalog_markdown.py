"""Authored Markdown renders with its features, and known XSS payloads render harmless."""

from __future__ import annotations

import re

import pytest

from academy.markdown import render_markdown

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    "<img src=javascript:alert(1)>",
    "<svg/onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    '<iframe src="https://evil.example"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<object data=javascript:alert(1)></object>",
    '<embed src="javascript:alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="&#106;avascript:alert(1)">click</a>',
    '<a href="java\tscript:alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    '[click](vbscript:msgbox("x"))',
    "![x](javascript:alert(1))",
    '![x](x" onerror="alert(1))',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p style="position:fixed;top:0">overlay</p>',
    "<style>body{display:none}</style>",
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<form action="https://evil.example"><input name="password"></form>',
    '<input autofocus onfocus="alert(1)">',
    "<details open ontoggle=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<base href="https://evil.example/">',
    '<a href="https://ok.example" onclick="alert(1)">ok</a>',
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    "<<script>script>alert(1)<</script>/script>",
    "<!--<script>alert(1)</script>-->",
    '<a href="#" onmouseover="alert(1)">hover</a>',
    '<video><source onerror="alert(1)"></video>',
    '<marquee onstart="alert(1)">x</marquee>',
]

FORBIDDEN = [
    re.compile(
        r"<\s*(script|iframe|object|embed|style|link|meta|form|input|svg|math|base|video|source|marquee|details|body|noscript)\b",
        re.I,
    ),
    re.compile(r"\son[a-z]+\s*=", re.I),
    re.compile(r"(href|src|action|background)\s*=\s*[\"']?\s*(javascript|vbscript|data):", re.I),
    re.compile(r"\sstyle\s*=", re.I),
    re.compile(r"\ssrcdoc\s*=", re.I),
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payloads_render_harmless(payload):
    html = str(render_markdown(f"Before\n\n{payload}\n\nAfter"))
    for pattern in FORBIDDEN:
        assert not pattern.search(html), f"{payload!r} left {pattern.pattern!r} in {html!r}"
    assert "Before" in html  # the text before the payload survives


def test_markdown_features_survive_sanitising():
    html = str(
        render_markdown(
            "## Costs\n\n| item | USD |\n|---|---|\n| freight | 2800 |\n\n"
            '!!! warning "Insurance"\n    Cover 110 %.\n\n'
            "```python\nprint(1)\n```\n\nSee the rules[^1].\n\n[^1]: UCP 600 art. 28(f).\n\n"
            "[ICC](https://iccwbo.org) and <mailto:desk@example.test>"
        )
    )
    assert '<h2 id="costs">Costs</h2>' in html
    assert "<table>" in html and "<td>2800</td>" in html
    assert 'class="admonition warning"' in html and "admonition-title" in html
    assert '<code class="language-python">' in html
    assert 'id="fn:1"' in html
    assert 'href="https://iccwbo.org"' in html and 'rel="noopener noreferrer nofollow"' in html


def test_course_images_are_rewritten_and_other_sources_dropped():
    html = str(
        render_markdown(
            "![map](images/lanes.png) ![remote](http://tracker.example/x.png)",
            lambda path: "/courses/c/assets/" + path.removeprefix("images/"),
        )
    )
    assert 'src="/courses/c/assets/lanes.png"' in html
    assert "tracker.example" not in html

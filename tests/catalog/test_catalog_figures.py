"""Every figure of an English lesson body appears in its Chinese body (issue 18).

A Chinese body is written for the reader, not word by word, so the test compares the
*values* of the numbers, not the text around them: ``1,000`` and ``1000`` are the same
figure, ``12.5 %`` and ``12.5%`` too, ``USD 1.2 million`` may be written ``120 万美元``
and ``4.4 billion`` ``44 亿``, a date ``1 July 2021`` is ``2021 年 7 月 1 日``, and
"step 2", "rule 3" or "art. 24" may be 第二步, 规则三 or 第二十四条. Numbers inside link
targets, the numbers of ordered-list items and numbers glued to a preceding letter (Q1,
MT700, B2B) are ignored.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

COURSES = Path(__file__).resolve().parents[2] / "courses"

NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?"
EN_FIGURE = re.compile(rf"(?<![\d.,A-Za-z])({NUMBER})(?:\s*(million|billion|bn|trillion)\b)?", re.I)
ZH_FIGURE = re.compile(rf"(?<![\d.,])({NUMBER})(?:\s*(万亿|万|亿))?")
EN_SCALE = {"million": 10**6, "billion": 10**9, "bn": 10**9, "trillion": 10**12}
ZH_SCALE = {"万": 10**4, "亿": 10**8, "万亿": 10**12}
ZH_ORDINAL = re.compile("(?<=[第则])([一二三四五六七八九十]+)")
ZH_DIGITS = {digit: value for value, digit in enumerate("一二三四五六七八九", start=1)}


def _chinese_number(numerals: str) -> int:
    """十五 is 15, 二十四 is 24, 三 is 3 (numbers below 100, as in 第十五条 or 规则三)."""
    if "十" not in numerals:
        return ZH_DIGITS[numerals[-1]]
    tens, _, units = numerals.rpartition("十")
    return ZH_DIGITS.get(tens, 1) * 10 + ZH_DIGITS.get(units, 0)


def lesson_pairs():
    for english in sorted(COURSES.glob("*/[0-9]*/[0-9]*.md")):
        if english.name.endswith(".zh.md"):
            continue
        chinese = english.with_name(english.stem + ".zh.md")
        if chinese.exists():
            yield english, chinese


def _plain(text: str) -> str:
    """Drop link targets, HTML comments and ordered-list markers, which are not figures."""
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"https?://\S+", " ", text)
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    text = re.sub(r"\b((\d\d)\d\d)[–-](\d\d)\b", r"\1–\2\3", text)  # 2013–15 is 2013–2015
    return re.sub(r"(?m)^\s*\d+\.\s", " ", text)


def _value(number: str) -> Decimal:
    return Decimal(number.replace(",", "")).normalize()


def english_figures(markdown: str) -> dict[str, set[Decimal]]:
    """Each English figure with the values a Chinese text may give it.

    A number written once with a scale ("6.801 million") may be given in Chinese with
    the scale ("680.1 万") wherever else the English repeats it bare ("6.801 + 19.453").
    """
    figures: dict[str, set[Decimal]] = {}
    for match in EN_FIGURE.finditer(_plain(markdown)):
        value = _value(match.group(1))
        accepted = figures.setdefault(match.group(1).replace(",", ""), {value})
        if match.group(2):
            accepted.add((value * EN_SCALE[match.group(2).lower()]).normalize())
    return figures


def chinese_values(markdown: str) -> set[Decimal]:
    values: set[Decimal] = set()
    markdown = ZH_ORDINAL.sub(lambda match: f" {_chinese_number(match.group(1))} ", markdown)
    for match in ZH_FIGURE.finditer(_plain(markdown)):
        value = _value(match.group(1))
        values.add(value)
        if match.group(2):
            values.add((value * ZH_SCALE[match.group(2)]).normalize())
    return values


def body(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if not path.name.endswith(".zh.md"):
        text = text.split("+++", 2)[2]
    return text


def missing_figures(english: str, chinese: str) -> list[str]:
    found = chinese_values(chinese)
    return sorted(
        written for written, accepted in english_figures(english).items() if not accepted & found
    )


SAME_FIGURES = [
    ("USD 1,000 at 12.5 % from 1 July 2021", "2021 年 7 月 1 日起按 12.5% 收 1000 美元"),
    ("USD 1.2 million and 4.4 billion people", "120 万美元，44 亿人"),
    ("HS 6110.20, see [the list](https://example.org/2024)", "HS 编码 6110.2"),
    ("1. First step\n2. Second step", "第一步\n第二步"),
    ("the 2013–15 figures", "2013—2015 年的数字"),
    ("Step 2 uses rule 3 (MT700, Q1)", "第二步适用规则三（MT700，一季度）"),
    ("art. 15, art. 24 and art. 10", "第十五条、第二十四条和第十条"),
    ("6.801 million + 19.453 million; 6.801 + 19.453", "680.1 万 + 1,945.3 万；680.1 + 1,945.3"),
]


@pytest.mark.parametrize(("english", "chinese"), SAME_FIGURES)
def test_formats_that_count_as_the_same_figure(english, chinese):
    assert missing_figures(english, chinese) == []


def test_a_changed_figure_is_reported():
    assert missing_figures("USD 54,000 CFR, a 15 % discount", "54,000 美元 CFR，折扣 5%") == ["15"]
    assert missing_figures(
        "6.801 million; 6.801 + 1 = 7.801 million", "680.1 万；680.1 + 100 = 780.1 万"
    ) == ["1"]


PAIRS = list(lesson_pairs())


@pytest.mark.parametrize(
    ("english", "chinese"),
    PAIRS,
    ids=[str(e.relative_to(COURSES).with_suffix("")) for e, _ in PAIRS],
)
def test_chinese_body_has_the_english_figures(english, chinese):
    missing = missing_figures(body(english), body(chinese))
    assert not missing, f"{chinese.relative_to(COURSES)} lacks {', '.join(missing)}"

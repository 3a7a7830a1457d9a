"""The Chinese catalogue keeps the glossary's fixed terms and the house style.

The rules come from the glossary (shared with the translators) and the December 2026
review of the interface: an RFQ is 采购需求 and an inquiry 询盘, so the two lists on a
firm's dashboard never read alike; a quotation is 报价; per cent signs sit tight
against their number; a sim-day is written 第 N 个模拟日 or 第 N 天 in one form.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from babel.messages.pofile import read_po

from tests.test_i18n import CATALOGUE


def entries() -> Iterator[tuple[str, str]]:
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="zh_Hans")
    for message in catalogue:
        if not message.id:
            continue
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        targets = message.string if isinstance(message.string, tuple) else (message.string,)
        for target in filter(None, targets):
            yield sources[-1], target


def test_an_rfq_is_never_called_an_inquiry():
    wrong = [
        (source, target)
        for source, target in entries()
        if re.search(r"\bRFQs?\b", source) and "询盘" in target and "采购需求" not in target
    ]
    assert wrong == []


def test_an_inquiry_is_xunpan():
    wrong = [
        (source, target)
        for source, target in entries()
        if re.search(r"\b[Ii]nquir(y|ies)\b", source)
        and "RFQ" not in source
        and "询盘" not in target
    ]
    assert wrong == []


@pytest.mark.parametrize(
    ("english", "chinese"),
    [(r"\b[Qq]uot(e|es|ation|ations)\b", "报价"), (r"\bdeclaration\b", "报关单|申报")],
)
def test_fixed_terms_keep_their_chinese(english, chinese):
    wrong = [
        (source, target)
        for source, target in entries()
        if re.search(english, source) and not re.search(chinese, target)
    ]
    assert wrong == []


def test_per_cent_signs_sit_tight():
    spaced = [target for _source, target in entries() if re.search(r"\s%%|\d\s%", target)]
    assert spaced == []


def test_sim_days_are_not_written_without_ge():
    wrong = [target for _source, target in entries() if re.search(r"第 ?%\(\w+\)s ?模拟日", target)]
    assert wrong == []


def test_one_register_per_audience():
    # Student-facing firm and quiz messages use 你; the same sentence never mixes both.
    mixed = [target for _source, target in entries() if "你" in target and "您" in target]
    assert mixed == []


def test_one_english_word_two_chinese_meanings(app):
    from flask_babel import force_locale, gettext, pgettext

    with app.test_request_context("/"), force_locale("zh_Hans"):
        assert gettext("never") == "从未"  # a student has never been active
        assert pgettext("quiz review setting", "never") == "不显示"
        assert gettext("Currency") == "币种"  # the ledger's and the FX desk's column
        assert pgettext("customs declaration box", "Currency") == "币制"

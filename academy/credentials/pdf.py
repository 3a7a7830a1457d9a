"""The printable certificate as a PDF (fpdf2), English and Chinese, with a QR code.

Chinese needs a CJK font: the project installs Debian's ``fonts-wqy-microhei`` (see
the Makefile's ``fonts`` target and ``.ci/run``); ``ACADEMY_CJK_FONT`` may name another
TrueType file. The font is subset into the PDF, so readers need nothing installed. The
QR code (segno) is drawn as vector squares and is also a link to the verification page.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from datetime import date
from pathlib import Path

import segno
from fpdf import FPDF

from academy.credentials.models import Certificate
from academy.credentials.signing import verification_url

#: Fonts with both Latin and CJK glyphs (the first found is used; collections use face 0).
CJK_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
)


class FontMissing(RuntimeError):
    """No CJK font is installed; ``make install`` installs one."""


def cjk_font_path() -> Path:
    configured = os.environ.get("ACADEMY_CJK_FONT")
    for candidate in (configured, *CJK_FONT_CANDIDATES):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise FontMissing("no CJK font found: install fonts-wqy-microhei (make install does)")


def _day(value: date, chinese: bool = False) -> str:
    if chinese:
        return f"{value.year}年{value.month}月{value.day}日"
    return value.strftime("%d %B %Y").lstrip("0")


def _draw_qr(pdf: FPDF, url: str, x: float, y: float, size: float) -> None:
    qr = segno.make(url, error="m")
    matrix = [list(row) for row in qr.matrix_iter(scale=1, border=2)]
    module = size / len(matrix)
    pdf.set_fill_color(0, 0, 0)
    for row_number, row in enumerate(matrix):
        for column_number, dark in enumerate(row):
            if dark:
                pdf.rect(x + column_number * module, y + row_number * module, module, module, "F")
    pdf.link(x, y, size, size, url, alt_text="QR code: verification page")


def _units(pdf: FPDF, certificate: Certificate) -> None:
    pdf.set_font("cjk", size=10)
    for unit in certificate.units:
        pdf.cell(
            0,
            6,
            f"{unit['code']}  {unit['title_en']}  ·  {unit['title_zh']}",
            new_x="LMARGIN",
            new_y="NEXT",
        )


#: Recently made PDFs: parsing the CJK font takes seconds, a certificate rarely changes.
_RECENT: OrderedDict[tuple[int, str, str], bytes] = OrderedDict()
_RECENT_SIZE = 32
_RECENT_LOCK = threading.Lock()


def certificate_pdf(certificate: Certificate) -> bytes:
    """The certificate, one A4 landscape page (kept for repeated downloads)."""
    key = (certificate.id, certificate.status.value, verification_url(certificate.serial))
    with _RECENT_LOCK:
        if key in _RECENT:
            _RECENT.move_to_end(key)
            return _RECENT[key]
    document = _render(certificate)
    with _RECENT_LOCK:
        _RECENT[key] = document
        while len(_RECENT) > _RECENT_SIZE:
            _RECENT.popitem(last=False)
    return document


def _render(certificate: Certificate) -> bytes:
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_title(f"Certificate {certificate.serial}")
    pdf.set_author(certificate.association_name)
    pdf.add_font("cjk", "", str(cjk_font_path()))
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_draw_color(120, 40, 30)
    pdf.set_line_width(1.2)
    pdf.rect(8, 8, 281, 194)
    pdf.set_font("cjk", size=14)
    pdf.set_xy(20, 20)
    pdf.cell(0, 8, certificate.association_name, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=26)
    pdf.set_x(20)
    pdf.cell(0, 14, "Certificate · 证书", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=12)
    pdf.set_x(20)
    pdf.cell(0, 8, "This certifies that · 兹证明", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=22)
    pdf.set_x(20)
    pdf.cell(0, 12, certificate.holder_name, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=12)
    pdf.set_x(20)
    pdf.multi_cell(
        190,
        7,
        f"has reached {certificate.level_name_en} ({certificate.level_code}) of "
        f"{certificate.standard_title_en}, version {certificate.standard_version}.\n"
        f"已达到《{certificate.standard_title_zh}》（{certificate.standard_version} 版）"
        f"{certificate.level_name_zh}（{certificate.level_code}）。",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(3)
    pdf.set_x(20)
    pdf.set_font("cjk", size=11)
    pdf.cell(0, 7, "Units achieved · 获得的单元", new_x="LMARGIN", new_y="NEXT")
    pdf.set_left_margin(20)
    _units(pdf, certificate)
    pdf.set_xy(20, 170)
    pdf.set_font("cjk", size=10)
    issued = f"Issued · 颁发日期: {_day(certificate.issued_date)} · {_day(certificate.issued_date, True)}"
    if certificate.expires_date:
        issued += f"    Valid until · 有效期至: {_day(certificate.expires_date)} · {_day(certificate.expires_date, True)}"
    pdf.cell(0, 6, issued, new_x="LMARGIN", new_y="NEXT")
    pdf.cell(
        0, 6, f"Certificate number · 证书编号: {certificate.serial}", new_x="LMARGIN", new_y="NEXT"
    )
    url = verification_url(certificate.serial)
    _draw_qr(pdf, url, 225, 130, 50)
    pdf.set_xy(200, 182)
    pdf.set_font("cjk", size=8)
    pdf.multi_cell(85, 4, f"Verify · 查验: {url}", align="C")
    return bytes(pdf.output())

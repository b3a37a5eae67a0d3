"""Checks that a Word download is in 公文 form (GB/T 9704, ``common.documents``):
A4, the standard's margins, the title in 小标宋 二号, the body in 仿宋_GB2312 三号,
and no paragraph in a Word "Heading" style."""

import io

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from common.documents import BODY_FONT, TITLE_FONT, east_asian_font


def open_document(content: bytes):
    return Document(io.BytesIO(content))


def _near(length, mm: float) -> bool:
    """Word stores lengths in twentieths of a point: within a tenth of a mm."""
    return abs(length - Mm(mm)) < Mm(0.1)


def assert_official_form(document, *, title: str, landscape: bool = False) -> None:
    """``document`` is on A4 with the margins 37/35/28/26 mm (turned for a landscape
    page), its first paragraph is ``title`` in 方正小标宋简体 22 pt, every other
    paragraph's text is in 仿宋_GB2312 (or a heading font) at 16 pt, and no paragraph
    uses a built-in heading style."""
    section = document.sections[0]
    width, height = (297, 210) if landscape else (210, 297)
    assert _near(section.page_width, width) and _near(section.page_height, height)
    margins = (
        section.top_margin,
        section.bottom_margin,
        section.left_margin,
        section.right_margin,
    )
    expected = (28, 26, 37, 35) if landscape else (37, 35, 28, 26)
    assert all(_near(m, e) for m, e in zip(margins, expected, strict=True)), margins

    paragraphs = document.paragraphs
    assert not [p.text for p in paragraphs if p.style.name.startswith("Heading")]
    first = paragraphs[0]
    assert first.text == title
    for run in first.runs:
        assert east_asian_font(run) == TITLE_FONT
        assert run.font.size == Pt(22)
    # The 版记 (between rules, at the foot) is set in 四号; the rest in 三号.
    body_runs = [
        r
        for p in paragraphs[1:]
        if not _is_colophon(p)
        for r in p.runs
        if r.text.strip()
    ]
    assert body_runs, "the document has no body text"
    body = [r for r in body_runs if east_asian_font(r) == BODY_FONT]
    assert body, "no text is set in 仿宋_GB2312"
    assert all(r.font.size == Pt(16) for r in body), "body text not at 16 pt"
    normal = document.styles["Normal"]
    assert normal.font.size == Pt(16)


def _is_colophon(paragraph) -> bool:
    ppr = paragraph._p.pPr
    return ppr is not None and ppr.find(qn("w:pBdr")) is not None


def paragraph_texts(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.text.strip()]


def table_rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]

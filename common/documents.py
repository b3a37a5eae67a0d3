"""Documents in 公文 form (GB/T 9704-2012), written with python-docx: every Word file
that leaves the system (the annual review, the 交办函, the 答复函 draft, the 征询意见表)
is an ``OfficialDocument``.

What the standard fixes and this module follows:

- A4 paper; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm.
- The title in 方正小标宋简体 二号 (22 pt), centred; the body in 仿宋_GB2312 三号 (16 pt)
  with a first-line indent of two characters; first-level headings (一、) in 黑体,
  second-level ones (（一）) in 楷体_GB2312, both at the body's size; a fixed line
  spacing of 28.95 pt (22 lines of 28 characters on a page).
- Page numbers "— 1 —" at the foot in 宋体 四号 (14 pt): odd pages on the right, even
  pages on the left, one character in from the edge.
- No Word built-in heading styles: every paragraph is "Normal" with its fonts set on
  the runs, so a document opens the same in Word and WPS. A font missing on the reader's
  machine is substituted by Word, the name stays (方正小标宋简体 is named, as offices
  expect, though few home computers have it).

Latin letters and digits take Times New Roman, as offices set them. Every text passes
``xml_text`` (a title typed with control characters would make an unreadable file).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .workbooks import xml_text

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"

TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
PAGE_NUMBER_SIZE = Pt(14)  # 四号
TABLE_SIZE = Pt(12)  # 小四: tables are set smaller to fit the type area
LINE_SPACING = Pt(28.95)

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}
# The type area is 156 mm wide on portrait A4 (210 − 28 − 26).
TYPE_WIDTH_MM = 156


def chinese_date(day: dt.date) -> str:
    """2026年12月4日: the 成文日期 in Arabic numerals, without leading zeros."""
    return f"{day.year}年{day.month}月{day.day}日"


def set_run_font(run, east_asian: str, size=None, *, bold=False, latin=LATIN_FONT):
    """``run`` in ``east_asian`` for Chinese text and ``latin`` for the rest."""
    run.font.name = latin
    rfonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), east_asian)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    if size is not None:
        run.font.size = size
    run.font.bold = bold or None


def east_asian_font(run) -> str | None:
    """The Chinese font a run is set in (for tests and checks)."""
    rpr = run._element.rPr
    if rpr is None or rpr.rFonts is None:
        return None
    return rpr.rFonts.get(qn("w:eastAsia"))


class OfficialDocument:
    """One document being written. Methods add blocks in reading order;
    ``to_bytes`` gives the .docx. ``landscape=True`` turns the page for wide tables
    (the margins turn with it, as the standard's 表格 pages do)."""

    def __init__(self, title: str, *, landscape: bool = False, mark=None):
        self.document = Document()
        self.title_text = xml_text(str(title))
        self._page(landscape)
        self._normal()
        self.document.core_properties.title = self.title_text
        self.document.core_properties.language = "zh-CN"
        self._page_numbers()
        if mark:
            self.mark_line(*mark)
        self.title(self.title_text)

    # -- page set-up -------------------------------------------------------------

    def _page(self, landscape: bool) -> None:
        section = self.document.sections[0]
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = PAGE_HEIGHT, PAGE_WIDTH
            # The long edge's margins go to the sides: binding stays on the left.
            section.top_margin, section.bottom_margin = (
                MARGINS["left"],
                MARGINS["right"],
            )
            section.left_margin, section.right_margin = (
                MARGINS["top"],
                MARGINS["bottom"],
            )
        else:
            section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
            section.top_margin, section.bottom_margin = (
                MARGINS["top"],
                MARGINS["bottom"],
            )
            section.left_margin, section.right_margin = (
                MARGINS["left"],
                MARGINS["right"],
            )
        section.footer_distance = Mm(28) - Mm(21)  # the number sits 7 mm below the text
        section.header_distance = Mm(15)

    def _normal(self) -> None:
        normal = self.document.styles["Normal"]
        normal.font.name = LATIN_FONT
        normal.font.size = BODY_SIZE
        rfonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
        rfonts.set(qn("w:eastAsia"), BODY_FONT)
        rfonts.set(qn("w:ascii"), LATIN_FONT)
        rfonts.set(qn("w:hAnsi"), LATIN_FONT)
        fmt = normal.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = LINE_SPACING
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(0)
        # Chinese text is justified; a line may not start with closing punctuation.
        fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    def _page_numbers(self) -> None:
        """ "— 1 —": odd pages right, even pages left, one character in."""
        section = self.document.sections[0]
        self.document.settings.odd_and_even_pages_header_footer = True
        for footer, alignment, side in (
            (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
            (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left"),
        ):
            footer.is_linked_to_previous = False
            paragraph = footer.paragraphs[0]
            paragraph.alignment = alignment
            paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            setattr(paragraph.paragraph_format, f"{side}_indent", PAGE_NUMBER_SIZE)
            self._text_run(paragraph, "— ")
            self._page_field(paragraph)
            self._text_run(paragraph, " —")

    def _text_run(self, paragraph, text):
        run = paragraph.add_run(text)
        set_run_font(run, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE, latin=PAGE_NUMBER_FONT)
        return run

    def _page_field(self, paragraph) -> None:
        run = self._text_run(paragraph, "")
        for kind, text in (("begin", None), (None, " PAGE "), ("separate", None)):
            if kind:
                char = OxmlElement("w:fldChar")
                char.set(qn("w:fldCharType"), kind)
                run._element.append(char)
            else:
                instr = OxmlElement("w:instrText")
                instr.set(qn("xml:space"), "preserve")
                instr.text = text
                run._element.append(instr)
        shown = self._text_run(paragraph, "1")
        end = OxmlElement("w:fldChar")
        end.set(qn("w:fldCharType"), "end")
        shown._element.append(end)

    # -- blocks ------------------------------------------------------------------

    def _paragraph(
        self,
        text="",
        *,
        font=BODY_FONT,
        size=BODY_SIZE,
        bold=False,
        alignment=None,
        indent=True,
        color=None,
    ):
        paragraph = self.document.add_paragraph()
        if alignment is not None:
            paragraph.alignment = alignment
        if indent:
            paragraph.paragraph_format.first_line_indent = Pt(size.pt * 2)
        if text:
            run = paragraph.add_run(xml_text(str(text)))
            set_run_font(run, font, size, bold=bold)
            if color is not None:
                run.font.color.rgb = color
        return paragraph

    def mark_line(self, left: str = "", right: str = "") -> None:
        """The line above the title: a class mark (A) on the left, 签发人 on the right,
        in 黑体 and 楷体 as the standard's 版头 sets them."""
        paragraph = self._paragraph(indent=False)
        tabs = paragraph.paragraph_format.tab_stops
        tabs.add_tab_stop(Mm(TYPE_WIDTH_MM), alignment=2)  # right-aligned tab
        if left:
            set_run_font(
                paragraph.add_run(xml_text(str(left))), HEADING_FONT, BODY_SIZE
            )
        if right:
            paragraph.add_run("\t")
            set_run_font(
                paragraph.add_run(xml_text(str(right))), SUBHEADING_FONT, BODY_SIZE
            )
        self.blank()

    def title(self, text: str) -> None:
        """The title: 小标宋 二号, centred, a blank line below. A long title breaks
        where it breaks; Word keeps the fixed spacing wide enough for 二号."""
        paragraph = self._paragraph(
            text,
            font=TITLE_FONT,
            size=TITLE_SIZE,
            alignment=WD_ALIGN_PARAGRAPH.CENTER,
            indent=False,
        )
        paragraph.paragraph_format.line_spacing = Pt(36)
        self.blank()

    def blank(self) -> None:
        self._paragraph(indent=False)

    def addressee(self, text: str) -> None:
        """主送机关 or the person addressed: flush left, ends with a full-width colon."""
        text = str(text)
        if not text.endswith("："):
            text += "："
        self._paragraph(text, indent=False, alignment=WD_ALIGN_PARAGRAPH.LEFT)

    def paragraph(self, text: str, *, indent=True, alignment=None) -> None:
        self._paragraph(text, indent=indent, alignment=alignment)

    def paragraphs(self, texts: Iterable[str]) -> None:
        for text in texts:
            self.paragraph(text)

    def heading(self, text: str, *, indent: bool = True) -> None:
        """A first-level heading (一、…) in 黑体; ``indent=False`` sets it flush
        left, as the 附件 mark at the head of an attachment."""
        self._paragraph(text, font=HEADING_FONT, indent=indent)

    def subheading(self, text: str) -> None:
        """A second-level heading (（一）…) in 楷体."""
        self._paragraph(text, font=SUBHEADING_FONT)

    def run_in_heading(self, heading: str, text: str) -> None:
        """A paragraph led by its own heading on the same line, as the standard sets
        a short numbered point: "一、按期答复。" in 黑体, the text after it in 仿宋."""
        paragraph = self._paragraph()
        set_run_font(paragraph.add_run(xml_text(str(heading))), HEADING_FONT, BODY_SIZE)
        set_run_font(paragraph.add_run(xml_text(str(text))), BODY_FONT, BODY_SIZE)

    def centred(self, text: str) -> None:
        self._paragraph(text, indent=False, alignment=WD_ALIGN_PARAGRAPH.CENTER)

    def table(
        self,
        headers: Sequence[str],
        rows: Iterable[Sequence],
        *,
        widths_mm: Sequence[float] | None = None,
        size=TABLE_SIZE,
        numeric: Sequence[int] = (),
        caption: str | None = None,
    ):
        """A ruled table in 仿宋 (headers in 黑体), single-spaced at ``size``;
        ``numeric`` columns are right-aligned. A header row repeats on each page."""
        if caption:
            self._paragraph(
                caption,
                font=HEADING_FONT,
                indent=False,
                alignment=WD_ALIGN_PARAGRAPH.CENTER,
            )
        grid = self.document.add_table(rows=1, cols=len(headers))
        grid.style = "Table Grid"
        grid.alignment = WD_TABLE_ALIGNMENT.CENTER
        header_row = grid.rows[0]
        flag = OxmlElement("w:tblHeader")
        flag.set(qn("w:val"), "true")
        header_row._tr.get_or_add_trPr().append(flag)
        for cell, text in zip(header_row.cells, headers, strict=True):
            self._cell(cell, text, HEADING_FONT, size, WD_ALIGN_PARAGRAPH.CENTER)
        for row in rows:
            cells = grid.add_row().cells
            for i, (cell, value) in enumerate(zip(cells, row, strict=True)):
                alignment = (
                    WD_ALIGN_PARAGRAPH.RIGHT
                    if i in numeric
                    else WD_ALIGN_PARAGRAPH.LEFT
                )
                self._cell(cell, value, BODY_FONT, size, alignment)
        if widths_mm:
            for column, width in zip(grid.columns, widths_mm, strict=True):
                for cell in column.cells:
                    cell.width = Mm(width)
        return grid

    def _cell(self, cell, value, font, size, alignment) -> None:
        paragraph = cell.paragraphs[0]
        paragraph.alignment = alignment
        fmt = paragraph.paragraph_format
        fmt.first_line_indent = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        text = "" if value is None else xml_text(str(value))
        lines = text.split("\n")
        for i, line in enumerate(lines):
            run = paragraph.add_run(line)
            set_run_font(run, font, size)
            if i < len(lines) - 1:
                run.add_break()

    def form_table(
        self,
        rows: Sequence[Sequence],
        *,
        widths_mm: Sequence[float],
        heights_mm: dict[int, float] | None = None,
        size=BODY_SIZE,
    ):
        """A form on paper as a ruled grid: in each row the cells alternate label
        (黑体, centred) and value (仿宋, left); a row shorter than the grid has its
        last cell spread over the columns left. ``heights_mm`` gives a row (by its
        index) room to write in by hand."""
        columns = len(widths_mm)
        grid = self.document.add_table(rows=len(rows), cols=columns)
        grid.style = "Table Grid"
        grid.alignment = WD_TABLE_ALIGNMENT.CENTER
        for row, values in zip(grid.rows, rows, strict=True):
            cells = row.cells
            if len(values) < columns:
                cells[len(values) - 1].merge(cells[columns - 1])
            for i, value in enumerate(values):
                label = i % 2 == 0
                self._cell(
                    cells[i],
                    value,
                    HEADING_FONT if label else BODY_FONT,
                    size,
                    WD_ALIGN_PARAGRAPH.CENTER if label else WD_ALIGN_PARAGRAPH.LEFT,
                )
        for column, width in zip(grid.columns, widths_mm, strict=True):
            column.width = Mm(width)
        for row in grid.rows:
            start = 0
            for tc in row._tr.tc_lst:
                span = tc.grid_span
                tc.width = Mm(sum(widths_mm[start : start + span]))
                start += span
        for index, height in (heights_mm or {}).items():
            grid.rows[index].height = Mm(height)
            grid.rows[index].height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        return grid

    def form_row(self, label: str, value: str = "", *, size=BODY_SIZE) -> None:
        """A line of a form: the label in 黑体, the value (or a blank to fill in)."""
        paragraph = self._paragraph(indent=False, alignment=WD_ALIGN_PARAGRAPH.LEFT)
        set_run_font(paragraph.add_run(xml_text(str(label))), HEADING_FONT, size)
        run = paragraph.add_run(xml_text(str(value)) if value else "　" * 12)
        set_run_font(run, BODY_FONT, size)
        if not value:
            run.font.underline = True

    def signature(self, organ: str, day: dt.date) -> None:
        """发文机关署名 and 成文日期 at the right, the date four characters in from
        the right edge (the standard's layout for a document without a seal box)."""
        self.blank()
        self.blank()
        for text in (organ, chinese_date(day)):
            paragraph = self._paragraph(
                text, indent=False, alignment=WD_ALIGN_PARAGRAPH.RIGHT
            )
            paragraph.paragraph_format.right_indent = Pt(BODY_SIZE.pt * 4)

    def note(self, text: str) -> None:
        """附注: in brackets, two characters in, below the date."""
        text = str(text)
        if not text.startswith("（"):
            text = f"（{text}）"
        self._paragraph(text)

    def colophon(
        self,
        copy_to: Sequence[str] = (),
        *,
        issuer: str = "",
        issued_on: dt.date | None = None,
    ) -> None:
        """版记 at the end: 抄送 and the 印发 line, between rules, in 仿宋 四号."""
        size = Pt(14)
        self.blank()
        lines = []
        if copy_to:
            lines.append(("抄送：" + "，".join(str(c) for c in copy_to) + "。", ""))
        if issuer or issued_on:
            date = chinese_date(issued_on) + "印发" if issued_on else ""
            lines.append((str(issuer), date))
        for i, (left, right) in enumerate(lines):
            paragraph = self._paragraph(indent=False, alignment=WD_ALIGN_PARAGRAPH.LEFT)
            fmt = paragraph.paragraph_format
            fmt.left_indent = size
            fmt.right_indent = size
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
            set_run_font(paragraph.add_run(xml_text(left)), BODY_FONT, size)
            if right:
                fmt.tab_stops.add_tab_stop(Mm(TYPE_WIDTH_MM) - size * 2, alignment=2)
                set_run_font(paragraph.add_run("\t" + right), BODY_FONT, size)
            # The first and the last rule are thick, the ones between thin.
            rules = [("top", 8 if i == 0 else 4)]
            if i == len(lines) - 1:
                rules.append(("bottom", 8))
            self._rules(paragraph, rules)

    def _rules(self, paragraph, rules) -> None:
        ppr = paragraph._p.get_or_add_pPr()
        borders = OxmlElement("w:pBdr")
        for side, width in rules:
            edge = OxmlElement(f"w:{side}")
            edge.set(qn("w:val"), "single")
            edge.set(qn("w:sz"), str(width))
            edge.set(qn("w:space"), "1")
            edge.set(qn("w:color"), "000000")
            borders.append(edge)
        ppr.append(borders)

    def page_break(self) -> None:
        self.document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self.document.save(out)
        return out.getvalue()

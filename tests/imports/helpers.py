"""Workbooks for the import tests: the template's headers (Chinese) and rows."""

import io

from django.utils import translation
from openpyxl import Workbook

from imports.columns import COLUMNS


def headers(kind: str) -> list[str]:
    with translation.override("zh-hans"):
        return [str(c.label) for c in COLUMNS[kind]]


def workbook(kind: str, rows: list[dict], *, header_names=None) -> io.BytesIO:
    """An .xlsx of ``kind`` whose rows give values by Chinese header."""
    names = header_names or headers(kind)
    book = Workbook()
    sheet = book.active
    sheet.append(names)
    for row in rows:
        sheet.append([row.get(name) for name in names])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = f"{kind}.xlsx"
    return out


def suggestion_row(number: int, **overrides) -> dict:
    row = {
        "届次": 16,
        "会次": 1,
        "年份": 2022,
        "开幕日期": "2022-01-10",
        "编号": number,
        "标题": f"关于加快农村公路建设的建议{number}",
        "内容": "近年来，我州农村公路建设取得了明显成效。",
        "领衔代表": "张伟",
        "附议代表": "李娜、王芳",
        "类别": "工交财贸",
        "主办单位": "州交通运输局",
        "协办单位": "州财政局",
        "提交日期": "2022-01-12",
        "交办日期": "2022-02-20",
        "答复日期": "2022-05-10",
        "答复类别": "A",
        "代表评价": "满意",
        "办结日期": "2022-05-20",
    }
    row.update(overrides)
    return row

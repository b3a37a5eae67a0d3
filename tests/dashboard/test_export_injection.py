"""Names and titles that start like a formula (``=``, ``+``, ``-``, ``@``, a tab, a
carriage return) are written as text in every workbook: read back, the cell is a
string (``data_type`` "s"), never a formula ("f"), and carries Excel's quote prefix."""

import io

import pytest
from openpyxl import load_workbook

from congress.models import Delegation, HandlingUnit
from dashboard import exports, figures
from suggestions import exports as suggestion_exports
from suggestions.models import Category, Suggestion

from .test_statistics import make

DANGEROUS = [
    '=HYPERLINK("http://evil.example/x","y")',
    "+1+1",
    "-1+2",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
]


def _cells(content, text):
    book = load_workbook(io.BytesIO(content))
    found = [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value == text
    ]
    formulas = [
        cell.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    assert formulas == []
    return found


def _assert_text(cells):
    assert cells
    for cell in cells:
        assert cell.data_type == "s"
        assert cell.quotePrefix


@pytest.fixture
def hostile(world, request):
    text = request.param
    suggestion = make(world, unit="government", category=0)
    Suggestion.objects.filter(pk=suggestion.pk).update(title=text)
    Category.objects.filter(pk=world["categories"][0].pk).update(name=text + "类")
    HandlingUnit.objects.filter(pk=world["units"]["government"].pk).update(
        name=text + "局"
    )
    Delegation.objects.filter(pk=suggestion.lead_deputy.delegation_id).update(
        name=text + "团"
    )
    return text


@pytest.mark.parametrize("hostile", DANGEROUS, indirect=True)
def test_the_suggestion_export_writes_titles_and_names_as_text(world, hostile):
    content = suggestion_exports.suggestion_workbook(
        Suggestion.objects.filter(session=world["session"]).order_by("pk")
    )
    for text in (hostile, hostile + "类", hostile + "局", hostile + "团"):
        _assert_text(_cells(content, text))


@pytest.mark.parametrize("hostile", DANGEROUS, indirect=True)
def test_the_dashboard_workbook_writes_names_as_text(world, hostile):
    content = exports.dashboard_workbook(figures.Scope(session=world["session"]))
    for text in (hostile + "类", hostile + "局", hostile + "团"):
        _assert_text(_cells(content, text))


@pytest.mark.parametrize("hostile", DANGEROUS, indirect=True)
def test_the_league_table_writes_unit_names_as_text(world, hostile):
    content = exports.league_workbook(figures.Scope(session=world["session"]))
    _assert_text(_cells(content, hostile + "局"))

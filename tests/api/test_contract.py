"""The contract checker behind ``client_as`` fails on what a generated client would
not parse, and passes what it would."""

import pytest
from django.http import JsonResponse

from . import contract


def _unit_row(**unit):
    return [{"unit": unit, "rank": 1, "score": 2, "items": []}]


def test_a_missing_required_field_fails():
    response = JsonResponse(_unit_row(id=1, name="州教育局"), safe=False)
    with pytest.raises(AssertionError, match=r"0/unit: 'kind' is a required property"):
        contract.check(response, "GET", "/api/v1/dashboard/assessment/")


def test_a_matching_answer_passes():
    response = JsonResponse(_unit_row(id=1, name="州教育局", kind="gov"), safe=False)
    contract.check(response, "GET", "/api/v1/dashboard/assessment/")


def test_null_only_where_the_schema_allows_it():
    """``nullable`` becomes JSON Schema's null type; a field without it refuses null."""
    assert contract.json_schema({"type": "integer", "nullable": True}) == {
        "type": ["integer", "null"]
    }
    rows = [{"unit": {"id": 1, "name": "甲", "kind": "gov"}, "rank": None}]
    response = JsonResponse(rows, safe=False)
    with pytest.raises(AssertionError, match="rank"):
        contract.check(response, "GET", "/api/v1/dashboard/assessment/")


def test_a_path_maps_to_its_template():
    assert contract.template("/api/v1/suggestions/12/") == "/api/v1/suggestions/{id}/"
    assert (
        contract.template("/api/v1/suggestions/export.xlsx")
        == "/api/v1/suggestions/export.xlsx"
    )
    assert contract.template("/public/") is None

"""The OpenAPI schema matches the contract's names, validates, and the docs work
offline."""

import re

import pytest
from drf_spectacular.validation import validate_schema

from .conftest import client_as

pytestmark = pytest.mark.django_db

# Every path of API.md (the dashboard's export and review documents belong to the
# dashboard issue).
CONTRACT_PATHS = [
    "/api/v1/auth/token/",
    "/api/v1/me/",
    "/api/v1/congresses/",
    "/api/v1/sessions/",
    "/api/v1/categories/",
    "/api/v1/delegations/",
    "/api/v1/deputies/",
    "/api/v1/units/",
    "/api/v1/units/{id}/",
    "/api/v1/accounts/",
    "/api/v1/accounts/{id}/",
    "/api/v1/accounts/{id}/revoke-tokens/",
    "/api/v1/suggestions/",
    "/api/v1/suggestions/{id}/",
    *[
        f"/api/v1/suggestions/{{id}}/{action}/"
        for action in (
            "submit",
            "withdraw",
            "cosign",
            "register",
            "reject",
            "merge",
            "assign",
            "evaluate",
            "publish",
        )
    ],
    "/api/v1/assignments/",
    "/api/v1/assignments/{id}/",
    *[
        f"/api/v1/assignments/{{id}}/{action}/"
        for action in (
            "acknowledge",
            "request-reassignment",
            "request-extension",
            "contact",
            "plan",
            "progress",
            "reply",
        )
    ],
    "/api/v1/adjustment-requests/",
    "/api/v1/adjustment-requests/{id}/approve/",
    "/api/v1/adjustment-requests/{id}/deny/",
    "/api/v1/dashboard/",
    "/api/v1/dashboard/assessment/",
    "/api/v1/assessment-formulas/",
    "/api/v1/assessment-formulas/{id}/",
    "/api/v1/notifications/",
    "/api/v1/notifications/{id}/read/",
]


@pytest.fixture
def schema(db):
    response = client_as().get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def test_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)


def test_a_deputy_without_an_account_matches_the_schema(schema):
    """``user`` is null for a deputy without an account, and documented as nullable
    (schemathesis found the answer violating an integer-only schema)."""
    from tests.factories import DeputyFactory, StaffFactory

    assert schema["components"]["schemas"]["Deputy"]["properties"]["user"]["nullable"]
    deputy = DeputyFactory()
    response = client_as(StaffFactory()).get(f"/api/v1/deputies/{deputy.pk}/")
    assert response.status_code == 200
    assert response.json()["user"] is None


def test_schema_has_every_contract_path(schema):
    assert set(CONTRACT_PATHS) <= set(schema["paths"])


def test_suggestion_detail_documents_the_contract_fields(schema):
    detail = schema["components"]["schemas"]["SuggestionDetailOutput"]["properties"]
    for name in [
        "id",
        "session",
        "number",
        "title",
        "body",
        "category",
        "lead_deputy",
        "co_signers",
        "invited",
        "status",
        "complexity",
        "key_supervised",
        "is_public",
        "merged_into",
        "submitted_at",
        "registered_at",
        "assigned_at",
        "due_at",
        "replied_at",
        "closed_at",
        "assignments",
        "replies",
        "evaluations",
        "events",
    ]:
        assert name in detail, name


def test_actions_document_their_errors_and_examples(schema):
    register = schema["paths"]["/api/v1/suggestions/{id}/register/"]["post"]
    assert {"200", "400", "401", "403", "404", "409"} <= set(register["responses"])
    assert "examples" in register["requestBody"]["content"]["application/json"]
    reply = schema["paths"]["/api/v1/assignments/{id}/reply/"]["post"]
    assert "examples" in reply["requestBody"]["content"]["multipart/form-data"]


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _request_types(schema, path, method="post"):
    return set(schema["paths"][path][method]["requestBody"]["content"])


def test_json_bodies_are_declared_as_json_only(schema):
    """The API parses JSON; form and multipart are not offered where no file is
    sent."""
    for path, method in [
        ("/api/v1/auth/token/", "post"),
        ("/api/v1/suggestions/{id}/", "patch"),
        ("/api/v1/suggestions/{id}/register/", "post"),
        ("/api/v1/assignments/{id}/contact/", "post"),
    ]:
        assert _request_types(schema, path, method) == {"application/json"}, path


def test_every_body_has_one_content_type(schema):
    """Client generators turn a body declared under several types into broken code
    (openapi-python-client: a ``NameError`` on import)."""
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if "requestBody" in operation:
                assert len(operation["requestBody"]["content"]) == 1, (method, path)


def test_the_reply_with_its_letter_is_multipart(schema):
    assert _request_types(schema, "/api/v1/assignments/{id}/reply/") == {
        "multipart/form-data"
    }
    body = schema["components"]["schemas"]["ReplyInputRequest"]["properties"]
    assert body["letter"]["format"] == "binary"


def test_a_new_suggestion_with_its_scan_is_multipart(schema):
    """Staff's entry on behalf (代录) carries the scan of the signed original."""
    assert _request_types(schema, "/api/v1/suggestions/") == {"multipart/form-data"}
    body = schema["components"]["schemas"]["SuggestionCreateInputRequest"]
    assert body["properties"]["original"]["format"] == "binary"
    assert "lead_deputy" in body["properties"]


def test_the_reply_without_a_letter_is_still_taken_as_json(cast):
    cast.state("acknowledged")
    response = client_as(cast.clerk).post(
        f"/api/v1/assignments/{cast.lead_assignment().pk}/reply/",
        {"outcome": "resolved", "body": "已解决。"},
        format="json",
    )
    assert response.status_code == 200, response.content[:300]


def test_a_form_body_to_a_json_endpoint_is_415(cast):
    cast.state("submitted")
    response = client_as(cast.staff).post(
        f"/api/v1/suggestions/{cast.suggestion.pk}/register/",
        {"category": cast.category.pk},
        format="multipart",
    )
    assert response.status_code == 415


def _binary_types(schema, path):
    content = schema["paths"][path]["get"]["responses"]["200"]["content"]
    for media_type in content.values():
        assert media_type["schema"] == {"type": "string", "format": "binary"}
    return set(content)


def test_downloads_are_binary_with_their_media_types(schema):
    assert _binary_types(schema, "/api/v1/suggestions/export.xlsx") == {XLSX}
    assert _binary_types(schema, "/api/v1/dashboard/export.xlsx") == {XLSX}
    assert _binary_types(schema, "/api/v1/dashboard/review.docx") == {DOCX}
    assert _binary_types(schema, "/api/v1/dashboard/assessment.xlsx") == {XLSX}
    assert _binary_types(schema, "/api/v1/replies/{id}/letter/") == {
        "application/pdf",
        "application/msword",
        DOCX,
        "image/jpeg",
        "image/png",
    }


def test_query_parameters_carry_no_translated_title(schema):
    """Generators name a parameter's enum after its ``title``: without one the name
    is the operation's and the parameter's, the same in every language."""
    listing = schema["paths"]["/api/v1/suggestions/"]["get"]["parameters"]
    status = next(p for p in listing if p["name"] == "status")
    assert "title" not in status["schema"]
    assert "title" not in status["schema"].get("items", {})


def test_list_endpoints_are_paginated_and_filtered(schema):
    listing = schema["paths"]["/api/v1/suggestions/"]["get"]
    names = {p["name"] for p in listing["parameters"]}
    assert {
        "page",
        "page_size",
        "session",
        "status",
        "category",
        "unit",
        "delegation",
        "deputy",
        "key_supervised",
        "overdue",
        "due_before",
        "due_after",
        "q",
        "ordering",
    } <= names
    ok = listing["responses"]["200"]["content"]["application/json"]["schema"]
    page = schema["components"]["schemas"][ok["$ref"].rsplit("/", 1)[-1]]
    assert {"count", "next", "previous", "results"} <= set(page["properties"])


def test_docs_are_served_offline(db):
    """The interactive docs load their scripts and styles from this app's /static/,
    never from another host."""
    response = client_as().get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets
    for asset in assets:
        # The start-up script comes from the view itself (no inline code: the CSP).
        assert asset.startswith(("/static/", "/api/v1/docs/?")), asset
    assert "cdn" not in html.lower()

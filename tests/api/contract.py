"""The served schema as a checker of answers: each JSON answer the API tests get is
validated against the schema's response for its path, method and status, so every
API test also tests the contract a generated client relies on.

``check(response, method, path)`` raises ``AssertionError`` naming the first field
that does not match. An answer whose status the operation does not document (a 429
from the rate limit, a 415), and every download, is left alone here: schemathesis
reports undocumented statuses in CI.
"""

import functools
import json
import re

from drf_spectacular.generators import SchemaGenerator
from jsonschema import Draft202012Validator
from rest_framework.test import APIClient

JSON = "application/json"


def json_schema(node):
    """An OpenAPI 3.0 schema as JSON Schema says it: ``nullable`` allows ``null``."""
    if isinstance(node, list):
        return [json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    node = {k: json_schema(v) for k, v in node.items()}
    if node.pop("nullable", False):
        if "type" in node:
            node["type"] = [node["type"], "null"]
            if "enum" in node:
                node["enum"] = [*node["enum"], None]
        else:
            node = {"anyOf": [node, {"type": "null"}]}
    return node


@functools.cache
def served_schema() -> dict:
    """The schema as ``/api/v1/schema/`` serves it (the same generator and hooks)."""
    return SchemaGenerator().get_schema(request=None, public=True)


@functools.cache
def _routes() -> list[tuple[re.Pattern, str]]:
    """Each schema path as a pattern; literal paths first (``/suggestions/export.xlsx``
    before ``/suggestions/{id}/``)."""
    paths = served_schema()["paths"]
    ordered = sorted(paths, key=lambda p: p.count("{"))
    return [
        (re.compile(re.sub(r"\\{\w+\\}", r"[^/]+", re.escape(p)) + r"\Z"), p)
        for p in ordered
    ]


@functools.cache
def _components() -> dict:
    return json_schema(served_schema()["components"])


@functools.cache
def _validator(path: str, method: str, status: str):
    operation = served_schema()["paths"][path].get(method)
    if operation is None:
        return None
    content = operation["responses"].get(status, {}).get("content", {})
    if JSON not in content:
        return None
    root = {
        "allOf": [json_schema(content[JSON]["schema"])],
        "components": _components(),
    }
    return Draft202012Validator(
        root, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def template(path: str) -> str | None:
    """The schema's path for a concrete one, or None (not an operation of the API)."""
    for pattern, name in _routes():
        if pattern.match(path):
            return name
    return None


def check(response, method: str, path: str) -> None:
    if not response.get("Content-Type", "").startswith(JSON):
        return
    name = template(path)
    if name is None:
        return
    validator = _validator(name, method.lower(), str(response.status_code))
    if validator is None:
        return
    body = json.loads(response.content)
    for error in validator.iter_errors(body):
        where = "/".join(map(str, error.absolute_path)) or "(the answer)"
        raise AssertionError(
            f"{method} {path} → {response.status_code} does not match the schema "
            f"of {name}: {where}: {error.message}"
        )


class ContractClient(APIClient):
    """An API client whose every JSON answer must match the served schema
    (``check``): the client of every test that calls the API."""

    def request(self, **request):
        response = super().request(**request)
        check(response, request["REQUEST_METHOD"], request["PATH_INFO"])
        return response

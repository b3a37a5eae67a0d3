"""Every JSON answer of every read endpoint matches the schema the server serves, on
the demo's data, for each role: what a generated client parses is what it gets.

Schemathesis (in CI) fuzzes the same contract at random; this walks it on purpose:
each GET path as staff, a leader, a unit's clerk, a deputy and a county's staff,
an ``{id}`` taken from the first row of its list, the dashboard's endpoints for each
demo session. A field the schema requires and an answer leaves out (the assessment's
unit without its ``kind``, 2026-12-07) fails here, every time.
"""

import copy
import re

import pytest
from jsonschema import Draft202012Validator

from accounts.models import User

from ..dashboard.demo import demo  # noqa: F401
from .conftest import client_as

pytestmark = pytest.mark.django_db

ROLES = ("staff", "leader", "unit", "deputy", "county_staff")
JSON = "application/json"


def _nullable_to_json_schema(node):
    """OpenAPI 3.0's ``nullable`` as JSON Schema says it (``null`` allowed)."""
    if isinstance(node, list):
        return [_nullable_to_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    node = {k: _nullable_to_json_schema(v) for k, v in node.items()}
    if node.pop("nullable", False):
        if "type" in node:
            node["type"] = [node["type"], "null"]
            if "enum" in node:
                node["enum"] = [*node["enum"], None]
        else:
            node = {"anyOf": [node, {"type": "null"}]}
    return node


@pytest.fixture(scope="module")
def schema(demo, django_db_blocker):  # noqa: F811
    with django_db_blocker.unblock():
        response = client_as().get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    served = response.json()
    served["components"]["schemas"] = _nullable_to_json_schema(
        served["components"]["schemas"]
    )
    return served


def _validator(schema, operation, status):
    content = operation["responses"].get(str(status), {}).get("content", {})
    if JSON not in content:
        return None
    root = copy.deepcopy(_nullable_to_json_schema(content[JSON]["schema"]))
    root = {"allOf": [root], "components": schema["components"]}
    return Draft202012Validator(root)


def _first_id(client, list_path):
    response = client.get(list_path)
    if response.status_code != 200:
        return None
    body = response.json()
    rows = body.get("results", body) if isinstance(body, dict) else body
    return rows[0]["id"] if rows else None


def _requests(schema, client, sessions):
    """(path, query) for each GET with a JSON answer that ``client`` can ask."""
    for path, item in schema["paths"].items():
        operation = item.get("get")
        if operation is None or _validator(schema, operation, 200) is None:
            continue
        names = {p["name"] for p in operation.get("parameters", ())}
        if "{id}" in path:
            found = _first_id(client, path.split("{id}")[0])
            if found is None:
                continue
            path = path.replace("{id}", str(found))
        elif re.search(r"{\w+}", path):
            continue
        if "session" in names:
            for session in sessions:
                yield path, {"session": session.pk}
        else:
            yield path, {}


def test_every_json_answer_matches_its_schema(demo, schema):  # noqa: F811
    sessions = list(demo.sessions.values())
    asked, failures = 0, []
    for role in ROLES:
        client = client_as(User.objects.get(username=role))
        for path, query in _requests(schema, client, sessions):
            response = client.get(path, query)
            asked += 1
            operation = schema["paths"][_template(schema, path)]["get"]
            validator = _validator(schema, operation, response.status_code)
            if validator is None:
                continue
            for error in validator.iter_errors(response.json()):
                where = "/".join(map(str, error.absolute_path))
                failures.append(f"{role} GET {path} {query}: {where}: {error.message}")
                break
    assert asked > 5 * 40, asked
    assert failures == []


def _template(schema, path):
    """The schema's path for a concrete one (``/suggestions/12/`` → ``{id}``)."""
    if path in schema["paths"]:
        return path
    return re.sub(r"/\d+/", "/{id}/", path, count=1)

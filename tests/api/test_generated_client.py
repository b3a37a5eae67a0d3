"""A client generated from the schema with openapi-python-client, the most used Python
generator, imports and drives one suggestion from draft to closed against a live
server: the schema is one that clients can be built from.

The schema is the one the live server serves; the generator runs offline (a local
file, no post-processing hooks, so no ruff is needed); every module of the generated
package must import, and the generator must not leave anything out.
"""

import contextlib
import importlib
import io
import json
import pkgutil
import subprocess
import sys

import httpx
import pytest

from suggestions.models import Status, Suggestion

from ..factories import (
    PASSWORD,
    CategoryFactory,
    HandlingUnitFactory,
    SessionFactory,
    StaffFactory,
    UnitMemberFactory,
    deputy_user,
)
from .conftest import PNG

PACKAGE = "suggestions_api_client"


def _binary_media_types(schema: dict) -> set[str]:
    """The media types of the downloads (a binary string schema)."""
    found = set()
    for path_item in schema["paths"].values():
        for operation in path_item.values():
            for response in operation.get("responses", {}).values():
                for media_type, content in response.get("content", {}).items():
                    if content.get("schema", {}).get("format") == "binary":
                        found.add(media_type)
    return found


def _generate(schema: dict, where) -> None:
    """Write the package into ``where / PACKAGE``; fail on any generator warning."""
    schema_file = where / "schema.json"
    schema_file.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    # The generator reads a response body as bytes only for octet-stream: the real
    # types of the downloads map to it (the client's choice, not the schema's).
    config = {
        "post_hooks": [],
        "content_type_overrides": dict.fromkeys(
            _binary_media_types(schema), "application/octet-stream"
        ),
    }
    config_file = where / "config.json"
    config_file.write_text(json.dumps(config), encoding="utf-8")
    result = subprocess.run(  # noqa: S603 (fixed arguments, our own interpreter)
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(schema_file),
            "--output-path",
            str(where / PACKAGE),
            "--meta",
            "none",
            "--config",
            str(config_file),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    # A part of the schema the generator cannot handle is left out with a warning.
    assert "warning" not in output.lower(), output


@pytest.fixture
def api(live_server, tmp_path, monkeypatch):
    """The generated package, every module of it imported."""
    # Notifications stay in the inbox: no Celery task is queued.
    monkeypatch.setattr("notifications.services.schedule_delivery", lambda: None)
    # In the server's default language (Chinese), as a client fetching it gets it.
    answer = httpx.get(
        f"{live_server.url}/api/v1/schema/", params={"format": "json"}, timeout=30
    )
    assert answer.status_code == 200, answer.text[:500]
    _generate(answer.json(), tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        package = importlib.import_module(PACKAGE)
        for module in pkgutil.walk_packages(package.__path__, f"{PACKAGE}."):
            # Names come from the schema's keys, never from its translated labels.
            assert module.name.isascii(), module.name
            importlib.import_module(module.name)
        yield package
    finally:
        for name in [n for n in sys.modules if n.split(".")[0] == PACKAGE]:
            del sys.modules[name]


@pytest.fixture
def closing():
    """Closes the clients entered into it: the live server's request thread keeps
    its database connection while a client keeps its HTTP connection open, and an
    open one stops the test database from being dropped (PostgreSQL)."""
    with contextlib.ExitStack() as stack:
        yield stack


def call(operation, status=200, **kwargs):
    """``operation.sync_detailed(**kwargs)``: the parsed answer, after checking its
    status."""
    response = operation.sync_detailed(**kwargs)
    assert response.status_code == status, response.content[:500]
    return response.parsed


def test_a_generated_client_drives_a_suggestion_from_draft_to_closed(
    api, live_server, transactional_db, closing
):
    from suggestions_api_client import AuthenticatedClient, Client
    from suggestions_api_client.api.assignment_actions import (
        assignments_acknowledge,
        assignments_contact,
        assignments_reply,
    )
    from suggestions_api_client.api.assignments import assignments_list
    from suggestions_api_client.api.auth import auth_token, me
    from suggestions_api_client.api.suggestion_actions import (
        suggestions_assign,
        suggestions_evaluate,
        suggestions_register,
        suggestions_submit,
    )
    from suggestions_api_client.api.suggestions import (
        replies_letter,
        suggestions_create,
        suggestions_retrieve,
    )
    from suggestions_api_client.models import (
        AssignInputRequest,
        ContactInputRequest,
        EvaluateInputRequest,
        MethodEnum,
        OutcomeEnum,
        RatingEnum,
        RegisterInputRequest,
        ReplyInputRequest,
        SuggestionCreateInputRequest,
        SuggestionStatusEnum,
        TokenInputRequest,
    )
    from suggestions_api_client.types import File

    session = SessionFactory(is_current=True)
    staff_user = StaffFactory()
    deputy_account = deputy_user(delegation__congress=session.congress)
    unit = HandlingUnitFactory()
    clerk_user = UnitMemberFactory(unit=unit)
    category = CategoryFactory()
    headers = {"Accept-Language": "en"}

    def sign_in(user) -> AuthenticatedClient:
        with Client(base_url=live_server.url, headers=headers) as anonymous:
            token = call(
                auth_token,
                client=anonymous,
                body=TokenInputRequest(username=user.username, password=PASSWORD),
            )
        return closing.enter_context(
            AuthenticatedClient(
                base_url=live_server.url,
                token=token.token,
                prefix="Token",
                headers=headers,
                timeout=httpx.Timeout(30),
            )
        )

    deputy, staff, clerk = (
        sign_in(user) for user in (deputy_account, staff_user, clerk_user)
    )
    assert call(me, client=clerk).unit.id == unit.pk

    # The deputy drafts and submits.
    draft = call(
        suggestions_create,
        201,
        client=deputy,
        body=SuggestionCreateInputRequest(
            session=session.pk,
            title="关于加快老旧小区改造的建议",
            body="建议加大财政投入，分批推进老旧小区改造。",
        ),
    )
    assert draft.status == SuggestionStatusEnum.DRAFT
    pk = draft.id
    submitted = call(suggestions_submit, id=pk, client=deputy)
    assert submitted.status == SuggestionStatusEnum.SUBMITTED

    # Staff file it and give it to a lead unit.
    registered = call(
        suggestions_register,
        id=pk,
        client=staff,
        body=RegisterInputRequest(category=category.pk),
    )
    assert registered.status == SuggestionStatusEnum.REGISTERED
    assigned = call(
        suggestions_assign,
        id=pk,
        client=staff,
        body=AssignInputRequest(lead_unit=unit.pk),
    )
    assert assigned.status == SuggestionStatusEnum.ASSIGNED

    # The unit's clerk signs for it, talks with the deputy and replies with a letter.
    pending = call(assignments_list, client=clerk, acknowledged=False)
    assert [a.suggestion.id for a in pending.results] == [pk]
    assignment_id = pending.results[0].id
    acknowledged = call(assignments_acknowledge, id=assignment_id, client=clerk)
    assert acknowledged.acknowledged_at is not None
    contacted = call(
        assignments_contact,
        id=assignment_id,
        client=clerk,
        body=ContactInputRequest(
            method=MethodEnum.PHONE,
            # Not before the assignment, not in the future.
            contacted_at=acknowledged.assigned_at,
            note="电话沟通，代表同意办理思路。",
        ),
    )
    assert [c.method for c in contacted.contacts] == [MethodEnum.PHONE]
    replied = call(
        assignments_reply,
        id=assignment_id,
        client=clerk,
        body=ReplyInputRequest(
            outcome=OutcomeEnum.RESOLVED,
            body="经研究，问题已基本解决。",
            letter=File(
                payload=io.BytesIO(PNG), file_name="答复函.png", mime_type="image/png"
            ),
        ),
    )
    assert replied.replied_at is not None

    # The deputy reads the reply and its letter, and is satisfied.
    detail = call(suggestions_retrieve, id=pk, client=deputy)
    assert detail.status == SuggestionStatusEnum.REPLIED
    [reply] = detail.replies
    assert reply.outcome == OutcomeEnum.RESOLVED
    letter = call(replies_letter, id=reply.id, client=deputy)
    assert letter.payload.read().startswith(b"\x89PNG")
    closed = call(
        suggestions_evaluate,
        id=pk,
        client=deputy,
        body=EvaluateInputRequest(rating=RatingEnum.SATISFIED),
    )
    assert closed.status == SuggestionStatusEnum.CLOSED
    assert [e.rating for e in closed.evaluations] == [RatingEnum.SATISFIED]
    assert Suggestion.objects.get(pk=pk).status == Status.CLOSED

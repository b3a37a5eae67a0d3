"""Every endpoint for every role: the status code each must get (API.md, Errors).

401 without credentials; 403 for a role that may never do this; 404 for an object
outside the caller's scope; 2xx for whoever may. Each row brings the suggestion to the
state its action needs, so the allowed role succeeds.
"""

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.db import transaction

from notifications.models import Notification
from suggestions.models import Status

from ..conftest import NOW
from ..factories import (
    CategoryFactory,
    HandlingUnitFactory,
    SessionFactory,
    SuggestionFactory,
)
from .conftest import PLAN_JSON, ROLES, client_as

pytestmark = pytest.mark.django_db


def codes(default: int, **overrides: int) -> dict[str, int]:
    """``default`` for every logged-in role, ``overrides`` by role; anonymous 401."""
    table = dict.fromkeys(ROLES, default)
    table["anonymous"] = 401
    table.update(overrides)
    return table


@dataclass
class Row:
    name: str
    method: str
    path: str  # formatted with the ids of ``ids(cast)``
    state: str
    expected: dict[str, int]
    body: dict = field(default_factory=dict)


def _ids(cast) -> dict:
    s = cast.suggestion
    ids = {"s": s.pk, "session": s.session_id}
    if s.status not in (Status.DRAFT, Status.SUBMITTED, Status.REGISTERED):
        ids["a"] = cast.lead_assignment().pk
    if getattr(cast, "request", None) is not None:
        ids["r"] = cast.request.pk
    if getattr(cast, "reply_row", None) is not None:
        ids["reply"] = cast.reply_row.pk
        promise = cast.reply_row.promises.first()
        if promise is not None:
            ids["promise"] = promise.pk
    if getattr(cast, "meeting", None) is not None:
        ids["meeting"] = cast.meeting.pk
    if getattr(cast, "evaluation", None) is not None:
        ids["evaluation"] = cast.evaluation.pk
    ids["lead_deputy"] = cast.deputy.deputy_profile.pk
    return ids


DEPUTIES_403 = {"lead": 403, "cosigner": 403, "other_deputy": 403}
NON_DEPUTIES_403 = {"staff": 403, "leader": 403, "unit": 403, "other_unit": 403}
STAFF_ONLY = codes(403, staff=200)
# A unit action: the assignment's unit may; another unit finds nothing; every other
# role may never act for a unit.
UNIT_ACTION = codes(403, unit=200, other_unit=404)
# A lead deputy's action: co-signers see the suggestion but may not; other deputies
# do not see it; non-deputies may never.
LEAD_ACTION = codes(403, lead=200, other_deputy=404)

ROWS = [
    # --- suggestions
    Row("list suggestions", "get", "/api/v1/suggestions/", "assigned", codes(200)),
    Row(
        "suggestion detail",
        "get",
        "/api/v1/suggestions/{s}/",
        "assigned",
        codes(200, other_unit=404, other_deputy=404),
    ),
    # --- smart intake: similar suggestions for anyone signed in (only what each
    # may see), the recommendation for staff
    Row(
        "similar to a text",
        "post",
        "/api/v1/suggestions/similar/",
        "assigned",
        codes(200),
        {"title": "关于修路的建议", "session": "{session}"},
    ),
    Row(
        "similar to a suggestion",
        "get",
        "/api/v1/suggestions/{s}/similar/",
        "assigned",
        codes(200, other_unit=404, other_deputy=404),
    ),
    Row(
        "recommendation",
        "get",
        "/api/v1/suggestions/{s}/recommendation/",
        "registered",
        STAFF_ONLY,
    ),
    Row(
        "draft detail",
        "get",
        "/api/v1/suggestions/{s}/",
        "draft",
        codes(404, lead=200, cosigner=200),
    ),
    Row(
        "create",
        "post",
        "/api/v1/suggestions/",
        "draft",
        # Staff create only on behalf of deputies (代录): without the lead deputy
        # and the scan, their bad input is a 400.
        codes(201, **NON_DEPUTIES_403 | {"staff": 400}),
        {"session": "{session}", "title": "关于修路的建议", "body": "请修路。"},
    ),
    Row(
        "scanned original",
        "get",
        "/api/v1/suggestions/{s}/original/",
        "entered",
        # Those who take part: staff and leaders of its body, its deputies.
        codes(200, unit=404, other_unit=404, other_deputy=404),
    ),
    Row(
        "edit draft",
        "patch",
        "/api/v1/suggestions/{s}/",
        "draft",
        codes(403, lead=200, other_deputy=404),
        {"title": "新标题"},
    ),
    Row("submit", "post", "/api/v1/suggestions/{s}/submit/", "draft", LEAD_ACTION),
    Row(
        "withdraw",
        "post",
        "/api/v1/suggestions/{s}/withdraw/",
        "submitted",
        LEAD_ACTION,
    ),
    Row(
        "cosign",
        "post",
        "/api/v1/suggestions/{s}/cosign/",
        "draft",
        # The lead deputy was not invited: a state error, not a role error.
        codes(403, cosigner=200, lead=409, other_deputy=404),
    ),
    Row(
        "decline",
        "post",
        "/api/v1/suggestions/{s}/decline/",
        "draft",
        # The lead deputy was not invited: a state error, not a role error.
        codes(403, cosigner=200, lead=409, other_deputy=404),
        {"reason": "不熟悉该领域。"},
    ),
    Row(
        "urge",
        "post",
        "/api/v1/suggestions/{s}/urge/",
        "key",
        codes(403, staff=200, leader=200),
    ),
    Row(
        "supervision-opinion",
        "post",
        "/api/v1/suggestions/{s}/supervision-opinion/",
        "key",
        codes(403, staff=200, leader=200),
        {"text": "请加快办理进度。"},
    ),
    Row(
        "leaders",
        "post",
        "/api/v1/suggestions/{s}/leaders/",
        "key",
        STAFF_ONLY,
        {"leading_leader_name": "王建华", "leading_leader_post": "州人民政府副州长"},
    ),
    Row(
        "leaders, not key",
        "post",
        "/api/v1/suggestions/{s}/leaders/",
        "assigned",
        codes(403, staff=409),
        {"leading_leader_name": "王建华"},
    ),
    Row(
        "supervision",
        "post",
        "/api/v1/suggestions/{s}/supervision/",
        "key",
        # Leaders and staff of its body; a unit, even the one handling it, never.
        codes(403, staff=200, leader=200),
        {"kind": "visit", "held_on": "2026-03-09", "place": "奇台县"},
    ),
    Row(
        "supervision, not key",
        "post",
        "/api/v1/suggestions/{s}/supervision/",
        "assigned",
        codes(403, staff=409, leader=409),
        {"kind": "forum", "held_on": "2026-03-09", "place": "州人大常委会"},
    ),
    Row(
        "urge, not key",
        "post",
        "/api/v1/suggestions/{s}/urge/",
        "assigned",
        codes(403, staff=409, leader=409),
    ),
    Row(
        "register",
        "post",
        "/api/v1/suggestions/{s}/register/",
        "submitted",
        STAFF_ONLY,
        {"category": "{category}"},
    ),
    Row(
        "reject",
        "post",
        "/api/v1/suggestions/{s}/reject/",
        "submitted",
        STAFF_ONLY,
        {"reason": "个人诉求。", "disposition": "letter"},
    ),
    Row(
        "merge",
        "post",
        "/api/v1/suggestions/{s}/merge/",
        "submitted",
        STAFF_ONLY,
        {"into": "{other_suggestion}"},
    ),
    Row(
        "assign",
        "post",
        "/api/v1/suggestions/{s}/assign/",
        "registered",
        STAFF_ONLY,
        {"lead_unit": "{unit}", "co_units": ["{other_unit}"]},
    ),
    Row(
        "evaluate",
        "post",
        "/api/v1/suggestions/{s}/evaluate/",
        "replied",
        LEAD_ACTION,
        {"rating": "satisfied"},
    ),
    Row(
        "publish",
        "post",
        "/api/v1/suggestions/{s}/publish/",
        "replied",
        STAFF_ONLY,
        {"is_public": True},
    ),
    Row(
        "reply letter",
        "get",
        "/api/v1/replies/{reply}/letter/",
        "lettered",
        codes(200, other_unit=404, other_deputy=404),
    ),
    # --- assignments
    Row(
        "list assignments",
        "get",
        "/api/v1/assignments/",
        "assigned",
        codes(200, **DEPUTIES_403),
    ),
    Row(
        "assignment detail",
        "get",
        "/api/v1/assignments/{a}/",
        "assigned",
        codes(200, other_unit=404, **DEPUTIES_403),
    ),
    Row(
        "acknowledge",
        "post",
        "/api/v1/assignments/{a}/acknowledge/",
        "assigned",
        UNIT_ACTION,
    ),
    Row(
        "request reassignment",
        "post",
        "/api/v1/assignments/{a}/request-reassignment/",
        "assigned",
        UNIT_ACTION,
        {"reason": "不属于本单位职责。"},
    ),
    Row(
        "request extension",
        "post",
        "/api/v1/assignments/{a}/request-extension/",
        "assigned",
        UNIT_ACTION,
        {"reason": "需要协调。", "until": "2026-07-10"},
    ),
    Row(
        "contact",
        "post",
        "/api/v1/assignments/{a}/contact/",
        "acknowledged",
        UNIT_ACTION,
        {"method": "phone", "contacted_at": "2026-03-10T10:00:00+08:00"},
    ),
    Row(
        "plan (五定)",
        "post",
        "/api/v1/assignments/{a}/plan/",
        "acknowledged",
        UNIT_ACTION,
        PLAN_JSON,
    ),
    Row(
        "progress",
        "post",
        "/api/v1/assignments/{a}/progress/",
        "planned",
        UNIT_ACTION,
        {"note": "已完成实地调研。"},
    ),
    Row(
        "reply",
        "post",
        "/api/v1/assignments/{a}/reply/",
        "acknowledged",
        UNIT_ACTION,
        {"outcome": "resolved", "body": "已解决。"},
    ),
    Row(
        "reply letter (答复函)",
        "get",
        "/api/v1/assignments/{a}/reply-letter.docx",
        "replied",
        codes(403, staff=200, unit=200, other_unit=404),
    ),
    Row(
        "unit summary (汇总表)",
        "get",
        "/api/v1/units/{unit}/summary.xlsx",
        "assigned",
        codes(200, other_unit=404, **DEPUTIES_403),
    ),
    Row(
        "reply letter draft",
        "post",
        "/api/v1/assignments/{a}/reply-letter.docx",
        "acknowledged",
        UNIT_ACTION,
        {"outcome": "resolved", "body": "已解决。"},
    ),
    Row(
        "fulfil",
        "post",
        "/api/v1/assignments/{a}/fulfil/",
        "promised",
        UNIT_ACTION,
        {"note": "已完成。"},
    ),
    # --- the promise ledger: those who take part read it; the lead unit reports
    Row("list promises", "get", "/api/v1/promises/", "promised", codes(200)),
    Row(
        "promise detail",
        "get",
        "/api/v1/promises/{promise}/",
        "promised",
        codes(200, other_unit=404, other_deputy=404),
    ),
    Row(
        "report on a promise",
        "post",
        "/api/v1/promises/{promise}/report/",
        "promised",
        codes(403, unit=200, other_unit=404, other_deputy=404),
        {"kept": "kept", "note": "已完工。"},
    ),
    # --- adjustment requests
    Row(
        "list requests",
        "get",
        "/api/v1/adjustment-requests/",
        "requested",
        codes(200, leader=403, **DEPUTIES_403),
    ),
    Row(
        "request detail",
        "get",
        "/api/v1/adjustment-requests/{r}/",
        "requested",
        codes(200, leader=403, other_unit=404, **DEPUTIES_403),
    ),
    Row(
        "approve",
        "post",
        "/api/v1/adjustment-requests/{r}/approve/",
        "requested",
        STAFF_ONLY,
        {"new_unit": "{new_unit}"},
    ),
    Row(
        "deny",
        "post",
        "/api/v1/adjustment-requests/{r}/deny/",
        "requested",
        STAFF_ONLY,
        {"reason": "职责明确。"},
    ),
    # --- on-site evaluation (现场测评): staff only; a unit never
    Row(
        "list evaluation meetings",
        "get",
        "/api/v1/evaluation-meetings/",
        "meeting",
        STAFF_ONLY,
    ),
    Row(
        "create evaluation meeting",
        "post",
        "/api/v1/evaluation-meetings/",
        "replied",
        codes(403, staff=201),
        {
            "session": "{session}",
            "held_on": "2026-05-20",
            "place": "常委会会议室",
            "deputies": ["{lead_deputy}"],
        },
    ),
    Row(
        "evaluation meeting detail",
        "get",
        "/api/v1/evaluation-meetings/{meeting}/",
        "meeting",
        STAFF_ONLY,
    ),
    Row(
        "enter an on-site rating",
        "post",
        "/api/v1/evaluation-meetings/{meeting}/ratings/",
        "meeting",
        # Multipart with the form's scan: without it, staff's input is a 400.
        codes(403, staff=400),
    ),
    Row(
        "signed evaluation form",
        "get",
        "/api/v1/evaluations/{evaluation}/form-scan/",
        "rated_on_site",
        # Those who take part in the suggestion, as for the scanned original.
        codes(200, other_unit=404, other_deputy=404),
    ),
    # --- dashboard
    Row(
        "dashboard",
        "get",
        "/api/v1/dashboard/?session={session}",
        "assigned",
        codes(403, staff=200, leader=200),
    ),
    Row(
        "dashboard trend",
        "get",
        "/api/v1/dashboard/trend/?session={session}",
        "assigned",
        codes(403, staff=200, leader=200),
    ),
    *[
        Row(
            f"dashboard {name}",
            "get",
            f"/api/v1/{name}?session={{session}}",
            "assigned",
            codes(403, staff=200, leader=200),
        )
        for name in (
            "dashboard/export.xlsx",
            "dashboard/review.docx",
            "suggestions/export.xlsx",
        )
    ],
    # --- unit assessment: staff and leaders read every unit's, a unit's clerk its
    # own unit's row; deputies may never. Formulas are the staff's.
    *[
        Row(
            f"assessment {name}",
            "get",
            f"/api/v1/{name}?session={{session}}",
            "assigned",
            codes(200, **DEPUTIES_403),
        )
        for name in ("dashboard/assessment/", "dashboard/assessment.xlsx")
    ],
    Row(
        "assessment formulas",
        "get",
        "/api/v1/assessment-formulas/",
        "assigned",
        STAFF_ONLY,
    ),
    Row(
        "assessment rules",
        "get",
        "/api/v1/assessment-formulas/rules/",
        "assigned",
        STAFF_ONLY,
    ),
    Row(
        "create assessment formula",
        "post",
        "/api/v1/assessment-formulas/",
        "assigned",
        codes(403, staff=400),
        {"weights": {"no_such_rule": 1}},
    ),
    # --- documents (docs/documents.md): who may not read one finds nothing.
    Row(
        "assignment letter",
        "get",
        "/api/v1/units/{unit}/assignment-letter.docx",
        "assigned",
        codes(404, staff=200, unit=200),
    ),
    Row(
        "evaluation form",
        "get",
        "/api/v1/suggestions/{s}/evaluation-form.docx",
        "replied",
        codes(404, staff=200, leader=200, unit=200, lead=200, cosigner=200),
    ),
    # The roll-up of the bodies below the caller's: staff and leaders pass the
    # role gate; a body with none below it has no roll-up (404).
    Row(
        "dashboard rollup",
        "get",
        "/api/v1/dashboard/rollup/",
        "assigned",
        codes(403, staff=404, leader=404),
    ),
    # --- reference data
    *[
        Row(f"list {name}", "get", f"/api/v1/{name}/", "draft", codes(200))
        for name in (
            "bodies",
            "congresses",
            "sessions",
            "categories",
            "delegations",
            "deputies",
            "units",
        )
    ],
    Row("unit detail", "get", "/api/v1/units/{unit}/", "draft", codes(200)),
    Row(
        "create category",
        "post",
        "/api/v1/categories/",
        "draft",
        codes(403, staff=201),
        {"name": "新类别", "position": 9},
    ),
    Row(
        "edit unit",
        "patch",
        "/api/v1/units/{unit}/",
        "draft",
        STAFF_ONLY,
        {"short_name": "新简称"},
    ),
    Row(
        "delete unused category",
        "delete",
        "/api/v1/categories/{spare_category}/",
        "draft",
        codes(403, staff=204),
    ),
    # --- accounts
    Row("me", "get", "/api/v1/me/", "draft", codes(200)),
    Row("list accounts", "get", "/api/v1/accounts/", "draft", STAFF_ONLY),
    Row(
        "create account",
        "post",
        "/api/v1/accounts/",
        "draft",
        codes(403, staff=201),
        {
            "username": "newclerk",
            "password": "a-long-passphrase-7",
            "role": "unit",
            "unit": "{other_unit}",
        },
    ),
    Row(
        "deactivate account",
        "patch",
        "/api/v1/accounts/{other_deputy_user}/",
        "draft",
        STAFF_ONLY,
        {"is_active": False},
    ),
    Row(
        "revoke an account's tokens",
        "post",
        "/api/v1/accounts/{other_deputy_user}/revoke-tokens/",
        "draft",
        STAFF_ONLY,
    ),
    # --- sealing sessions (staff only)
    Row(
        "seal a session",
        "post",
        "/api/v1/sessions/{past_session}/seal/",
        "draft",
        STAFF_ONLY,
    ),
    Row(
        "reopen a session",
        "post",
        "/api/v1/sessions/{sealed_session}/reopen/",
        "draft",
        STAFF_ONLY,
        {"reason": "年度报告需更正。"},
    ),
    # --- notifications
    Row("inbox", "get", "/api/v1/notifications/", "draft", codes(200)),
    Row(
        "read a message",
        "post",
        "/api/v1/notifications/{notification}/read/",
        "draft",
        codes(404, lead=200),
    ),
    # --- imports (staff; an upload without its file is a 400)
    Row("import", "post", "/api/v1/imports/", "draft", codes(403, staff=400)),
    Row(
        "import template",
        "get",
        "/api/v1/imports/templates/units.xlsx",
        "draft",
        codes(403, staff=200),
    ),
]


def _fill(value, ids):
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    return value


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.name)
def test_status_code_for_every_role(cast, row):
    """Each role gets exactly the status code of the table. The state is built once;
    each role's request runs in a savepoint rolled back afterwards, so every role
    meets the same state."""
    cast.state(row.state)
    ids = _ids(cast)
    ids |= {
        "category": cast.category.pk,
        "spare_category": CategoryFactory().pk,
        "unit": cast.unit.pk,
        "other_unit": cast.other_unit.pk,
        "new_unit": HandlingUnitFactory().pk,
        "other_deputy_user": cast.other_deputy.pk,
        "other_suggestion": SuggestionFactory(session=cast.session, submitted=True).pk,
        "past_session": SessionFactory(congress=cast.session.congress).pk,
        "sealed_session": SessionFactory(
            congress=cast.session.congress, sealed_at=NOW, sealed_by=cast.staff
        ).pk,
        "notification": Notification.objects.create(
            recipient=cast.deputy, kind="test", title="消息"
        ).pk,
    }
    path = row.path.format(**ids)
    body = {k: _fill(v, ids) for k, v in row.body.items()}
    got = {}
    for role in ROLES:
        savepoint = transaction.savepoint()
        try:
            client = client_as(cast.user(role))
            response = getattr(client, row.method)(path, body or None, format="json")
            got[role] = response.status_code
        finally:
            transaction.savepoint_rollback(savepoint)
    assert got == row.expected


def test_table_covers_every_route():
    """Every API route (but the schema, docs and token) appears in the table."""
    from django.urls import get_resolver

    from config import api_urls

    def patterns(urlpatterns, prefix=""):
        for p in urlpatterns:
            if hasattr(p, "url_patterns"):
                yield from patterns(p.url_patterns, prefix + str(p.pattern))
            else:
                yield prefix + str(p.pattern)

    get_resolver()
    routes = {
        r.replace("<int:pk>", "{}")
        for r in patterns(api_urls.urlpatterns)
        if r not in {"schema/", "docs/", "redoc/", "auth/token/"}
    }
    tested = set()
    for row in ROWS:
        path = row.path.split("?")[0].removeprefix("/api/v1/")
        parts = [
            "{}" if (p.startswith("{") and p.endswith("}")) else p
            for p in path.split("/")
        ]
        tested.add("/".join(parts))
    missing = routes - tested
    # Detail GETs of reference data and accounts share their list's permissions.
    allowed_missing = {
        "congresses/{}/",
        "sessions/{}/",
        "categories/{}/",
        "delegations/{}/",
        "deputies/{}/",
        # Tested above under one kind (units).
        "imports/templates/<str:kind>.xlsx",
        # A formula's detail: tests/dashboard/test_assessment.py (staff of its
        # body, 404 for another's, 403 for leaders).
        "assessment-formulas/{}/",
    }
    assert missing <= allowed_missing, sorted(missing - allowed_missing)


def test_extension_row_date_is_within_the_limit(cast):
    """The table's extension date lies between the due date and six months."""
    cast.state("assigned")
    due = cast.lead_assignment().due_at
    assert due < dt.date(2026, 7, 10) <= dt.date(2026, 9, 10)

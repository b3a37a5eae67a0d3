"""``allowed_actions`` is the truth: over a suggestion in every status and every
assignment they have, for every role, each action it names is accepted by its
endpoint and each action it leaves out is refused (401 anonymous, else 403, 404 or
409), never 400 and never a server error. The pages offer the same buttons.

Each attempt runs in a savepoint that is rolled back, so attempts do not affect each
other; the input sent is always valid, so a refusal can only come from the rules.
"""

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from common import clock
from suggestions import deadlines, services
from suggestions.actions import ASSIGNMENT_ACTIONS, SUGGESTION_ACTIONS
from suggestions.api.serializers import ASSIGNMENT_API_ACTIONS, SUGGESTION_API_ACTIONS
from suggestions.models import Assignment, Outcome, Rating, Status

from ..conftest import NOW
from ..factories import (
    HandlingUnitFactory,
    Journey,
    LeaderFactory,
    UnitMemberFactory,
    deputy_user,
)
from .conftest import client_as

pytestmark = pytest.mark.django_db

ROLES = (
    "staff",
    "leader",
    "lead_unit",
    "co_unit",
    "other_unit",
    "lead_deputy",
    "cosigner",
    "other_deputy",
    "anonymous",
)


@dataclass
class World:
    journey: Journey
    users: dict
    suggestions: dict
    target: object  # a submitted suggestion of the session that others may join

    @property
    def assignments(self) -> dict:
        return {
            f"{name} #{a.pk} {a.get_role_display()} r{a.round}": a
            for name, s in self.suggestions.items()
            for a in Assignment.objects.filter(suggestion=s).order_by("pk")
        }


def _build() -> World:
    """One cast, and one suggestion per status (and per assignment state that the
    rules tell apart), each walked there through the services."""
    j = Journey(co_unit=True)
    other_unit = HandlingUnitFactory()
    users = {
        "staff": j.staff,
        "leader": LeaderFactory(),
        "lead_unit": j.clerk,
        "co_unit": j.co_clerk,
        "other_unit": UnitMemberFactory(unit=other_unit),
        "lead_deputy": j.deputy,
        "cosigner": j.cosigner,
        "other_deputy": deputy_user(delegation__congress=j.session.congress),
        "anonymous": None,
    }
    made = {}

    def step(name, *steps):
        j.create()
        for s in steps:
            s()
        made[name] = j.refresh()

    def cosign():
        services.suggestion_cosign(suggestion_id=j.suggestion.pk, actor=j.cosigner)

    def acknowledge_co():
        services.assignment_acknowledge(
            assignment_id=j.co_assignment().pk, actor=j.co_clerk
        )

    def co_opinion():
        services.assignment_reply(
            assignment_id=j.co_assignment().pk,
            actor=j.co_clerk,
            outcome=Outcome.RESOLVED,
            body="协办意见。",
        )

    def request_reassignment():
        return services.assignment_request_reassignment(
            assignment_id=j.lead_assignment().pk, actor=j.clerk, reason="不属于本单位。"
        )

    def reassign():
        request = request_reassignment()
        services.adjustment_approve(
            request_id=request.pk, actor=j.staff, new_unit=HandlingUnitFactory()
        )

    step("draft")
    step("draft, co-signed", cosign)
    step("submitted", j.submit)
    step("registered", j.submit, j.register)
    step("assigned", j.submit, j.register, j.assign)
    step("assigned, key", j.submit, j.register, lambda: j.assign(key_supervised=True))
    step(
        "acknowledged, reassignment asked, opinion sent",
        j.submit,
        j.register,
        j.assign,
        j.acknowledge,
        j.meet,
        acknowledge_co,
        co_opinion,
        request_reassignment,
    )
    step(
        # The reply is neither offered nor accepted without the meeting the rules
        # require before it (三见面).
        "acknowledged, deputy not met",
        j.submit,
        j.register,
        j.assign,
        j.acknowledge,
    )
    with clock.frozen_at(NOW - dt.timedelta(days=40)):
        # The reassignment window is past, and a complex matter's deadline is at
        # the extension limit already.
        step(
            "complex, window past",
            j.submit,
            j.register,
            lambda: j.assign(complexity="complex"),
        )

    def plan():
        lead = j.lead_assignment()
        services.assignment_file_plan(
            assignment_id=lead.pk, actor=j.clerk, **_plan(lead)
        )

    step(
        "planned, opinion sent",
        j.submit,
        j.register,
        j.assign,
        j.acknowledge,
        acknowledge_co,
        co_opinion,
        plan,
    )
    step("reassigned", j.submit, j.register, j.assign, reassign)
    step(
        "replied with a promise",
        j.submit,
        j.register,
        j.assign,
        lambda: j.reply(Outcome.IN_PROGRESS),
    )
    step(
        "re-handled",
        j.submit,
        j.register,
        j.assign,
        lambda: j.reply(Outcome.IN_PROGRESS),
        lambda: j.evaluate(Rating.DISSATISFIED),
    )
    step("closed", j.submit, j.register, j.assign, j.reply, j.evaluate)
    step(
        "withdrawn",
        j.submit,
        lambda: services.suggestion_withdraw(
            suggestion_id=j.suggestion.pk, actor=j.deputy
        ),
    )
    step(
        "rejected",
        j.submit,
        lambda: services.suggestion_reject(
            suggestion_id=j.suggestion.pk, actor=j.staff, reason="属于个人诉求。"
        ),
    )
    j.create()
    j.submit()
    target = j.refresh()
    step(
        "merged",
        j.submit,
        lambda: services.suggestion_merge(
            suggestion_id=j.suggestion.pk, actor=j.staff, into=target.pk
        ),
    )
    statuses = {s.status for s in made.values()}
    assert statuses == set(Status.values)
    return World(journey=j, users=users, suggestions=made, target=target)


@pytest.fixture
def world(now):
    return _build()


def _suggestion_body(world, action, suggestion) -> dict:
    j = world.journey
    return {
        "edit": {"title": "关于改善公共交通的建议"},
        "register": {"category": j.category.pk},
        "reject": {"reason": "属于个人诉求。"},
        "merge": {"into": world.target.pk},
        "assign": {"lead_unit": j.unit.pk},
        "evaluate": {"rating": Rating.SATISFIED},
        "publish": {"is_public": True},
        "supervision-opinion": {"text": "请加快办理进度。"},
        "leaders": {"leading_leader_name": "王建华", "leading_leader_post": "副州长"},
        "supervision": {
            "kind": "visit",
            "held_on": clock.today().isoformat(),
            "place": "奇台县",
        },
    }.get(action, {})


def _plan(assignment) -> dict:
    """A 五定 plan that fits the assignment: one milestone on the day it was
    acknowledged (today if not yet), complete by its deadline."""
    start = timezone.localdate(assignment.acknowledged_at or timezone.now())
    return {
        "responsible_leader": "王副局长",
        "officer": "李明",
        "officer_phone": "0994-2345678",
        "measures": "实地调研，制定方案。",
        "milestones": [{"title": "完成实地调研", "due_on": start}],
        "complete_by": assignment.due_at,
    }


def _assignment_body(action, assignment) -> dict:
    if action == "plan":
        body = _plan(assignment)
        return {
            **body,
            "milestones": [
                {"title": m["title"], "due_on": m["due_on"].isoformat()}
                for m in body["milestones"]
            ],
            "complete_by": body["complete_by"].isoformat(),
            "late_reason": "计划制定有所延后。",
        }
    if action == "request-extension":
        # The latest date allowed, which is a valid one whenever a date is left.
        suggestion = assignment.suggestion
        limit = deadlines.extension_limit(
            deadlines.rules_for(suggestion.session.congress_id),
            timezone.localdate(suggestion.assigned_at),
        )
        until = max(limit, assignment.due_at + dt.timedelta(days=1))
        return {"reason": "涉及多部门协调。", "until": until.isoformat()}
    return {
        "request-reassignment": {"reason": "不属于本单位职责。"},
        "contact": {
            "method": "phone",
            "contacted_at": assignment.assigned_at.isoformat(),
        },
        "reply": {"outcome": Outcome.RESOLVED, "body": "经研究，问题已解决。"},
        "fulfil": {"note": "已按承诺办结。"},
        "progress": {"note": "已完成实地调研。"},
    }.get(action, {})


def _attempt(client, method: str, url: str, body: dict) -> int:
    """The status of one request, whose effects are then rolled back."""
    savepoint = transaction.savepoint()
    try:
        response = getattr(client, method)(url, body, format="json")
    finally:
        transaction.savepoint_rollback(savepoint)
    return response.status_code


def _refused(role: str) -> set[int]:
    return {401} if role == "anonymous" else {403, 404, 409}


def _check(client, role, allowed, attempts, failures, label):
    for action, method, url, body in attempts:
        code = _attempt(client, method, url, body)
        if action in allowed:
            if code != 200:
                failures.append(f"{label} · {role} · {action}: offered, got {code}")
        elif code not in _refused(role):
            failures.append(f"{label} · {role} · {action}: not offered, got {code}")


def test_allowed_actions_are_exactly_what_the_endpoints_accept(world):
    failures = []
    for role in ROLES:
        client = client_as(world.users[role])
        for name, suggestion in world.suggestions.items():
            base = f"/api/v1/suggestions/{suggestion.pk}/"
            response = client.get(base)
            allowed = (
                set(response.json()["allowed_actions"])
                if response.status_code == 200
                else set()
            )
            assert allowed <= SUGGESTION_API_ACTIONS
            attempts = [
                (
                    action,
                    "patch" if action == "edit" else "post",
                    base if action == "edit" else f"{base}{action}/",
                    _suggestion_body(world, action, suggestion),
                )
                for action in sorted(SUGGESTION_API_ACTIONS)
            ]
            _check(client, role, allowed, attempts, failures, name)
        for name, assignment in world.assignments.items():
            base = f"/api/v1/assignments/{assignment.pk}/"
            response = client.get(base)
            allowed = (
                set(response.json()["allowed_actions"])
                if response.status_code == 200
                else set()
            )
            assert allowed <= ASSIGNMENT_API_ACTIONS
            attempts = [
                (
                    action,
                    "post",
                    f"{base}{action}/",
                    _assignment_body(action, assignment),
                )
                for action in sorted(ASSIGNMENT_API_ACTIONS)
            ]
            _check(client, role, allowed, attempts, failures, name)
    assert failures == []


def test_every_action_is_offered_somewhere(world):
    """The world is rich enough: each action is allowed to someone somewhere, so
    the test above sees every endpoint accept as well as refuse."""
    offered = set()
    for role in ROLES:
        client = client_as(world.users[role])
        for suggestion in world.suggestions.values():
            response = client.get(f"/api/v1/suggestions/{suggestion.pk}/")
            if response.status_code == 200:
                offered |= set(response.json()["allowed_actions"])
        for assignment in world.assignments.values():
            response = client.get(f"/api/v1/assignments/{assignment.pk}/")
            if response.status_code == 200:
                offered |= set(response.json()["allowed_actions"])
    assert offered == SUGGESTION_API_ACTIONS | ASSIGNMENT_API_ACTIONS


def test_the_api_names_its_actions_by_their_url_segments():
    """Every name ``allowed_actions`` may hold is an endpoint of the API (``edit``
    is PATCH on the suggestion), and the web's key supervision is the only action
    the API leaves out."""
    from django.urls import reverse

    for action in SUGGESTION_API_ACTIONS - {"edit"}:
        assert reverse(f"api:suggestion-{action}", args=[1]).endswith(f"/{action}/")
    for action in ASSIGNMENT_API_ACTIONS:
        assert reverse(f"api:assignment-{action}", args=[1]).endswith(f"/{action}/")
    assert {"mark-key"} == SUGGESTION_ACTIONS - SUGGESTION_API_ACTIONS
    assert ASSIGNMENT_ACTIONS == ASSIGNMENT_API_ACTIONS


# --- the pages offer the same -----------------------------------------------------

DATA_ACTION = re.compile(r'data-action="([a-z-]+)"')


def _offered_on(page: str, names) -> set[str]:
    return set(DATA_ACTION.findall(page)) & set(names)


def test_the_pages_offer_exactly_the_allowed_actions(world):
    """The detail page's panels and the unit's assignment page show a button (or
    form) for each allowed action and for no other: the web's answer is the API's
    (plus key supervision, a web action)."""
    from suggestions.actions import assignment_actions, suggestion_actions

    mismatches = []
    for role in ROLES:
        user = world.users[role]
        if user is None:
            continue
        client = Client()
        client.force_login(user)
        for name, suggestion in world.suggestions.items():
            response = client.get(f"/suggestions/{suggestion.pk}/")
            if response.status_code != 200:
                continue
            shown = _offered_on(response.content.decode(), SUGGESTION_ACTIONS)
            allowed = set(suggestion_actions(user, response.context["suggestion"]))
            if shown != allowed:
                mismatches.append(f"{name} · {role}: shown {shown}, allowed {allowed}")
        for name, assignment in world.assignments.items():
            response = client.get(f"/assignments/{assignment.pk}/")
            if response.status_code != 200:
                continue
            shown = _offered_on(response.content.decode(), ASSIGNMENT_ACTIONS)
            allowed = set(assignment_actions(user, response.context["assignment"]))
            if shown != allowed:
                mismatches.append(f"{name} · {role}: shown {shown}, allowed {allowed}")
    assert mismatches == []

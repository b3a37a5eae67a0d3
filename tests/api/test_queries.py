"""List endpoints cost the same number of queries at 2 rows and at 20 (DESIGN.md §6):
every row's related objects come joined or prefetched, never one query per row.

The pinned numbers count, for a force-authenticated user: the role lookups the
permission needs (groups, deputy link), the list's COUNT and its page."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications.models import Notification
from suggestions.models import AssignmentRole

from ..factories import (
    AdjustmentRequestFactory,
    AssignmentFactory,
    ContactRecordFactory,
    CoSignatureFactory,
    DeputyFactory,
    EventFactory,
    HandlingUnitFactory,
    LeaderFactory,
    ReplyFactory,
    SessionFactory,
    StaffFactory,
    SuggestionFactory,
    UnitMemberFactory,
    deputy_user,
)
from .conftest import client_as

pytestmark = pytest.mark.django_db


def count_queries(user, url: str) -> int:
    """Queries of one GET by a freshly loaded ``user`` (no role cached yet)."""
    client = client_as(type(user).objects.get(pk=user.pk))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(queries)


class World:
    def __init__(self):
        self.session = SessionFactory()
        self.staff = StaffFactory()
        self.leader = LeaderFactory()
        self.unit = HandlingUnitFactory()
        self.clerk = UnitMemberFactory(unit=self.unit)
        self.deputy = deputy_user(delegation__congress=self.session.congress)

    def add(self, n: int):
        """``n`` assigned suggestions led by the deputy, each with a co-signer,
        handled by the unit, with a pending request and a message to everyone."""
        for _ in range(n):
            s = SuggestionFactory(
                session=self.session,
                assigned=True,
                lead_deputy=self.deputy.deputy_profile,
                lead_unit=self.unit,
                co_signers=[DeputyFactory(delegation__congress=self.session.congress)],
            )
            assignment = s.assignments.get()
            AdjustmentRequestFactory(assignment=assignment)
            for user in (self.staff, self.clerk, self.deputy):
                Notification.objects.create(
                    recipient=user, kind="test", title="消息", suggestion=s
                )


LISTS = [
    ("staff", "/api/v1/suggestions/?page_size=50", 4),
    ("leader", "/api/v1/suggestions/?page_size=50&ordering=due_at", 4),
    # A deputy's and a clerk's count: published and own unpublished, apart.
    ("deputy", "/api/v1/suggestions/?page_size=50", 5),
    # (A clerk's bodies: the unit's, one query.)
    ("clerk", "/api/v1/suggestions/?page_size=50", 6),
    ("staff", "/api/v1/assignments/?page_size=50", 3),
    ("clerk", "/api/v1/assignments/?page_size=50", 3),
    ("staff", "/api/v1/adjustment-requests/?page_size=50", 3),
    ("clerk", "/api/v1/adjustment-requests/?page_size=50", 3),
    ("deputy", "/api/v1/notifications/?page_size=50", 2),
    # Reference lists are scoped to the caller's bodies: their roles (memberships,
    # deputy records) and, for a clerk, the unit's body are read first.
    ("clerk", "/api/v1/deputies/?page_size=50", 5),
    ("staff", "/api/v1/deputies/?page_size=50", 4),
    # (Roles: the memberships and the deputy records, one query each.)
    ("staff", "/api/v1/accounts/?page_size=50", 5),
    ("staff", "/api/v1/units/?page_size=50", 4),
]


@pytest.mark.parametrize(("who", "url", "expected"), LISTS)
def test_list_query_count_does_not_grow_with_rows(who, url, expected):
    world = World()
    world.add(2)
    user = getattr(world, who)
    at_two = count_queries(user, url)
    world.add(18)
    at_twenty = count_queries(user, url)
    assert (at_two, at_twenty) == (expected, expected)


def test_suggestion_detail_query_count_does_not_grow_with_its_parts():
    """The detail: a fixed number of queries however many co-signers, assignments,
    contacts, replies and events the suggestion has."""
    staff = StaffFactory()

    def build(n):
        s = SuggestionFactory(assigned=True)
        for i in range(n):
            CoSignatureFactory(suggestion=s, signed_at=s.created_at if i % 2 else None)
            co = AssignmentFactory(
                suggestion=s, unit=HandlingUnitFactory(), role=AssignmentRole.CO
            )
            ContactRecordFactory(assignment=co)
            ReplyFactory(assignment=co)
            EventFactory(suggestion=s)
        return s

    small, large = build(2), build(20)
    at_two = count_queries(staff, f"/api/v1/suggestions/{small.pk}/")
    at_twenty = count_queries(staff, f"/api/v1/suggestions/{large.pk}/")
    assert at_two == at_twenty


@pytest.mark.parametrize("url", ["/api/v1/suggestions/{}/", "/suggestions/{}/"])
def test_a_suggestions_row_is_read_with_few_enough_joins_to_plan_fast(url):
    """The detail's row query, page and API, joins at most 9 tables around the
    visibility's subquery: PostgreSQL reorders up to 10 (``DJANGO_PG_OPTIONS``),
    and each table more multiplied the planner's search (12 tables: 110–150 ms of
    planning for 0.5 ms of work at 1M). Its merger, supervising leader and handling
    leader are read apart."""
    staff = StaffFactory()
    s = SuggestionFactory(assigned=True, key_supervised=True)
    client = Client()
    client.force_login(staff)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url.format(s.pk))
    assert response.status_code == 200
    rows = [
        q["sql"]
        for q in queries
        if q["sql"].startswith('SELECT "suggestions_suggestion"."id"')
        and "caller_takes_part" in q["sql"]
    ]
    assert len(rows) == 1, [q["sql"][:120] for q in queries]
    joined = rows[0].split(' FROM "suggestions_suggestion" ', 1)[1]
    joined = joined.split(" WHERE ", 1)[0]
    assert 1 + joined.count(" JOIN ") <= 9, joined


def test_assignment_detail_query_count_is_fixed():
    clerk_unit = HandlingUnitFactory()
    clerk = UnitMemberFactory(unit=clerk_unit)

    def build(n):
        a = AssignmentFactory(unit=clerk_unit)
        for _ in range(n):
            ContactRecordFactory(assignment=a)
        ReplyFactory(assignment=a)
        return a

    small, large = build(2), build(20)
    at_two = count_queries(clerk, f"/api/v1/assignments/{small.pk}/")
    at_twenty = count_queries(clerk, f"/api/v1/assignments/{large.pk}/")
    assert at_two == at_twenty


@pytest.mark.parametrize("days_ago", [0, 90])
def test_a_clerks_assignment_detail_costs_what_staffs_does(days_ago):
    """The clerk's detail answers its allowed actions (the reassignment window among
    them) without reading the working-day calendar when the days since the
    assignment settle the window by themselves: fresh work is inside it, work three
    months old outside."""
    clerk_unit = HandlingUnitFactory()
    clerk = UnitMemberFactory(unit=clerk_unit)
    assigned = timezone.now() - timedelta(days=days_ago)
    a = AssignmentFactory(
        unit=clerk_unit, assigned_at=assigned, due_at=assigned.date() + timedelta(120)
    )
    url = f"/api/v1/assignments/{a.pk}/"
    # Five: the lead assignment's detail also lists the co-units of its round whose
    # opinion has not come (one query, whoever asks).
    assert count_queries(clerk, url) == count_queries(StaffFactory(), url) == 5
    client = client_as(clerk)
    offered = "request-reassignment" in client.get(url).json()["allowed_actions"]
    assert offered is (days_ago == 0)

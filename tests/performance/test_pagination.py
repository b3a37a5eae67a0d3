"""The deferred-join paginator gives the same pages as Django's own, in the same
number of queries, on both databases (issue 6)."""

from dataclasses import replace

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from suggestions import selectors
from suggestions.models import Status, Suggestion
from suggestions.pagination import (
    DeferredJoinPaginator,
    ExactCount,
    KeptCounts,
    PublishedAndOwn,
    PublishedOnly,
)

from ..factories import (
    HandlingUnitFactory,
    SessionFactory,
    StaffFactory,
    SuggestionFactory,
    UnitMemberFactory,
    deputy_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows():
    session = SessionFactory()
    unit = HandlingUnitFactory()
    made = []
    for i in range(23):
        made.append(
            SuggestionFactory(
                session=session,
                assigned=i % 3 == 0,
                registered=i % 3 == 1,
                submitted=i % 3 == 2,
                lead_unit=unit if i % 3 == 0 else None,
                title=f"关于教育第{i}项的建议" if i % 2 else f"关于道路第{i}项的建议",
            )
        )
    return {"session": session, "unit": unit, "suggestions": made}


def pages(paginator_class, queryset, per_page, **kwargs):
    paginator = paginator_class(queryset, per_page, **kwargs)
    return [[s.pk for s in paginator.page(n).object_list] for n in paginator.page_range]


@pytest.mark.parametrize("per_page", [1, 5, 7, 25])
@pytest.mark.parametrize(
    "ordering", [("-submitted_at", "-pk"), ("number", "pk"), ("-created_at", "-pk")]
)
def test_every_page_equals_djangos(rows, per_page, ordering):
    staff = StaffFactory()
    queryset = selectors.suggestion_list(user=staff).order_by(*ordering)
    assert pages(DeferredJoinPaginator, queryset, per_page) == pages(
        Paginator, queryset, per_page
    )


def test_filtered_and_searched_pages_equal_djangos(rows):
    from suggestions.search import search_suggestions

    staff = StaffFactory()
    queryset = search_suggestions(
        selectors.suggestion_list(user=staff)
        .filter(status__in=[Status.ASSIGNED, Status.SUBMITTED])
        .order_by("-submitted_at", "-pk"),
        "教育",
    )
    assert pages(DeferredJoinPaginator, queryset, 3) == pages(Paginator, queryset, 3)
    assert sum(map(len, pages(DeferredJoinPaginator, queryset, 3))) == 7


def test_a_unit_members_assignment_pages_equal_djangos(rows):
    clerk = UnitMemberFactory(unit=rows["unit"])
    queryset = selectors.unit_assignments(user=clerk, tab="all")
    assert queryset.count() == 8
    assert pages(DeferredJoinPaginator, queryset, 3) == pages(Paginator, queryset, 3)


def test_a_page_costs_a_count_and_one_query_for_its_rows(rows):
    staff = StaffFactory()
    queryset = selectors.suggestion_list(user=staff).order_by("-submitted_at", "-pk")
    paginator = DeferredJoinPaginator(queryset, 5)
    with CaptureQueriesContext(connection) as queries:
        page = paginator.page(3)
        names = [
            (s.session.congress.region, s.lead_deputy.delegation.name) for s in page
        ]
    assert len(names) == 5
    assert len(queries) == 2
    assert "COUNT(" in queries[0]["sql"].upper()


def test_an_empty_list_has_one_empty_page_without_a_row_query():
    paginator = DeferredJoinPaginator(Suggestion.objects.order_by("pk"), 25)
    with CaptureQueriesContext(connection) as queries:
        page = paginator.get_page(1)
        assert list(page) == []
    assert len(queries) == 1  # the count


def test_a_list_filtered_through_a_multi_valued_relation_keeps_its_rows(rows):
    """A filter across a reverse relation joins several rows per suggestion: the
    page query keeps the filters then, and the pages stay Django's."""
    queryset = (
        Suggestion.objects.filter(assignments__role="lead")
        .select_related("session")
        .order_by("-pk")
    )
    assert queryset.count() == 8
    assert pages(DeferredJoinPaginator, queryset, 3) == pages(Paginator, queryset, 3)


def test_a_deputys_and_a_units_count_adds_published_and_own_once_each():
    """A deputy or a clerk sees published replies plus their own: counted as two
    halves (the list's plan, ``PublishedAndOwn``), each row once."""
    session = SessionFactory()
    unit = HandlingUnitFactory()
    clerk = UnitMemberFactory(unit=unit)
    deputy = deputy_user(delegation__congress=session.congress)
    mine = deputy.deputy_profile

    def make(**fields):
        return SuggestionFactory(session=session, **fields)

    for published in (True, False):
        make(closed=True, is_public=published)  # others' closed
        make(replied=True, is_public=published, lead_deputy=mine)  # deputy's
        make(closed=True, is_public=published, lead_unit=unit)  # the unit's
    make(assigned=True, lead_unit=unit, lead_deputy=mine)  # both's, open
    make(submitted=True)  # someone else's, open
    make(lead_deputy=mine)  # the deputy's draft
    for user, expected, closed_ones in ((deputy, 6, 2), (clerk, 5, 3)):
        listing = selectors.suggestion_listing(user=user).order_by("-created_at", "-pk")
        rows, plan = listing.queryset, listing.count_plan
        assert isinstance(plan, PublishedAndOwn)
        # Every session of the user's body (the kept counts of that body).
        assert plan.kept == KeptCounts(bodies=frozenset({session.congress.body_id}))
        paginator = DeferredJoinPaginator(rows, 4, count_plan=plan)
        assert paginator.count == len(list(rows)) == expected
        assert pages(DeferredJoinPaginator, rows, 4, count_plan=plan) == pages(
            Paginator, rows, 4
        )
        # With filters of its own, the halves keep them (and the rows are counted).
        closed = listing.filter(status=Status.CLOSED)
        assert closed.count_plan.kept is None
        paginator = DeferredJoinPaginator(
            closed.queryset, 4, count_plan=closed.count_plan
        )
        assert paginator.count == len(list(closed.queryset)) == closed_ones


def test_a_clerks_count_keeps_to_its_body_and_counts_its_own_by_key():
    """The published half is counted in the clerk's body (another body's published
    replies never count, filtered or not); the unit's own unpublished ones by their
    keys alone, without the body's sessions (at 1M over 8 bodies that condition led
    PostgreSQL through the body's unpublished rows first)."""
    session = SessionFactory()
    elsewhere = SessionFactory(congress__body__region="伊犁哈萨克自治州")
    unit = HandlingUnitFactory()
    clerk = UnitMemberFactory(unit=unit)
    SuggestionFactory(session=session, closed=True, is_public=True)
    SuggestionFactory(session=session, closed=True, lead_unit=unit)
    SuggestionFactory.create_batch(3, session=elsewhere, closed=True, is_public=True)
    listing = selectors.suggestion_listing(user=clerk)
    for each in (listing, listing.filter(status=Status.CLOSED)):
        plan = each.count_plan
        paginator = DeferredJoinPaginator(
            each.order_by("-pk").queryset, 25, count_plan=plan
        )
        with CaptureQueriesContext(connection) as queries:
            assert paginator.count == 2
        own = [q["sql"] for q in queries if "assignment" in q["sql"]]
        assert len(own) == 1 and "congress_session" not in own[0], own


@pytest.fixture
def clerks_list():
    """A clerk's list: two published suggestions of others, two of the unit's own
    (one published), one neither."""
    session = SessionFactory()
    unit = HandlingUnitFactory()
    clerk = UnitMemberFactory(unit=unit)
    SuggestionFactory.create_batch(2, session=session, closed=True, is_public=True)
    SuggestionFactory(session=session, closed=True, is_public=True, lead_unit=unit)
    SuggestionFactory(session=session, closed=True, lead_unit=unit)
    SuggestionFactory(session=session, closed=True)
    return {"session": session, "clerk": clerk}


def counted(rows, **kwargs) -> tuple[int, list[str]]:
    """The paginator's count of ``rows`` and the SQL of the queries it took."""
    paginator = DeferredJoinPaginator(rows.all(), 10, **kwargs)
    with CaptureQueriesContext(connection) as queries:
        n = paginator.count
    return n, [q["sql"] for q in queries]


def test_the_paginator_counts_as_its_plan_says(clerks_list):
    """The same rows, counted by different plans: each plan's own queries, and the
    published part read from the kept counts only when the plan says so (a kept
    count gone wrong makes it visible)."""
    from suggestions.models import PublishedCount

    PublishedCount.objects.filter(session=clerks_list["session"]).update(n=10)
    listing = selectors.suggestion_listing(user=clerks_list["clerk"]).order_by("-pk")
    rows = listing.queryset
    assert len(list(rows)) == 4

    # No plan: one COUNT(*) of the rows.
    n, sql = counted(rows)
    assert n == 4 and len(sql) == 1 and "publishedcount" not in sql[0]
    assert counted(rows, count_plan=ExactCount()) == (n, sql)
    # Published and own: the kept count of every session, then the own unpublished.
    n, sql = counted(rows, count_plan=listing.count_plan)
    assert n == 10 + 1
    assert len(sql) == 2 and "publishedcount" in sql[0]
    # The same, the published ones counted from the rows.
    plan = replace(listing.count_plan, kept=None)
    n, sql = counted(rows, count_plan=plan)
    assert n == 3 + 1
    assert len(sql) == 2 and not any("publishedcount" in q for q in sql)
    # Published only (what the public sees): a single read of the kept counts.
    public = selectors.suggestion_listing(user=None)
    assert isinstance(public.count_plan, PublishedOnly)
    n, sql = counted(public.queryset, count_plan=public.count_plan)
    assert n == 10 and len(sql) == 1 and "publishedcount" in sql[0]
    session = public.in_session(clerks_list["session"].pk)
    assert session.count_plan.kept == KeptCounts(clerks_list["session"].pk)
    # A signed-in user's list counts in the user's bodies (the unit's).
    clerk = selectors.suggestion_listing(user=clerks_list["clerk"])
    body = clerks_list["session"].congress.body_id
    assert clerk.kept == KeptCounts(bodies=frozenset({body}))
    assert counted(session.queryset, count_plan=session.count_plan)[0] == 10


def test_the_lists_pass_their_plan_to_the_paginator(clerks_list, client):
    """The API and the public page count as their list's plan says: with the kept
    count made wrong, their counts show it was read."""
    from suggestions.models import PublishedCount
    from tests.api.contract import ContractClient

    PublishedCount.objects.filter(session=clerks_list["session"]).update(n=10)
    api = ContractClient()
    api.force_authenticate(clerks_list["clerk"])
    body = api.get("/api/v1/suggestions/").json()
    assert (body["count"], len(body["results"])) == (11, 4)
    body = api.get("/api/v1/suggestions/", {"status": "closed"}).json()
    assert (body["count"], len(body["results"])) == (4, 4)
    body = clerks_list["session"].congress.body_id
    page = client.get(f"/public/bodies/{body}/").context["page_obj"]
    assert (page.paginator.count, len(page.object_list)) == (10, 3)

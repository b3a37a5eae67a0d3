"""The deferred-join paginator gives the same pages as Django's own, in the same
number of queries, on both databases (issue 6)."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from suggestions import selectors
from suggestions.models import Status, Suggestion
from suggestions.pagination import DeferredJoinPaginator

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


def pages(paginator_class, queryset, per_page):
    paginator = paginator_class(queryset, per_page)
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
    halves (pagination.DeferredJoinPaginator), each row once."""
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
        rows = selectors.suggestion_list(user=user).order_by("-created_at", "-pk")
        assert rows.query.visibility_parts is not None
        assert DeferredJoinPaginator(rows, 4).count == len(list(rows)) == expected
        assert pages(DeferredJoinPaginator, rows, 4) == pages(Paginator, rows, 4)
        # With filters of its own after the scope, the halves keep them.
        closed = rows.filter(status=Status.CLOSED)
        assert DeferredJoinPaginator(closed, 4).count == len(list(closed))
        assert len(list(closed)) == closed_ones

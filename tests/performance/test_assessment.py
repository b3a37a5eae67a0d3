"""The units' scores (绩效考核) read a fixed number of queries, whatever the number
of units and suggestions: the assignments with their suggestions, replies and units
in one query, then the ratings, the approved reassignments, the rules and the
calendar, each once, and the relations the rules prefetch (the 五定 plans, the
contacts)
(``dashboard.assessment.load``)."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from congress.models import Congress, Session

from ..api.conftest import client_as
from ..factories import (
    CongressBodyFactory,
    HandlingUnitFactory,
    StaffFactory,
    SuggestionFactory,
)

pytestmark = pytest.mark.django_db

# The API: the caller's roles and bodies (2), the session (1), the formula (1),
# the assignments, ratings, reassignments, rules and calendar (5), the 五定 plans
# and the contacts the plan and meeting rules prefetch (2).
API_QUERIES = 12


def _session_with(units: int, per_unit: int, *, term: int = 16):
    body = CongressBodyFactory()
    congress = Congress.objects.create(body=body, ordinal=term)
    session = Session.objects.create(
        congress=congress,
        ordinal=2,
        year=2023,
        opened_on=dt.date(2023, 1, 10),
        is_current=True,
    )
    for _ in range(units):
        unit = HandlingUnitFactory(body=body)
        for trait in (["closed", "rehandling", "assigned"] * per_unit)[:per_unit]:
            SuggestionFactory(session=session, lead_unit=unit, **{trait: True})
    return session


def _count(url: str, session, client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"session": session.pk})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("units,per_unit", [(2, 1), (20, 3)])
def test_the_api_reads_a_fixed_number_of_queries(
    units, per_unit, django_assert_num_queries
):
    """As many queries at 2 units with one suggestion each as at 20 with three."""
    session = _session_with(units, per_unit)
    client = client_as(StaffFactory())
    with django_assert_num_queries(API_QUERIES):
        response = client.get("/api/v1/dashboard/assessment/", {"session": session.pk})
    assert response.status_code == 200
    assert len(response.json()) == units


def test_the_page_and_workbook_do_not_grow_with_rows():
    """The page and the workbook: the same count at 2 rows as at 20."""
    small = _session_with(2, 1)
    staff = StaffFactory()
    page = Client()
    page.force_login(staff)
    counts = {
        url: _count(url, small, page)
        for url in ("/dashboard/assessment/", "/dashboard/assessment.xlsx")
    }
    large = _session_with(20, 3, term=17)
    for url, count in counts.items():
        assert _count(url, large, page) == count, url

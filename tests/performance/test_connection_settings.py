"""What every PostgreSQL connection sets (``config/settings.py``,
``DJANGO_PG_OPTIONS``): each value is there for a measured reason, and the
collapse limits have a bound on both sides."""

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="PostgreSQL's planner settings"
    ),
]


def setting(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return cursor.fetchone()[0]


def test_no_jit_and_bitmaps_that_stay_exact():
    """JIT cost 400 ms a search; a lossy bitmap re-ran the search's index function
    on whole pages."""
    assert setting("jit") == "off"
    assert setting("work_mem") == "32MB"


def test_the_planner_reorders_a_list_page_but_not_a_detail_exhaustively():
    """A list page's rows (9 relations around the page's keys) need the planner to
    reorder more than 8 (at 8 it hash-joins the whole table: 3 s at 1M); at 12 a
    suggestion's detail (14 tables joined by its key) spent 110–150 ms planning."""
    assert setting("join_collapse_limit") == "10"
    assert setting("from_collapse_limit") == "10"

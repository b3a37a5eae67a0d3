"""Each session's number of published suggestions is kept by triggers in the writing
transaction, whatever writes the row (migration 0009, both databases), and the lists
of deputies and units count the published ones from it."""

import logging

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from suggestions import selectors, services
from suggestions.filters import SuggestionFilter
from suggestions.models import (
    PUBLISHED,
    PublishedCount,
    Status,
    Suggestion,
    recount_published,
)
from suggestions.pagination import DeferredJoinPaginator
from tests.factories import (
    CongressFactory,
    HandlingUnitFactory,
    SessionFactory,
    StaffFactory,
    SuggestionFactory,
    UnitMemberFactory,
)

pytestmark = pytest.mark.django_db


def kept() -> dict[int, int]:
    return {row.session_id: row.n for row in PublishedCount.objects.all() if row.n != 0}


def actual() -> dict[int, int]:
    rows = (
        Suggestion.objects.filter(PUBLISHED)
        .values("session")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["session"]: row["n"] for row in rows}


@pytest.fixture
def sessions():
    return SessionFactory(), SessionFactory()


def test_every_kind_of_write_keeps_the_counts(sessions):
    first, second = sessions
    staff = StaffFactory()
    public = [
        SuggestionFactory(session=first, closed=True, is_public=True) for _ in range(3)
    ]
    private = SuggestionFactory(session=first, closed=True)
    SuggestionFactory(session=second, replied=True, is_public=True)
    SuggestionFactory(session=second, assigned=True, is_public=True)  # not replied
    assert kept() == actual() == {first.pk: 3, second.pk: 1}

    # Through the services: publish, withdraw from the public pages.
    services.suggestion_publish(suggestion_id=private.pk, actor=staff, is_public=True)
    services.suggestion_publish(
        suggestion_id=public[0].pk, actor=staff, is_public=False
    )
    assert kept() == actual() == {first.pk: 3, second.pk: 1}

    # Saving the row for another reason changes nothing; a status that leaves
    # "replied or closed" takes it out; another session moves it.
    public[1].title = "关于公开答复的建议"
    public[1].save()
    Suggestion.objects.filter(pk=public[1].pk).update(status=Status.REHANDLING)
    Suggestion.objects.filter(pk=public[2].pk).update(session=second)
    assert kept() == actual() == {first.pk: 1, second.pk: 2}

    # A bulk update and a delete.
    Suggestion.objects.filter(session=first).update(is_public=True)
    assert kept() == actual()
    Suggestion.objects.filter(pk=private.pk).delete()
    assert kept() == actual()


def test_a_recount_rebuilds_counts_gone_wrong(sessions):
    first, second = sessions
    SuggestionFactory(session=first, closed=True, is_public=True)
    SuggestionFactory(session=second, closed=True, is_public=True)
    PublishedCount.objects.filter(session=first).update(n=99)
    PublishedCount.objects.filter(session=second).delete()
    assert kept() != actual()

    assert recount_published() == 2
    assert kept() == actual() == {first.pk: 1, second.pk: 1}


def test_a_units_list_counts_the_published_from_the_kept_counts(sessions):
    first, second = sessions
    unit = HandlingUnitFactory()
    clerk = UnitMemberFactory(unit=unit)
    for session in sessions:
        SuggestionFactory(session=session, closed=True, is_public=True)
        SuggestionFactory(session=session, closed=True, lead_unit=unit)  # its own
        SuggestionFactory(session=session, closed=True)  # neither
    listing = selectors.suggestion_listing(user=clerk).order_by("-created_at", "-pk")

    def count(**data):
        """The count of the list with the filters of ``data``, as the list's plan
        says, and whether the kept counts were read."""
        filterset = listing.filters(SuggestionFilter, data)
        assert filterset.is_valid(), filterset.errors
        filtered = listing.filtered_by(filterset)
        paginator = DeferredJoinPaginator(
            filtered.queryset, 10, count_plan=filtered.count_plan
        )
        with CaptureQueriesContext(connection) as queries:
            n = paginator.count
        used = any("suggestions_publishedcount" in q["sql"] for q in queries)
        return n, used

    # Every session, and one session (the ordering aside): from the kept counts.
    assert count() == (4, True)
    assert count(session=first.pk) == (2, True)
    assert count(session=first.pk, ordering="number") == (2, True)
    # Another filter: the rows themselves are counted, with the same result.
    assert count(status=[Status.CLOSED], session=second.pk) == (2, False)
    # The counts are what the list trusts: a count gone wrong shows.
    PublishedCount.objects.filter(session=first).update(n=5)
    assert count(session=first.pk) == (6, True)
    assert count(session=first.pk, status=[Status.CLOSED]) == (2, False)


def test_the_nightly_task_repairs_drifted_counts(sessions, caplog):
    """Scheduled by beat; corrects counts gone wrong, says so, and is quiet when
    nothing drifted."""
    from django.conf import settings

    from config.celery import app
    from suggestions.tasks import recount_published_suggestions

    first, _second = sessions
    SuggestionFactory(session=first, closed=True, is_public=True)
    assert recount_published_suggestions() is False
    PublishedCount.objects.filter(session=first).update(n=7)
    with caplog.at_level(logging.WARNING, logger="suggestions.tasks"):
        assert recount_published_suggestions() is True
    assert kept() == actual() == {first.pk: 1}
    assert f"{first.pk}: (7, 1)" in caplog.text
    # (Loading the task modules sets up logging again: after caplog's part.)
    entry = settings.CELERY_BEAT_SCHEDULE["recount-published"]
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks


def test_the_public_lists_count_keeps_its_filters(sessions):
    """The published ones are counted from the kept counts only while the list is
    every suggestion or one session's; filters of its own still count."""
    first, second = sessions
    for session in sessions:
        SuggestionFactory(session=session, closed=True, is_public=True)
    SuggestionFactory(session=first, replied=True, is_public=True)
    public = selectors.suggestion_listing(user=None).order_by("-pk")
    for listing, expected in (
        (public, 3),
        (public.in_session(first.pk), 2),
        (public.in_session(second.pk), 1),
        (public.filter(status=Status.CLOSED), 2),
        (public.filter(status=Status.CLOSED).in_session(first.pk), 1),
        (public.in_session(first.pk).in_session(second.pk), 0),
    ):
        paginator = DeferredJoinPaginator(
            listing.queryset, 10, count_plan=listing.count_plan
        )
        assert paginator.count == len(listing.queryset) == expected


def test_a_bodys_public_list_counts_its_own_sessions(sessions):
    """One body's list reads the kept counts of that body's sessions only, a
    session chosen within it that session's; another body's session counts 0."""
    first, second = sessions
    other = SessionFactory(congress=CongressFactory(body__region="伊犁哈萨克自治州"))
    for session in (first, second, other):
        SuggestionFactory(session=session, closed=True, is_public=True)
    SuggestionFactory(session=first, closed=True, is_public=True)
    body = first.congress.body_id
    public = selectors.public_listing(body_id=body).order_by("-pk")
    assert public.count_plan.kept.bodies == frozenset({body})
    for listing, expected in (
        (public, 3),
        (public.in_session(first.pk), 2),
        (public.in_session(other.pk), 0),
        (selectors.public_listing(body_id=other.congress.body_id), 1),
    ):
        paginator = DeferredJoinPaginator(
            listing.queryset, 10, count_plan=listing.count_plan
        )
        assert paginator.count == len(listing.queryset) == expected

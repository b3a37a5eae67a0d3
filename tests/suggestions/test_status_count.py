"""Each session's number of suggestions in each status is kept by triggers in the
writing transaction, whatever writes the row (migration 0024, both databases), and
the status tabs of a staff member's or a leader's list are read from it."""

import logging

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from suggestions import selectors, services
from suggestions.models import Status, StatusCount, Suggestion, recount_statuses
from tests.factories import (
    CategoryFactory,
    CongressFactory,
    LeaderFactory,
    SessionFactory,
    StaffFactory,
    SuggestionFactory,
    deputy_user,
)

pytestmark = pytest.mark.django_db


def kept() -> dict:
    return {
        (row.session_id, row.status): row.n
        for row in StatusCount.objects.all()
        if row.n != 0
    }


def actual() -> dict:
    rows = Suggestion.objects.values("session", "status").annotate(n=Count("id"))
    return {(row["session"], row["status"]): row["n"] for row in rows.order_by()}


def test_every_kind_of_write_keeps_the_counts():
    first, second = SessionFactory(), SessionFactory()
    staff = StaffFactory()
    submitted = [SuggestionFactory(session=first, submitted=True) for _ in range(3)]
    SuggestionFactory(session=second, closed=True)
    SuggestionFactory(session=first)  # a draft
    assert kept() == actual()

    services.suggestion_register(
        suggestion_id=submitted[0].pk, actor=staff, category=CategoryFactory()
    )
    Suggestion.objects.filter(pk=submitted[1].pk).update(status=Status.WITHDRAWN)
    Suggestion.objects.filter(pk=submitted[2].pk).update(session=second)
    Suggestion.objects.filter(status=Status.CLOSED).delete()
    assert kept() == actual()
    assert kept()[(first.pk, Status.REGISTERED)] == 1
    assert (second.pk, Status.CLOSED) not in kept()


def test_recount_rebuilds_what_went_around_the_triggers(caplog):
    session = SessionFactory()
    SuggestionFactory(session=session, submitted=True)
    SuggestionFactory(session=session, registered=True)
    StatusCount.objects.update(n=99)
    assert kept() != actual()

    from suggestions.tasks import recount_published_suggestions

    with caplog.at_level(logging.WARNING, logger="suggestions.tasks"):
        assert recount_published_suggestions() is True
    assert kept() == actual()
    assert "status counts corrected" in caplog.text
    assert recount_statuses() == 2


def tabs_of(user, **query):
    listing = selectors.suggestion_listing(user=user)
    if "session" in query:
        listing = listing.in_session(query["session"])
    return listing


@pytest.mark.parametrize("role", ["staff", "leader"])
def test_staff_and_leaders_read_the_tabs_from_the_kept_counts(role):
    session = SessionFactory()
    other_body = SessionFactory(congress=CongressFactory(body__region="伊犁"))
    for trait in ["submitted", "registered", "registered", "assigned", "closed"]:
        SuggestionFactory(session=session, **{trait: True})
    SuggestionFactory(session=session)  # another deputy's draft: not theirs to see
    SuggestionFactory(session=other_body, registered=True)
    user = (StaffFactory if role == "staff" else LeaderFactory)()
    listing = selectors.suggestion_listing(user=user).in_session(session.pk)

    with CaptureQueriesContext(connection) as queries:
        counts = listing.status_counts()

    grouped = listing.queryset.order_by().values("status").annotate(n=Count("pk"))
    assert counts == {row["status"]: row["n"] for row in grouped}
    assert counts == {"submitted": 1, "registered": 2, "assigned": 1, "closed": 1}
    assert len(queries) == 1
    assert "suggestions_statuscount" in queries[0]["sql"]


def test_a_staff_member_who_is_also_a_deputy_counts_their_own_drafts():
    session = SessionFactory()
    user = deputy_user()
    from accounts.models import BodyRole, Membership

    Membership.objects.create(
        user=user, body=session.congress.body, role=BodyRole.STAFF
    )
    SuggestionFactory(session=session, lead_deputy=user.deputy_records.get())
    SuggestionFactory(session=session)  # someone else's draft
    SuggestionFactory(session=session, registered=True)

    listing = selectors.suggestion_listing(user=user).in_session(session.pk)

    assert listing.kept_status_counts() == {"draft": 1, "registered": 1}
    grouped = listing.queryset.order_by().values("status").annotate(n=Count("pk"))
    assert listing.status_counts() == {row["status"]: row["n"] for row in grouped}


def test_a_filtered_list_or_a_deputy_groups_its_own_rows():
    session = SessionFactory()
    row = SuggestionFactory(session=session, registered=True)
    SuggestionFactory(session=session, submitted=True)
    staff = StaffFactory()

    filtered = selectors.suggestion_listing(user=staff).filter(category=row.category)
    assert filtered.kept_status_counts() is None
    assert filtered.status_counts() == {"registered": 1}
    deputy = selectors.suggestion_listing(user=deputy_user()).in_session(session.pk)
    assert deputy.kept_status_counts() is None


def test_the_staff_list_page_shows_the_kept_counts(client):
    session = SessionFactory(is_current=True)
    for trait in ["submitted", "registered", "registered"]:
        SuggestionFactory(session=session, **{trait: True})
    client.force_login(StaffFactory())

    response = client.get(reverse("suggestions:list"), {"session": session.pk})

    tabs = {tab["key"]: tab["count"] for tab in response.context["tabs"]}
    assert tabs == {"all": 3, "submitted": 1, "registered": 2}
    assert response.context["page_obj"].paginator.count == 3

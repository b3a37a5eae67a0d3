"""The dashboard's figures: what each counts, and that it takes a fixed number of
queries whatever the size of the session."""

import datetime as dt
import itertools

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from congress.models import Congress, CongressBody, Session
from dashboard.statistics import rate, refresh, session_statistics
from suggestions.models import (
    AdjustmentKind,
    AdjustmentRequest,
    Assignment,
    ContactRecord,
    CoSignature,
    Decision,
    Evaluation,
    Reply,
    Suggestion,
)

TZ = timezone.get_current_timezone()
ASSIGNED = dt.datetime(2023, 2, 1, 10, tzinfo=TZ)
DUE = dt.date(2023, 5, 1)
TODAY = dt.date(2023, 8, 1)


def make(
    world,
    *,
    session=None,
    unit="government",
    status="closed",
    outcome="resolved",
    rating="satisfied",
    replied=ASSIGNED + dt.timedelta(days=30),
    due=DUE,
    contact=True,
    round=1,
    key=False,
    category=0,
    deputy=0,
    number=None,
):
    """One suggestion with its lead assignment, reply, contact and evaluation rows."""
    session = session or world["session"]
    unit_obj = world["units"][unit]
    filed = status not in ("draft", "submitted", "withdrawn", "rejected")
    suggestion = Suggestion.objects.create(
        session=session,
        number=number if filed else None,
        title="t",
        body="b",
        category=world["categories"][category],
        lead_deputy=world["deputies"][deputy],
        status=status,
        lead_unit=unit_obj if filed else None,
        due_at=due if filed else None,
        assigned_at=ASSIGNED if filed else None,
        outcome=outcome if replied else "",
        rating=rating,
        round=round,
        key_supervised=key,
        merged_into=None,
    )
    if not filed:
        return suggestion
    for r in range(1, round + 1):
        assignment = Assignment.objects.create(
            suggestion=suggestion,
            unit=unit_obj,
            role="lead",
            round=r,
            assigned_at=ASSIGNED,
            due_at=due,
            acknowledged_at=ASSIGNED,
            replied_at=replied,
        )
        if contact and replied:
            ContactRecord.objects.create(
                assignment=assignment,
                method="phone",
                contacted_at=replied - dt.timedelta(days=1),
                recorded_by=world["clerk"],
            )
        if replied:
            Reply.objects.create(
                assignment=assignment,
                round=r,
                is_lead=True,
                outcome=outcome,
                body="r",
                sent_by=world["clerk"],
                sent_at=replied,
            )
        if rating and (r < round or status == "closed"):
            Evaluation.objects.create(
                suggestion=suggestion,
                round=r,
                deputy=suggestion.lead_deputy,
                rating="dissatisfied" if r < round else rating,
            )
    return suggestion


def test_rate_rounds_half_up_to_one_decimal():
    """Rates print as the annual review does: 275 / 295 = 93.2, 0 denominators None."""
    assert rate(275, 295) == 93.2
    assert rate(295, 295) == 100.0
    assert rate(1, 8) == 12.5
    assert rate(1, 3) == 33.3
    assert rate(2, 3) == 66.7
    assert rate(0, 0) is None


def test_counts_only_filed_suggestions_and_their_latest_outcome_and_rating(world):
    """Drafts, withdrawn, rejected and merged are counted apart; outcome and rating
    figures use the latest lead reply and evaluation."""
    n = itertools.count(1)
    make(world, number=next(n))
    make(world, number=next(n), rating="basically_satisfied", category=1)
    make(world, number=next(n), outcome="explained", rating="satisfied", round=2)
    make(world, number=next(n), outcome="in_progress", rating="", status="replied")
    make(world, number=next(n), unit="court", key=True)
    make(world, number=next(n), unit="standing_committee_body", category=2)
    for status in ("draft", "withdrawn", "rejected", "submitted"):
        make(world, status=status)
    target = make(
        world,
        number=next(n),
        unit="other",
        status="assigned",
        outcome="",
        replied=None,
        rating="",
        due=TODAY - dt.timedelta(days=1),
    )
    Suggestion.objects.create(
        session=world["session"],
        title="m",
        body="b",
        status="merged",
        merged_into=target,
        lead_deputy=world["deputies"][5],
        number=next(n),
    )
    make(world, session=world["earlier"], number=1)

    stats = session_statistics(world["session"], today=TODAY)

    assert stats["suggestions"] == 7
    assert stats["previous_session_suggestions"] == 1
    assert stats["change"] == 6
    assert (stats["drafts"], stats["withdrawn"], stats["rejected"]) == (1, 1, 1)
    assert (stats["submitted"], stats["merged"]) == (1, 1)
    assert stats["outcomes"] == {
        "resolved": 4,
        "in_progress": 1,
        "explained": 1,
        "reference": 0,
    }
    assert stats["completion_rate"] == rate(4, 7) == 57.1
    assert stats["resolved_or_planned_rate"] == rate(5, 7)
    assert stats["ratings"] == {
        "satisfied": 4,
        "basically_satisfied": 1,
        "dissatisfied": 0,
    }
    assert stats["satisfaction_rate"] == 100.0
    # Round one of the re-handled suggestion was rated dissatisfied.
    assert stats["first_round_satisfaction_rate"] == rate(4, 5)
    assert stats["rehandled"] == 1
    assert stats["assigned"] == 7
    assert stats["replied"] == 6
    assert stats["reply_rate"] == rate(6, 7)
    assert stats["overdue"] == 1
    assert stats["key_supervised"] == 1
    assert stats["open_promises"] == 1
    assert {r["category"]: r["count"] for r in stats["by_category"]} == {
        "甲": 5,
        "乙": 1,
        "丙": 1,
    }
    assert stats["by_handler_group"] == [
        {"group": "government", "count": 4, "share": 57.1},
        {"group": "other_organs", "count": 2, "share": 28.6},
        {"group": "standing_committee", "count": 1, "share": 14.3},
    ]
    kinds = {r["kind"]: r["count"] for r in stats["by_unit_kind"]}
    assert kinds["court"] == 1 and kinds["other"] == 1 and kinds["procuratorate"] == 0
    assert sum(r["count"] for r in stats["by_delegation"]) == 7
    assert stats["deputies"] == 6
    assert stats["deputies_with_suggestions"] == 1


def test_on_time_and_contact_rates_judge_the_first_round_reply(world):
    """A reply after the due date (in Beijing time) is late; a reply without a contact
    recorded before it does not count as contacted."""
    late = dt.datetime.combine(DUE + dt.timedelta(days=1), dt.time(0, 30), tzinfo=TZ)
    last_minute = dt.datetime.combine(DUE, dt.time(23, 50), tzinfo=TZ)
    make(world, number=1, replied=last_minute)
    make(world, number=2, replied=late)
    make(world, number=3, contact=False)
    make(world, number=4, unit="court", replied=late, contact=False)

    stats = session_statistics(world["session"], today=TODAY)

    assert stats["on_time_rate"] == 50.0
    assert stats["contact_rate"] == 50.0
    units = {row["unit"]["name"]: row for row in stats["units"]}
    government = units["单位-government"]
    assert (government["assigned"], government["replied"], government["on_time"]) == (
        3,
        3,
        2,
    )
    assert units["单位-court"]["on_time"] == 0


def test_co_signers_count_as_deputies_with_suggestions_once_signed(world):
    """Deputies who handed in suggestions: lead deputies and confirmed co-signers."""
    suggestion = make(world, number=1)
    CoSignature.objects.create(
        suggestion=suggestion, deputy=world["deputies"][1], signed_at=ASSIGNED
    )
    CoSignature.objects.create(suggestion=suggestion, deputy=world["deputies"][2])
    assert session_statistics(world["session"])["deputies_with_suggestions"] == 2


def test_extensions_count_granted_requests_only(world):
    """Extensions granted: approved extension requests, not pending or denied ones."""
    suggestion = make(world, number=1)
    assignment = suggestion.assignments.get()
    for decision in (Decision.APPROVED, Decision.DENIED):
        AdjustmentRequest.objects.create(
            assignment=assignment,
            kind=AdjustmentKind.EXTENSION,
            reason="r",
            requested_by=world["clerk"],
            decision=decision,
            decided_by=world["clerk"],
            decided_at=ASSIGNED,
        )
    assert session_statistics(world["session"])["extensions"] == 1


def test_empty_session_gives_none_rates_not_errors(world):
    """With nothing filed every rate is None and every count 0."""
    stats = session_statistics(world["session"])
    assert stats["suggestions"] == 0
    assert stats["completion_rate"] is None
    assert stats["satisfaction_rate"] is None
    assert stats["on_time_rate"] is None
    assert stats["units"] == []


def _fill(world, count: int) -> None:
    kinds = list(world["units"])
    for i in range(count):
        make(
            world,
            number=i + 1,
            unit=kinds[i % len(kinds)],
            category=i % 3,
            deputy=i % 6,
            outcome=("resolved", "in_progress", "explained")[i % 3],
            rating=("satisfied", "basically_satisfied")[i % 2],
            key=i % 7 == 0,
        )


@pytest.mark.parametrize("size", [10, 300])
def test_statistics_take_a_fixed_number_of_queries(
    world, size, django_assert_num_queries
):
    """The dashboard is aggregated in SQL: computing a snapshot takes the same number
    of queries at 10 and at 300 suggestions, and reading a fresh one two (the
    snapshot with its breakdown and previous session, and overdue now)."""
    _fill(world, size)
    session = Session.objects.select_related("congress").get(pk=world["session"].pk)
    refresh(world["earlier"], today=TODAY)
    with django_assert_num_queries(COMPUTE_QUERIES):
        stats = session_statistics(session, today=TODAY)
    assert stats["suggestions"] == size
    with django_assert_num_queries(2):
        again = session_statistics(session, today=TODAY)
    assert {**again, "as_of": None} == {**stats, "as_of": None}


# The snapshot read (1), then the recompute: the row, its version (2), the grouped
# counts (portable path: totals, categories, units, delegations, replies, acknowledge
# dates = 6; PostgreSQL: 2 in a savepoint that turns JIT off = 5), first-round ratings, extensions, deputies, rules,
# calendar, units, delegations, categories, previous session (9), the three
# meetings' contacts per stage and the leaders' part in key suggestions (2: one
# aggregate each, over the first lead assignments and over the key suggestions), the
# conditional UPDATE and the breakdown upsert in a savepoint (4), the previous
# session's snapshot (1), overdue now (1).
COMPUTE_QUERIES = 26 if connection.vendor != "postgresql" else 25


def test_stats_command_prints_the_dashboard_json(world):
    """`manage.py stats --session current --json` prints the dashboard's JSON."""
    import io
    import json

    make(world, number=1)
    out = io.StringIO()
    call_command("stats", "--session", "current", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["session"] == world["session"].pk
    assert data["suggestions"] == 1
    assert data["completion_rate"] == 100.0


def test_stats_command_reads_the_current_session_of_the_body_named(world):
    """With a county below it, ``current`` is the platform's own body's current
    session unless ``--body`` names another (by id, name or short name); a county's
    current session opened later changes nothing."""
    import io
    import json

    from django.core.management.base import CommandError

    prefecture = world["session"].congress.body
    county = CongressBody.objects.create(
        name="昌吉市人民代表大会",
        short_name="昌吉市",
        region="昌吉市",
        level="county",
        parent=prefecture,
    )
    county_session = Session.objects.create(
        congress=Congress.objects.create(body=county, ordinal=18),
        ordinal=3,
        year=2023,
        opened_on=dt.date(2023, 1, 20),
        is_current=True,
    )

    def current(*body):
        out = io.StringIO()
        call_command("stats", "--session", "current", *body, "--json", stdout=out)
        return json.loads(out.getvalue())["session"]

    assert current() == world["session"].pk
    assert current("--body", "昌吉市") == county_session.pk
    assert current("--body", str(county.pk)) == county_session.pk
    assert current("--body", prefecture.name) == world["session"].pk
    with pytest.raises(CommandError, match="No congress body named"):
        current("--body", "伊犁州")
    county_session.is_current = False
    county_session.save()
    with pytest.raises(CommandError, match="No session of"):
        current("--body", "昌吉市")


def test_stats_command_refuses_an_unknown_session(world):
    """An unknown session id is a clear error, not a traceback."""
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No session"):
        call_command("stats", "--session", "999999", "--json")
    with pytest.raises(CommandError, match="No session"):
        call_command("stats", "--session", "abc")

"""Under real concurrency the row locks keep the workflow consistent (PostgreSQL only:
SQLite serialises whole transactions, so there is nothing to race there)."""

import threading

import pytest
from django.db import connection

from accounts.models import User
from common.errors import InvalidTransition
from suggestions import services
from suggestions.models import Evaluation, Event, Reply, Status, Suggestion
from tests.factories import Journey

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL row locks"
    ),
]


def race(*calls):
    """Run the calls in threads released together; return what each returned or
    raised, in call order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            results[i] = call()
        except Exception as error:  # domain or not, the caller's assertions judge it
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(t.is_alive() for t in threads)
    return results


def fresh(user) -> User:
    """The user loaded anew, so that no cached state is shared between threads."""
    return User.objects.get(pk=user.pk)


def test_two_concurrent_evaluations_give_one(transactional_db):
    """Two ratings of one reply at the same moment: exactly one evaluation and one
    InvalidTransition."""
    journey = Journey()
    s = journey.to(Status.REPLIED)

    def evaluate(rating):
        return lambda: services.suggestion_evaluate(
            suggestion_id=s.pk,
            actor=fresh(journey.deputy),
            rating=rating,
            comment="意见",
        )

    results = race(evaluate("satisfied"), evaluate("dissatisfied"))
    evaluations = [r for r in results if isinstance(r, Evaluation)]
    refusals = [r for r in results if isinstance(r, InvalidTransition)]
    assert (len(evaluations), len(refusals)) == (1, 1), results
    assert Evaluation.objects.filter(suggestion=s).count() == 1
    assert Event.objects.filter(suggestion=s, action="evaluate").count() == 1
    s.refresh_from_db()
    winner = evaluations[0].rating
    assert s.rating == winner
    assert s.status == (Status.CLOSED if winner == "satisfied" else Status.REHANDLING)


def test_concurrent_registrations_get_distinct_numbers(transactional_db):
    """Suggestions of one session filed at the same moment get 1, 2, 3, 4."""
    first = Journey()
    journeys = [first] + [Journey(session=first.session) for _ in range(3)]
    for journey in journeys:
        journey.to(Status.SUBMITTED)

    def register(journey):
        return lambda: services.suggestion_register(
            suggestion_id=journey.suggestion.pk,
            actor=fresh(journey.staff),
            category=journey.category.pk,
        )

    results = race(*(register(j) for j in journeys))
    assert all(isinstance(r, Suggestion) for r in results), results
    numbers = sorted(
        Suggestion.objects.filter(session=first.session).values_list(
            "number", flat=True
        )
    )
    assert numbers == [1, 2, 3, 4]


def test_two_concurrent_lead_replies_give_one(transactional_db):
    """Two clerks sending the lead reply at once: one reply, one InvalidTransition."""
    journey = Journey()
    journey.to(Status.ASSIGNED)
    journey.acknowledge()
    journey.meet()
    assignment = journey.lead_assignment()

    def reply(outcome):
        return lambda: services.assignment_reply(
            assignment_id=assignment.pk,
            actor=fresh(journey.clerk),
            outcome=outcome,
            body="答复",
        )

    results = race(reply("resolved"), reply("explained"))
    assert sorted(type(r).__name__ for r in results) == ["InvalidTransition", "Reply"]
    assert Reply.objects.filter(assignment=assignment).count() == 1
    assert Event.objects.filter(action="reply").count() == 1

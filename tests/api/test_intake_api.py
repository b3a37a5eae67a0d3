"""Smart intake's API (docs/api.md, Smart intake): similar suggestions for a draft's
text and for a suggestion, and the recommended handling; every list holds only what
the caller may see, and the recommendation is for the staff of its body."""

import pytest

from accounts.models import BodyRole
from suggestions.models import Assignment, Status

from ..factories import (
    CongressBodyFactory,
    CongressFactory,
    SessionFactory,
    StaffFactory,
    SuggestionFactory,
    UnitMemberFactory,
    deputy_user,
)
from ..intake_history import COPY_TEXT, COPY_TITLE, build_history
from .conftest import client_as

pytestmark = pytest.mark.django_db

SIMILAR = "/api/v1/suggestions/similar/"


def similar_of(pk, scope=""):
    return f"/api/v1/suggestions/{pk}/similar/" + (f"?scope={scope}" if scope else "")


def recommendation_of(pk):
    return f"/api/v1/suggestions/{pk}/recommendation/"


@pytest.fixture
def history(db, now):
    return build_history()


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


# --- what a deputy drafting sees ------------------------------------------------------


def test_a_deputys_similar_list_never_holds_what_they_may_not_see(history):
    """Another deputy's suggestion that is not published stays hidden, however like
    the draft it is; a published one is offered, with its session and number."""
    session = history.session
    deputy = deputy_user(delegation__congress=session.congress)
    hidden = SuggestionFactory(
        session=history.earlier_session,
        replied=True,
        is_public=False,
        title=COPY_TITLE,
        body=COPY_TEXT,
    )
    published = SuggestionFactory(
        session=history.earlier_session,
        closed=True,
        is_public=True,
        title=COPY_TITLE,
        body=COPY_TEXT,
    )
    response = client_as(deputy).post(
        SIMILAR, {"title": COPY_TITLE, "body": COPY_TEXT}, format="json"
    )
    found = ids(response)
    assert published.pk in found
    assert hidden.pk not in found
    # Nor the other deputies' submitted suggestions of this session.
    assert history.copy.pk not in found and history.target.pk not in found
    row = response.json()["results"][found.index(published.pk)]
    assert set(row) == {"id", "session", "number", "title", "score", "status"}
    assert row["session"]["id"] == history.earlier_session.pk
    assert row["number"] == published.number
    assert row["status"] == Status.CLOSED
    assert 0 < row["score"] <= 1


def test_a_deputys_similar_list_for_a_suggestion_is_scoped_too(history):
    """From their own suggestion, a deputy finds only what they may see."""
    mine = history.target
    deputy = deputy_user(delegation__congress=history.session.congress)
    mine.lead_deputy = deputy.deputy_profile
    mine.save(update_fields=["lead_deputy"])
    found = ids(client_as(deputy).get(similar_of(mine.pk)))
    assert history.copy.pk not in found  # another deputy's, not published
    assert mine.pk not in found


def test_staff_find_the_planted_near_copy(history):
    """The staff's likely duplicates hold the near-copy with a reworded title; the
    earlier sessions' repeats are apart."""
    client = client_as(history.staff)
    same = ids(client.get(similar_of(history.target.pk, "same_session")))
    assert history.copy.pk in same
    assert history.target.pk not in same
    earlier = ids(client.get(similar_of(history.target.pk, "earlier")))
    assert history.copy.pk not in earlier
    assert {s.pk for s in history.housing_cases} <= set(earlier)
    found = client.post(
        SIMILAR,
        {
            "title": "建议加快推进老旧住宅小区加装电梯工作",
            "session": history.session.pk,
        },
        format="json",
    )
    assert history.copy.pk in ids(found)
    assert not set(ids(found)) & {s.pk for s in history.housing_cases}


def test_similar_results_are_at_most_ten(history):
    """However many match, ten at most."""
    for _ in range(12):
        SuggestionFactory(
            session=history.session, submitted=True, title=COPY_TITLE, body=COPY_TEXT
        )
    response = client_as(history.staff).post(
        SIMILAR, {"title": COPY_TITLE, "body": COPY_TEXT}, format="json"
    )
    assert len(ids(response)) == 10


# --- input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload, field",
    [
        ({}, "title"),
        ({"title": ""}, "title"),
        ({"title": "长" * 201}, "title"),
        ({"title": "加装电梯", "body": "字" * 50_001}, "body"),
        ({"title": "加装电梯", "session": 2**64}, "session"),
        ({"title": "加装电梯", "session": "x"}, "session"),
    ],
)
def test_bad_input_is_a_400(history, payload, field):
    response = client_as(history.staff).post(SIMILAR, payload, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_a_session_of_another_body_is_a_400(history):
    """A session the caller has no part in is as if it did not exist."""
    other = SessionFactory(congress=CongressFactory(body__region="伊犁哈萨克自治州"))
    response = client_as(history.staff).post(
        SIMILAR, {"title": "加装电梯", "session": other.pk}, format="json"
    )
    assert response.status_code == 400
    assert "session" in response.json()


def test_a_caller_of_several_bodies_must_name_the_session(history):
    """Staff of two bodies are told to give the session; with it, they are
    answered from its body."""
    second = CongressBodyFactory(region="伊犁哈萨克自治州")
    history.staff.memberships.create(body=second, role=BodyRole.STAFF)
    staff = type(history.staff).objects.get(pk=history.staff.pk)
    response = client_as(staff).post(SIMILAR, {"title": COPY_TITLE}, format="json")
    assert response.status_code == 400
    assert "session" in response.json()
    response = client_as(staff).post(
        SIMILAR, {"title": COPY_TITLE, "session": history.session.pk}, format="json"
    )
    assert history.copy.pk in ids(response)


def test_a_bad_scope_is_a_400(history):
    response = client_as(history.staff).get(similar_of(history.target.pk, "everything"))
    assert response.status_code == 400
    assert "scope" in response.json()


def test_the_anonymous_are_refused(history):
    client = client_as()
    assert client.post(SIMILAR, {"title": "x"}, format="json").status_code == 401
    assert client.get(similar_of(history.target.pk)).status_code == 401
    assert client.get(recommendation_of(history.to_assign.pk)).status_code == 401


def test_a_suggestion_out_of_reach_is_a_404(history):
    """Another deputy's suggestion, for a deputy; another body's, for staff."""
    deputy = deputy_user(delegation__congress=history.session.congress)
    assert client_as(deputy).get(similar_of(history.copy.pk)).status_code == 404
    other = SuggestionFactory(
        session=SessionFactory(
            congress=CongressFactory(body__region="伊犁哈萨克自治州")
        ),
        submitted=True,
    )
    assert client_as(history.staff).get(similar_of(other.pk)).status_code == 404


# --- the recommendation ---------------------------------------------------------------


def test_the_recommendation_explains_itself(history):
    """The first lead unit is the one that handled the similar past suggestions,
    and ``because`` names them; its reasons carry their ratings."""
    response = client_as(history.staff).get(recommendation_of(history.to_assign.pk))
    assert response.status_code == 200
    data = response.json()
    assert set(data) >= {"category", "lead_units", "co_units"}
    first = data["lead_units"][0]
    assert first["id"] == history.units["housing"].pk
    assert first["name"] == history.units["housing"].name
    assert {s.pk for s in history.housing_cases} <= set(first["because"])
    assert set(first) >= {"id", "name", "score", "because"}
    assert {r["rating"] for r in first["reasons"]} == {"satisfied"}
    if data["category"] is not None:
        assert set(data["category"]) == {"id", "name", "score"}
    assert first["id"] not in [c["id"] for c in data["co_units"]]


def test_a_unit_reassigned_away_ranks_below_the_unit_it_went_to(history):
    """The commission was first given one of the past cases and had it reassigned
    to the housing bureau: it ranks below the bureau, and that case is marked
    against it."""
    data = client_as(history.staff).get(recommendation_of(history.to_assign.pk)).json()
    ranked = [u["id"] for u in data["lead_units"]]
    housing, reform = history.units["housing"].pk, history.units["reform"].pk
    assert housing in ranked
    assert reform not in ranked or ranked.index(housing) < ranked.index(reform)
    if reform in ranked:
        reasons = data["lead_units"][ranked.index(reform)]["reasons"]
        against = [r for r in reasons if r["suggestion"] == history.reassigned.pk]
        assert all(r["reassigned_away"] for r in against)


def test_the_recommendation_assigns_nothing(history):
    """Reading it changes nothing."""
    before = Assignment.objects.count()
    client_as(history.staff).get(recommendation_of(history.to_assign.pk))
    history.to_assign.refresh_from_db()
    assert history.to_assign.status == Status.REGISTERED
    assert history.to_assign.lead_unit_id is None
    assert Assignment.objects.count() == before


def test_who_reads_the_recommendation(history):
    """Staff of its body; its deputy and a unit clerk may never (403); staff of
    another body find nothing (404)."""
    suggestion = history.to_assign
    other_staff = StaffFactory(body=CongressBodyFactory(region="伊犁哈萨克自治州"))
    clerk = UnitMemberFactory(unit=history.units["housing"])
    lead = deputy_user(delegation__congress=history.session.congress)
    suggestion.lead_deputy = lead.deputy_profile
    suggestion.save(update_fields=["lead_deputy"])
    path = recommendation_of(suggestion.pk)
    assert client_as(history.staff).get(path).status_code == 200
    assert client_as(other_staff).get(path).status_code == 404
    assert client_as(clerk).get(path).status_code == 403
    assert client_as(lead).get(path).status_code == 403


def test_staff_who_see_it_as_its_deputy_are_refused_403(history):
    """Staff of another body who see the suggestion as its deputy may not read
    the recommendation (``rules.require_staff_on``)."""
    other_body = CongressBodyFactory(region="伊犁哈萨克自治州")
    lead = deputy_user(delegation__congress=history.session.congress)
    lead.memberships.create(body=other_body, role=BodyRole.STAFF)
    lead = type(lead).objects.get(pk=lead.pk)
    suggestion = history.to_assign
    suggestion.lead_deputy = lead.deputy_profile
    suggestion.save(update_fields=["lead_deputy"])
    assert client_as(lead).get(recommendation_of(suggestion.pk)).status_code == 403


# --- query counts ---------------------------------------------------------------------


# Once the body's index is built (the first question builds it; then the nightly
# task): the session or the suggestion, the index's row, what changed since its
# build, which of the hits the caller may see (their keys), the ten shown; the
# recommendation also reads the units, the hits' handling (their lead units and
# ratings, their assignments, the suggestions behind the reasons) and the
# categories.
QUERIES = {"text": 5, "suggestion": 5, "recommendation": 8}


@pytest.mark.parametrize("more", [0, 15])
def test_query_counts_are_fixed(history, more, django_assert_num_queries):
    """Each call costs a fixed number of queries, the engine's included, however
    many suggestions are alike."""
    for _ in range(more):
        SuggestionFactory(
            session=history.earlier_session,
            closed=True,
            lead_unit=history.units["housing"],
            title=COPY_TITLE,
            body=COPY_TEXT,
        )
    staff = type(history.staff).objects.get(pk=history.staff.pk)
    client = client_as(staff)
    client.get(similar_of(history.target.pk))  # builds the body's index
    with django_assert_num_queries(QUERIES["text"]):
        response = client.post(
            SIMILAR,
            {"title": COPY_TITLE, "session": history.session.pk},
            format="json",
        )
    assert len(ids(response)) >= 2
    with django_assert_num_queries(QUERIES["suggestion"]):
        assert len(ids(client.get(similar_of(history.target.pk)))) >= 2
    with django_assert_num_queries(QUERIES["recommendation"]):
        response = client.get(recommendation_of(history.to_assign.pk))
    assert response.json()["lead_units"][0]["because"]

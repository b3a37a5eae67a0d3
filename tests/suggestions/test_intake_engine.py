"""The smart intake's engine (suggestions/intake): similar suggestions limited to
what the asker may see, likely duplicates, the recommendation and its reasons, and
the index kept up between builds."""

import pytest
from django.core.management import call_command

from suggestions.intake import index, recommend, similar_to, similar_to_text
from suggestions.intake.index import dump, fit, load
from suggestions.models import Assignment, AssignmentRole, IntakeIndex
from tests.factories import (
    CongressBodyFactory,
    CongressFactory,
    DeputyFactory,
    HandlingUnitFactory,
    SessionFactory,
    StaffFactory,
    SuggestionFactory,
    deputy_user,
)

pytestmark = pytest.mark.django_db

ELEVATOR = "老旧小区加装电梯"
ELEVATOR_BODY = (
    "我市老旧小区多为六层以下住宅，没有电梯，老年居民上下楼十分困难。"
    "建议出台老旧小区加装电梯的补贴办法，简化审批流程，协调低层住户意见。"
)


@pytest.fixture(autouse=True)
def _fresh():
    index.forget()
    yield
    index.forget()


def titles(hits):
    return [h.suggestion.title for h in hits]


def test_a_deputy_is_shown_only_what_the_deputy_may_see():
    earlier = SessionFactory(year=2025)
    published = SuggestionFactory(
        session=earlier,
        closed=True,
        is_public=True,
        title=f"关于推进{ELEVATOR}工作的建议",
        body=ELEVATOR_BODY,
    )
    hidden = SuggestionFactory(
        session=earlier,
        closed=True,
        is_public=False,
        title=f"关于加快{ELEVATOR}的建议",
        body=ELEVATOR_BODY,
    )
    others_draft = SuggestionFactory(
        session=earlier, title=f"关于{ELEVATOR}的建议", body=ELEVATOR_BODY
    )
    elsewhere = SuggestionFactory(
        session=SessionFactory(congress=CongressFactory(body__region="伊犁")),
        closed=True,
        is_public=True,
        title=f"关于{ELEVATOR}的建议",
        body=ELEVATOR_BODY,
    )
    user = deputy_user()
    body = CongressBodyFactory()

    shown = similar_to_text(user, body, f"关于{ELEVATOR}的建议", ELEVATOR_BODY)

    assert [h.suggestion for h in shown] == [published]
    assert hidden.pk and others_draft.pk and elsewhere.pk
    # Staff of the body see the unpublished one too, never a draft of a deputy.
    staff_view = {
        h.suggestion
        for h in similar_to_text(
            StaffFactory(), body, f"关于{ELEVATOR}的建议", ELEVATOR_BODY
        )
    }
    assert staff_view == {published, hidden}


def test_the_deputys_own_unpublished_suggestion_is_shown_to_them():
    user = deputy_user()
    mine = SuggestionFactory(
        lead_deputy=user.deputy_records.get(),
        replied=True,
        title=f"关于{ELEVATOR}的建议",
        body=ELEVATOR_BODY,
    )
    shown = similar_to_text(
        user, CongressBodyFactory(), f"建议推进{ELEVATOR}", ELEVATOR_BODY
    )
    assert [h.suggestion for h in shown] == [mine]


def test_staff_find_a_reworded_near_copy_in_the_same_session():
    session = SessionFactory()
    original = SuggestionFactory(
        session=session,
        registered=True,
        title="关于加快老旧小区加装电梯的建议",
        body=ELEVATOR_BODY,
    )
    for n, topic in enumerate(["农村客运班线", "中小学课后服务", "冬季清洁取暖"]):
        SuggestionFactory(
            session=session,
            registered=True,
            title=f"关于完善{topic}的建议",
            body=f"{topic}存在第{n}类问题，建议有关部门研究解决。",
        )
    copy = SuggestionFactory(
        session=session,
        submitted=True,
        title="建议加快推进老旧住宅小区加装电梯工作",
        body=ELEVATOR_BODY.replace("我市", "本市").replace("十分困难", "很不方便"),
    )

    duplicates = similar_to(StaffFactory(), copy, scope="same_session")

    assert [h.suggestion for h in duplicates] == [original]
    assert duplicates[0].score >= 0.7
    # Of another session, it is a repeat, not a duplicate of this one.
    assert similar_to(StaffFactory(), copy, scope="earlier") == []


def test_a_suggestion_written_after_the_build_is_found():
    body = CongressBodyFactory()
    SuggestionFactory(registered=True, title="关于完善农村客运班线的建议")
    index.live(body.pk)  # built now, without what follows
    late = SuggestionFactory(
        registered=True, title=f"关于{ELEVATOR}的建议", body=ELEVATOR_BODY
    )

    hits = similar_to_text(StaffFactory(), body, f"关于{ELEVATOR}的建议", ELEVATOR_BODY)

    assert [h.suggestion for h in hits] == [late]
    assert IntakeIndex.objects.get(body=body).size == 1


def test_an_edit_after_the_build_is_read_from_the_new_text():
    body = CongressBodyFactory()
    draft = SuggestionFactory(registered=True, title="关于完善农村客运班线的建议")
    index.live(body.pk)
    draft.title = f"关于{ELEVATOR}的建议"
    draft.body = ELEVATOR_BODY
    draft.save()

    hits = similar_to_text(StaffFactory(), body, f"关于{ELEVATOR}的建议", ELEVATOR_BODY)

    assert [h.suggestion for h in hits] == [draft]


def test_the_stored_vectors_read_back_the_same():
    rows = [
        (1, 7, f"关于{ELEVATOR}的建议", ELEVATOR_BODY, 3),
        (2, 7, "关于完善农村客运班线的建议", "", 4),
    ]
    vectors = fit(rows, [(3, "负责住房保障和城乡建设")])
    again = load(dump(vectors))
    query = vectors.vector("加装电梯")
    assert again.scores(query).tolist() == vectors.scores(query).tolist()
    assert again.unit_scores(query) == vectors.unit_scores(query)


def _handled(session, unit, title, body="", **fields):
    return SuggestionFactory(
        session=session, closed=True, lead_unit=unit, title=title, body=body, **fields
    )


def test_the_recommendation_names_the_unit_that_handled_similar_cases_and_why():
    earlier = SessionFactory(year=2025)
    housing = HandlingUnitFactory(name="市住房和城乡建设局", short_name="住建局")
    transport = HandlingUnitFactory(name="市交通运输局", short_name="交通局")
    cases = [
        _handled(earlier, housing, f"关于{place}{ELEVATOR}的建议", ELEVATOR_BODY)
        for place in ["城东", "城西", "城南"]
    ]
    _handled(earlier, transport, "关于完善农村客运班线的建议")
    new = SuggestionFactory(
        session=SessionFactory(), registered=True, title=f"关于{ELEVATOR}的建议"
    )

    answer = recommend(new)

    assert answer.lead_units[0].unit == housing
    because = answer.lead_units[0].because
    assert {b.suggestion for b in because} == set(cases)
    assert all(not b.reassigned_away and b.rating == "satisfied" for b in because)
    assert answer.category is not None
    assert answer.category.category == cases[0].category
    assert 0 < answer.lead_units[0].score <= 1


def test_a_unit_reassigned_away_in_similar_cases_ranks_below_the_one_that_took_them():
    earlier = SessionFactory(year=2025)
    first = HandlingUnitFactory(name="市城市管理局", short_name="城管局")
    taker = HandlingUnitFactory(name="市住房和城乡建设局", short_name="住建局")
    for place in ["城东", "城西"]:
        case = _handled(earlier, taker, f"关于{place}{ELEVATOR}的建议", ELEVATOR_BODY)
        Assignment.objects.filter(suggestion=case).update(round=1)
        Assignment.objects.create(
            suggestion=case,
            unit=first,
            role=AssignmentRole.LEAD,
            round=1,
            assigned_at=case.assigned_at,
            due_at=case.due_at,
            active=False,
        )
    new = SuggestionFactory(
        session=SessionFactory(), registered=True, title=f"关于{ELEVATOR}的建议"
    )

    answer = recommend(new)

    ranked = [c.unit for c in answer.lead_units]
    assert ranked[0] == taker
    # Its two lost cases took back what they would have given it.
    assert first not in ranked
    assert {b.suggestion.pk for b in answer.lead_units[0].because} == set(
        Assignment.objects.filter(unit=first).values_list("suggestion", flat=True)
    )


def test_a_new_unit_is_recommended_by_its_duties_alone():
    HandlingUnitFactory(
        name="市医疗保障局",
        short_name="医保局",
        duties="负责医疗保险、生育保险、医疗救助等医疗保障制度的实施，"
        "组织药品和医用耗材招标采购，监督管理医保基金。",
    )
    HandlingUnitFactory(
        name="市交通运输局", short_name="交通局", duties="负责公路和客运。"
    )
    new = SuggestionFactory(
        registered=True, title="关于提高门诊慢性病医疗保险报销比例的建议"
    )

    answer = recommend(new)

    assert answer.lead_units[0].unit.name == "市医疗保障局"
    assert answer.lead_units[0].because == []
    assert answer.lead_units[0].duties_match > 0
    assert answer.category is None


def test_nothing_to_go_on_recommends_nothing():
    new = SuggestionFactory(registered=True, title="？！")
    answer = recommend(new)
    assert answer.lead_units == [] and answer.category is None


def test_evaluate_intake_prints_the_figures_and_leaves_no_outside_body(capsys):
    earlier, newest = SessionFactory(year=2025), SessionFactory(year=2026)
    housing = HandlingUnitFactory(name="市住房和城乡建设局")
    for place in ["城东", "城西"]:
        _handled(earlier, housing, f"关于{place}{ELEVATOR}的建议", ELEVATOR_BODY)
    _handled(newest, housing, f"关于城北{ELEVATOR}的建议", ELEVATOR_BODY)
    bodies = CongressBodyFactory._meta.model.objects.count()

    call_command("evaluate_intake", "--outside")

    out = capsys.readouterr().out
    assert "lead top-1" in out and "100.0%" in out
    assert "公开答复评估集" in out
    assert CongressBodyFactory._meta.model.objects.count() == bodies
    assert DeputyFactory._meta.model.objects.filter(name="未署名代表").count() == 0

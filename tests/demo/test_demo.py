"""The demo data (``load_demo``): every figure of the 2023 Changji year-end review
(DESIGN.md §1), the 2022 session, a current session in every state, the demo accounts,
and a second load that changes nothing.

The demo is loaded once for the run, as of today (the current session is dated
relative to the day of loading), inside a transaction rolled back at the end
(``demo`` in tests/conftest.py).
"""

import io
import json
from collections import Counter
from datetime import datetime, time, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from congress.models import (
    Congress,
    CongressBody,
    Delegation,
    Deputy,
    HandlerGroup,
    HandlingRules,
    HandlingUnit,
    Session,
    UnitKind,
)
from demo import loader as demo_module
from demo.loader import load_demo
from suggestions.models import (
    COUNTED_STATUSES,
    OPEN_STATUSES,
    AdjustmentKind,
    AdjustmentRequest,
    Assignment,
    AssignmentRole,
    Category,
    ContactRecord,
    CoSignature,
    Decision,
    Evaluation,
    Event,
    Outcome,
    Promise,
    Rating,
    Reply,
    Status,
    Suggestion,
)
from tests.article import CATEGORIES, check_article_figures

TODAY = timezone.localdate()

DELEGATIONS = [
    "昌吉市代表团",
    "阜康市代表团",
    "呼图壁县代表团",
    "玛纳斯县代表团",
    "奇台县代表团",
    "吉木萨尔县代表团",
    "木垒哈萨克自治县代表团",
]


DEMO_ACCOUNTS = [
    "admin",
    "staff",
    "leader",
    "unit",
    "unit2",
    "deputy",
    "deputy2",
    "county_staff",
    "county_leader",
    "county_unit",
    "county_deputy",
    "manas_staff",
    "dual_deputy",
]

pytestmark = pytest.mark.django_db


@pytest.fixture
def sessions(demo):
    return demo.sessions


def counted(session):
    return Suggestion.objects.filter(session=session, status__in=COUNTED_STATUSES)


def pct(numerator, denominator):
    return round(100 * numerator / denominator, 1)


# --- reference data -------------------------------------------------------------------


def test_congress_rules_and_delegations(demo):
    congress = demo.congress
    assert (congress.ordinal, congress.level, congress.region) == (
        16,
        "prefecture",
        "昌吉回族自治州",
    )
    assert (congress.body.name, congress.body.parent) == (
        "昌吉回族自治州人民代表大会",
        None,
    )
    # The prefecture's own units; the counties' are theirs (test_county_congresses).
    assert HandlingUnit.objects.filter(body=congress.body).count() == 48
    rules = HandlingRules.objects.get(congress=congress)
    assert rules.offered_outcomes == ["resolved", "in_progress", "explained"]
    assert (rules.reply_months, rules.max_extension_months) == (3, 6)
    names = list(
        Delegation.objects.filter(congress=congress)
        .order_by("pk")
        .values_list("name", flat=True)
    )
    assert names == DELEGATIONS


def test_352_realistic_deputies(demo):
    deputies = Deputy.objects.filter(delegation__congress=demo.congress)
    assert deputies.count() == 352
    assert deputies.filter(active=True).count() == 352
    ethnicities = Counter(deputies.values_list("ethnicity", flat=True))
    assert {"汉族", "回族", "哈萨克族", "维吾尔族"} <= set(ethnicities)
    assert ethnicities["汉族"] > 352 / 2
    genders = Counter(deputies.values_list("gender", flat=True))
    assert set(genders) == {"male", "female"}
    assert len(set(deputies.values_list("name", flat=True))) == 352
    assert not deputies.filter(phone="").exists()
    assert not deputies.filter(email="").exists()
    assert not deputies.filter(user__isnull=True).exists()
    assert all(len(p) == 11 for p in deputies.values_list("phone", flat=True))


def test_units_of_every_kind_and_categories(demo):
    units = HandlingUnit.objects.filter(body=demo.congress.body)
    kinds = Counter(units.values_list("kind", flat=True))
    assert set(kinds) == set(UnitKind.values)
    assert kinds[UnitKind.GOVERNMENT] >= 25
    names = set(units.values_list("name", flat=True))
    for name in (
        "州发展和改革委员会",
        "州教育局",
        "州财政局",
        "州交通运输局",
        "州住房和城乡建设局",
        "州卫生健康委员会",
        "州监察委员会",
        "州中级人民法院",
        "州人民检察院",
        "州总工会",
        "国网新疆电力有限公司昌吉供电公司",
    ):
        assert name in names
    # Every unit has a clerk to handle its assignments.
    assert not HandlingUnit.objects.filter(members__isnull=True).exists()
    # Each body files under its own categories, the same names (the counties').
    for body in CongressBody.objects.all():
        assert list(body.categories.values_list("name", flat=True)) == CATEGORIES


def test_every_unit_states_its_duties(demo):
    """Every demo unit, the prefecture's and the counties', carries a duties
    statement (职责) of 40 to 120 characters, the one of its kind of department:
    the prefecture's education bureau and a county's state the same duties."""
    units = HandlingUnit.objects.all()
    assert units.count() > 48
    assert not units.filter(duties="").exists()
    assert all(40 <= len(u.duties) <= 120 for u in units)
    education = set(
        units.filter(name__endswith="教育局").values_list("duties", flat=True)
    )
    assert len(education) == 1
    courts = units.filter(kind=UnitKind.COURT)
    assert (
        courts.get(name="州中级人民法院").duties != courts.get(name="市人民法院").duties
    )


def test_sessions(sessions):
    first, second, current = sessions["2022"], sessions["2023"], sessions["current"]
    assert (first.ordinal, first.year, first.is_current) == (1, 2022, False)
    assert (second.ordinal, second.year, second.is_current) == (2, 2023, False)
    assert current.is_current
    assert Session.objects.current() == current
    assert current.opened_on == TODAY - relativedelta(months=4)
    assert current.year == current.opened_on.year
    assert current.ordinal == current.year - 2021


# --- the 2023 session: the year-end review --------------------------------------------


def test_2023_counted_and_by_category(sessions):
    suggestions = counted(sessions["2023"])
    assert suggestions.count() == 295
    by_category = Counter(suggestions.values_list("category__name", flat=True))
    assert [by_category[c] for c in CATEGORIES] == [79, 71, 65, 35, 12, 33]
    # Filed numbers run 1…295 (rejected and merged ones were never filed).
    numbers = sorted(suggestions.values_list("number", flat=True))
    assert numbers == list(range(1, 296))


def test_2023_handler_groups(sessions):
    kinds = Counter(counted(sessions["2023"]).values_list("lead_unit__kind", flat=True))
    groups = Counter()
    for kind, n in kinds.items():
        groups[HandlerGroup.of_kind(kind)] += n
    assert groups == {"government": 249, "other_organs": 34, "standing_committee": 12}
    # "Other organs": the supervisory commission, court, procuratorate and others.
    for kind in (
        UnitKind.SUPERVISORY_COMMISSION,
        UnitKind.COURT,
        UnitKind.PROCURATORATE,
        UnitKind.OTHER,
    ):
        assert kinds[kind] > 0


def test_2023_outcomes_ratings_and_key(sessions):
    suggestions = counted(sessions["2023"])
    assert suggestions.filter(status=Status.CLOSED).count() == 295
    outcomes = Counter(suggestions.values_list("outcome", flat=True))
    assert outcomes == {"resolved": 275, "in_progress": 1, "explained": 19}
    assert outcomes.get("reference", 0) == 0
    assert pct(outcomes["resolved"], 295) == 93.2
    ratings = Counter(suggestions.values_list("rating", flat=True))
    assert ratings == {"satisfied": 265, "basically_satisfied": 30}
    assert ratings.get("dissatisfied", 0) == 0
    assert pct(ratings["satisfied"] + ratings["basically_satisfied"], 295) == 100.0
    assert suggestions.filter(key_supervised=True).count() == 36
    assert not suggestions.filter(
        key_supervised=True, supervising_leader__isnull=True
    ).exists()


def test_2023_latest_reply_and_rating_agree_with_the_records(sessions):
    """The outcome and rating kept on each suggestion are its last lead reply's and
    its last round's evaluation (re-handled ones included)."""
    suggestions = counted(sessions["2023"])
    latest_reply = {}
    for sid, round_, outcome in Reply.objects.filter(
        assignment__suggestion__in=suggestions, is_lead=True
    ).values_list("assignment__suggestion_id", "round", "outcome"):
        if round_ >= latest_reply.get(sid, (0, ""))[0]:
            latest_reply[sid] = (round_, outcome)
    latest_rating = {}
    for sid, round_, rating in Evaluation.objects.filter(
        suggestion__in=suggestions
    ).values_list("suggestion_id", "round", "rating"):
        if round_ >= latest_rating.get(sid, (0, ""))[0]:
            latest_rating[sid] = (round_, rating)
    for sid, outcome, rating in suggestions.values_list("pk", "outcome", "rating"):
        assert latest_reply[sid][1] == outcome
        assert latest_rating[sid][1] == rating
    assert Counter(o for _, o in latest_reply.values())["resolved"] == 275
    assert Counter(r for _, r in latest_rating.values())["satisfied"] == 265


def test_2023_rehandling_and_side_exits(sessions):
    session = sessions["2023"]
    rehandled = counted(session).filter(round__gt=1)
    assert rehandled.count() >= 3
    for suggestion in rehandled:
        first = suggestion.evaluations.get(round=1)
        assert first.rating == Rating.DISSATISFIED and first.comment
        assert suggestion.evaluations.get(round=2).rating != Rating.DISSATISFIED
    statuses = Counter(
        Suggestion.objects.filter(session=session)
        .exclude(status__in=COUNTED_STATUSES)
        .values_list("status", flat=True)
    )
    assert statuses["rejected"] >= 2
    assert statuses["merged"] == 2
    assert statuses["withdrawn"] == 1
    rejected = Suggestion.objects.filter(session=session, status=Status.REJECTED)
    assert not rejected.filter(disposition="").exists()
    assert not rejected.filter(rejection_reason="").exists()
    for merged in Suggestion.objects.filter(session=session, status=Status.MERGED):
        assert merged.merged_into.status in COUNTED_STATUSES


def test_2023_handling_records(sessions):
    suggestions = counted(sessions["2023"])
    signed = CoSignature.objects.filter(
        suggestion__in=suggestions, signed_at__isnull=False
    )
    assert signed.values("suggestion").distinct().count() > 100
    # Invitations come first, signatures after.
    assert not signed.filter(signed_at__lt=F("invited_at")).exists()
    lead_replies = Reply.objects.filter(
        assignment__suggestion__in=suggestions, is_lead=True
    )
    contacted = lead_replies.filter(
        assignment__contacts__contacted_at__lt=F("sent_at")
    ).distinct()
    assert contacted.count() > 0.85 * lead_replies.count()
    opinions = Reply.objects.filter(
        assignment__suggestion__in=suggestions, is_lead=False
    )
    assert opinions.count() > 20
    requests = Counter(
        AdjustmentRequest.objects.filter(
            assignment__suggestion__in=suggestions
        ).values_list("kind", "decision")
    )
    assert requests[(AdjustmentKind.REASSIGNMENT, Decision.APPROVED)] >= 1
    assert requests[(AdjustmentKind.REASSIGNMENT, Decision.DENIED)] >= 1
    assert requests[(AdjustmentKind.EXTENSION, Decision.APPROVED)] >= 1
    assert requests[(AdjustmentKind.EXTENSION, Decision.DENIED)] >= 1
    assert not requests.get((AdjustmentKind.EXTENSION, Decision.PENDING))
    # Mostly on time: the lead reply of the first round by its due date.
    first_replies = Assignment.objects.filter(
        suggestion__in=suggestions, role=AssignmentRole.LEAD, round=1, active=True
    )
    on_time = sum(
        1
        for due, replied in first_replies.values_list("due_at", "replied_at")
        if timezone.localdate(replied) <= due
    )
    assert 0.9 * 295 < on_time < 295


def test_everything_went_through_the_services_in_time_order(sessions):
    """Each suggestion's timeline starts with its creation and runs forward in time,
    with the 2023 session's steps in 2023 but the reports on its promises, which
    fall due in 2023 or 2024 (the ledger follows them into the next year)."""
    session = sessions["2023"]
    rows = (
        Event.objects.filter(suggestion__session__congress=session.congress)
        .order_by("suggestion_id", "pk")
        .values_list("suggestion_id", "action", "created_at")
    )
    timelines = {}
    for sid, action, at in rows:
        timelines.setdefault(sid, []).append((action, at))
    suggestions = Suggestion.objects.filter(session__congress=session.congress)
    assert set(timelines) == set(suggestions.values_list("pk", flat=True))
    for timeline in timelines.values():
        assert timeline[0][0] == "create"
        times = [at for _, at in timeline]
        assert times == sorted(times)
    events = Event.objects.filter(suggestion__session=session)
    years = {
        timezone.localtime(at).year
        for at in events.exclude(action="promise-report").values_list(
            "created_at", flat=True
        )
    }
    assert years == {2023}
    reports = events.filter(action="promise-report").values_list(
        "created_at", flat=True
    )
    assert {timezone.localtime(at).year for at in reports} <= {2023, 2024}
    assert (
        Event.objects.filter(
            suggestion__session__congress=session.congress,
            created_at__gte=timezone.now(),
        ).count()
        == 0
    )


# --- the 2022 session ---------------------------------------------------------------


def test_class_b_replies_carry_promises(sessions):
    """Every lead reply classed B of 2023 and 2022 states its promises; 2022's are
    reported on (kept, partly, not kept) or left open; no other reply has any."""
    for name in ("2023", "2022"):
        replies = Reply.objects.filter(
            assignment__suggestion__session=sessions[name], is_lead=True
        )
        class_b = replies.filter(outcome=Outcome.IN_PROGRESS)
        assert class_b.exists()
        assert not class_b.filter(promises__isnull=True).exists()
        assert not Promise.objects.filter(
            reply__in=replies.exclude(outcome=Outcome.IN_PROGRESS)
        ).exists()
    states = Counter(
        Promise.objects.filter(
            reply__assignment__suggestion__session=sessions["2022"]
        ).values_list("state", flat=True)
    )
    assert set(states) == {"kept", "partly", "not_kept", "open"}


def test_2022_session(sessions):
    suggestions = Suggestion.objects.filter(session=sessions["2022"])
    assert suggestions.count() == 229
    assert suggestions.filter(status=Status.CLOSED).count() == 229
    assert counted(sessions["2023"]).count() - counted(sessions["2022"]).count() == 66


# --- the current session ------------------------------------------------------------


def test_current_session_has_every_status(sessions):
    current = sessions["current"]
    suggestions = Suggestion.objects.filter(session=current)
    assert 60 <= suggestions.count() <= 100
    assert set(suggestions.values_list("status", flat=True)) == set(Status.values)
    open_ = suggestions.filter(status__in=OPEN_STATUSES)
    assert open_.filter(due_at__lt=TODAY).exists()
    assert open_.filter(due_at__gte=TODAY, due_at__lte=TODAY + timedelta(15)).exists()
    assert open_.filter(due_at__gt=TODAY + timedelta(15)).exists()
    lead = Assignment.objects.filter(
        suggestion__in=open_, role=AssignmentRole.LEAD, active=True
    )
    assert lead.filter(acknowledged_at__isnull=True).exists()
    assert lead.filter(acknowledged_at__isnull=False).exists()
    pending = set(
        AdjustmentRequest.objects.filter(
            assignment__suggestion__session=current, decision=Decision.PENDING
        ).values_list("kind", flat=True)
    )
    assert pending == {AdjustmentKind.REASSIGNMENT, AdjustmentKind.EXTENSION}
    key = suggestions.filter(key_supervised=True)
    assert key.exists()
    assert set(key.values_list("supervising_leader__username", flat=True)) == {"leader"}
    # Nothing has happened yet today or later.
    assert not Event.objects.filter(
        suggestion__session=current,
        created_at__gte=datetime.combine(
            TODAY, time.min, tzinfo=timezone.get_current_timezone()
        ),
    ).exists()
    assert ContactRecord.objects.filter(
        assignment__suggestion__session=current
    ).exists()


# --- accounts -----------------------------------------------------------------------


def test_demo_accounts(demo, demo_output, sessions, settings):
    result, output = demo, demo_output
    # The demo was loaded before this test's fast hasher was configured.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    User = get_user_model()
    users = {u.username: u for u in User.objects.filter(username__in=DEMO_ACCOUNTS)}
    assert len(users) == len(DEMO_ACCOUNTS) == 13
    for user in users.values():
        assert user.check_password("demo2023"), user.username
        assert user.username in output
    assert users["admin"].is_superuser
    assert users["admin"].staff_body_ids
    assert users["staff"].is_congress_staff and users["staff"].name == "王芳"
    assert users["leader"].is_leader and not users["leader"].is_congress_staff
    assert users["leader"].leader_body_ids
    assert users["leader"].name == "李主任"
    assert users["unit"].unit.name == "州教育局"
    assert users["unit2"].unit.name == "州交通运输局"
    assert users["deputy2"].is_deputy
    assert [u for u, _ in result.accounts] == DEMO_ACCOUNTS

    deputy = users["deputy"].deputy_profile
    current = sessions["current"]
    led = set(
        Suggestion.objects.filter(session=current, lead_deputy=deputy).values_list(
            "status", flat=True
        )
    )
    assert {Status.DRAFT, Status.SUBMITTED, Status.REPLIED} <= led
    assert len(led) >= 4
    invited = CoSignature.objects.filter(
        deputy=deputy, signed_at__isnull=True, suggestion__session=current
    ).exclude(suggestion__lead_deputy=deputy)
    assert {Status.DRAFT, Status.SUBMITTED} <= set(
        invited.values_list("suggestion__status", flat=True)
    )
    # The clerks' units have work in several states.
    for username in ("unit", "unit2"):
        states = set(
            Assignment.objects.filter(
                unit=users[username].unit, suggestion__session=current
            ).values_list("suggestion__status", flat=True)
        )
        assert {Status.ASSIGNED, Status.REPLIED, Status.CLOSED} <= states
    # The other accounts exist but cannot log in (the prefecture's deputies but
    # the three who log in, its units' clerks but two).
    others = User.objects.filter(username__startswith=demo_module.AUTO_PREFIX)
    units = HandlingUnit.objects.filter(body=result.congress.body).count()
    assert others.count() == 352 - 3 + units - 2
    assert not any(u.has_usable_password() for u in others[:20])


def test_the_invented_history_is_not_mailed(sessions):
    """The services notify as they go; the demo keeps the messages in the inboxes
    (only the current session's unread) but sends none of them."""
    from notifications.models import Delivery, Notification

    assert not Delivery.objects.filter(status="pending").exists()
    assert Notification.objects.filter(suggestion__session=sessions["2023"]).exists()
    unread = Notification.objects.filter(read_at__isnull=True)
    # The current sessions' (the prefecture's and each county's) stay unread.
    assert not unread.exclude(suggestion__session__is_current=True).exists()
    assert unread.filter(suggestion__session=sessions["current"]).exists()
    assert unread.filter(recipient__username="staff").exists()
    # Placeholder accounts never receive e-mail.
    placeholders = get_user_model().objects.filter(
        username__startswith=demo_module.AUTO_PREFIX
    )
    assert not placeholders.filter(notify_email=True).exists()


# --- the dashboard ------------------------------------------------------------------


def _check_dashboard(figures, sessions):
    check_article_figures(figures, sessions)
    assert figures["resolved_or_planned_rate"] == 93.6
    assert figures["reply_rate"] == 100.0
    assert len(figures["by_delegation"]) == 7


def test_dashboard_statistics(sessions):
    from dashboard.statistics import session_statistics

    _check_dashboard(session_statistics(sessions["2023"], today=TODAY), sessions)


def test_the_2023_units_are_scored_with_the_prefectures_formula(sessions):
    """The demo body's 绩效考核 formula scores its sessions: every unit leading a
    2023 suggestion has a score made of its items, the re-handled ones lose points,
    and the sealed session's formula cannot be changed."""
    from common.errors import SessionSealed
    from dashboard import assessment, services
    from dashboard.models import AssessmentFormula

    session = sessions["2023"]
    result = assessment.assess(session, today=TODAY)
    assert not result.formula.is_default
    assert result.formula.weights["rating_dissatisfied"] == 5
    leads = set(counted(session).values_list("lead_unit", flat=True))
    scored = {row.unit.pk for row in result.scores}
    assert leads <= scored
    for row in result.scores:
        assert row.score == sum(item.points for item in row.items)
    rehandled = counted(session).filter(round__gt=1).count()
    items = [i for r in result.scores for i in r.items if i.rule.key == "rehandling"]
    assert len(items) == rehandled > 0
    assert [r.rank for r in result.scores] == sorted(r.rank for r in result.scores)
    formula = AssessmentFormula.objects.get(body=session.congress.body)
    staff = (
        get_user_model()
        .objects.filter(
            memberships__body=session.congress.body, memberships__role="staff"
        )
        .first()
    )
    with pytest.raises(SessionSealed):
        services.formula_update(formula_id=formula.pk, actor=staff, weights={})


def test_stats_command(sessions):
    out = io.StringIO()
    call_command("stats", "--session", str(sessions["2023"].pk), "--json", stdout=out)
    _check_dashboard(json.loads(out.getvalue()), sessions)


# --- loading again ------------------------------------------------------------------


def _row_counts():
    models = [
        Congress,
        Session,
        Delegation,
        Deputy,
        HandlingUnit,
        Category,
        get_user_model(),
        Suggestion,
        CoSignature,
        Assignment,
        AdjustmentRequest,
        ContactRecord,
        Reply,
        Evaluation,
        Event,
    ]
    return {m.__name__: m.objects.count() for m in models}


def test_second_load_changes_nothing(demo):
    before = _row_counts()
    out = io.StringIO()
    result = load_demo(today=TODAY, stdout=out)
    assert not result.created
    assert "demo data already loaded" in out.getvalue()
    assert _row_counts() == before
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "demo data already loaded" in out.getvalue()
    assert _row_counts() == before


def test_delete_demo_removes_it_all(demo):
    """What ``--reset`` does first (rolled back here)."""
    User = get_user_model()
    with transaction.atomic():
        demo_module.delete_demo()
        assert not Congress.objects.exists()
        assert not Suggestion.objects.exists()
        assert not Deputy.objects.exists()
        assert not HandlingUnit.objects.exists()
        assert not CongressBody.objects.exists()
        assert not User.objects.exists()
        transaction.set_rollback(True)
    assert Congress.objects.count() == 3


# --- the county congresses ----------------------------------------------------------

COUNTIES = {"昌吉市": "昌吉市人民代表大会", "玛纳斯县": "玛纳斯县人民代表大会"}


@pytest.fixture
def counties(demo):
    """Per county region: its congress and sessions ("2023", "current")."""
    return demo.counties


def test_county_congresses(demo, counties):
    """Two county bodies under the prefecture's, each with its 18th congress, a 2023
    and a current session, delegations by township and street, a few dozen deputies
    and its own units."""
    prefecture = demo.congress
    assert set(counties) == set(COUNTIES)
    for region, (congress, sessions) in counties.items():
        body = congress.body
        assert (body.name, body.region, body.level) == (
            COUNTIES[region],
            region,
            "county",
        )
        assert body.parent_id == prefecture.body_id
        assert congress.ordinal == 18
        assert set(sessions) == {"2023", "current"}
        assert (sessions["2023"].year, sessions["2023"].ordinal) == (2023, 3)
        assert sessions["2023"].is_sealed and not sessions["2023"].is_current
        current = sessions["current"]
        assert current.is_current and not current.is_sealed
        # Counties meet first: the prefecture's session is the latest opened.
        assert current.opened_on < demo.sessions["current"].opened_on
        delegations = Delegation.objects.filter(congress=congress)
        assert delegations.count() >= 7
        assert all(
            name.endswith(("街道代表团", "镇代表团", "乡代表团", "代表组"))
            for name in delegations.values_list("name", flat=True)
        )
        deputies = Deputy.objects.filter(delegation__congress=congress)
        assert 30 <= deputies.count() <= 60
        assert not deputies.filter(user__isnull=True).exists()
        units = HandlingUnit.objects.filter(body=body)
        assert units.count() >= 12
        prefix = region[-1]  # 市教育局, 县交通运输局
        assert all(u.name.startswith(prefix) for u in units)
        assert not units.filter(short_name="").exists()
        assert not units.filter(members__isnull=True).exists()
    assert HandlingUnit.objects.filter(body__name="昌吉市人民代表大会").get(
        name="市住房和城乡建设局"
    ).short_name == ("市住建局")


def test_county_sessions_number_from_one(sessions, counties):
    """Each county's 2023 session numbers its filed suggestions 1…n, as the
    prefecture's does: No. 1 exists in all three bodies."""
    for congress, county_sessions in counties.values():
        session = county_sessions["2023"]
        suggestions = counted(session)
        assert 25 <= suggestions.count() <= 60
        numbers = sorted(suggestions.values_list("number", flat=True))
        assert numbers == list(range(1, len(numbers) + 1))
        assert suggestions.filter(status=Status.CLOSED).count() == suggestions.count()
        # Handled by the county's own units, led by its own deputies.
        assert not suggestions.exclude(lead_unit__body=congress.body).exists()
        assert (
            not Suggestion.objects.filter(session=session)
            .exclude(lead_deputy__delegation__congress=congress)
            .exists()
        )
    numbered_one = Suggestion.objects.filter(number=1, session__year=2023)
    assert numbered_one.values("session__congress__body").distinct().count() == 3
    assert numbered_one.filter(session=sessions["2023"]).exists()


def test_county_current_sessions_in_several_states(counties):
    for _, county_sessions in counties.values():
        statuses = set(
            Suggestion.objects.filter(session=county_sessions["current"]).values_list(
                "status", flat=True
            )
        )
        assert {
            Status.DRAFT,
            Status.SUBMITTED,
            Status.REGISTERED,
            Status.ASSIGNED,
            Status.REPLIED,
            Status.REHANDLING,
            Status.CLOSED,
        } <= statuses


def test_county_accounts_and_roles(demo, counties, settings):
    """The county logins hold their roles in their own body only; the
    prefecture's staff and leader hold none in a county; ``dual_deputy`` is one
    login with a deputy record in the prefecture's congress and in 昌吉市's."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=DEMO_ACCOUNTS)
    }
    prefecture = demo.congress
    changji, manas = counties["昌吉市"][0], counties["玛纳斯县"][0]
    for user in users.values():
        assert user.check_password("demo2023"), user.username
    assert users["staff"].staff_body_ids == {prefecture.body_id}
    assert users["leader"].leader_body_ids == {prefecture.body_id}
    assert not users["staff"].leader_body_ids and not users["leader"].staff_body_ids
    assert users["admin"].is_superuser
    assert users["county_staff"].staff_body_ids == {changji.body_id}
    assert not users["county_staff"].leader_body_ids
    assert users["county_leader"].leader_body_ids == {changji.body_id}
    assert not users["county_leader"].is_congress_staff
    assert users["county_unit"].unit.body_id == changji.body_id
    assert users["county_unit"].unit.name == "市教育局"
    assert [
        d.delegation.congress_id for d in users["county_deputy"].deputy_profiles
    ] == [changji.pk]
    assert users["manas_staff"].staff_body_ids == {manas.body_id}
    dual = users["dual_deputy"].deputy_profiles
    assert {d.delegation.congress_id for d in dual} == {prefecture.pk, changji.pk}
    assert len({d.name for d in dual}) == 1
    in_prefecture = users["dual_deputy"].deputy_in(prefecture.pk)
    assert in_prefecture.delegation.name == "昌吉市代表团"
    # The county's demo logins lead suggestions of their own.
    for username in ("county_deputy", "dual_deputy"):
        assert Suggestion.objects.filter(
            lead_deputy__user=users[username], session__congress=changji
        ).exists()
    # Who does what where, in the loader's list of accounts.
    notes = dict(demo.accounts)
    assert "昌吉市人大" in notes["county_staff"]
    assert "玛纳斯县人大" in notes["manas_staff"]
    assert "昌吉州人大" in notes["dual_deputy"] and "昌吉市人大" in notes["dual_deputy"]


def test_each_body_sees_only_its_own_suggestions(sessions, counties):
    """``visible_to``: a county's staff see none of the prefecture's suggestions,
    nor another county's, and the prefecture's staff and leader none of a
    county's; the deputy of two congresses sees their suggestions in both."""
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=DEMO_ACCOUNTS)
    }
    prefecture = sessions["2023"].congress
    changji, manas = counties["昌吉市"][0], counties["玛纳斯县"][0]

    def bodies_seen(username):
        visible = Suggestion.objects.visible_to(users[username])
        return set(visible.values_list("session__congress__body", flat=True))

    assert bodies_seen("county_staff") == {changji.body_id}
    assert bodies_seen("county_leader") == {changji.body_id}
    assert bodies_seen("manas_staff") == {manas.body_id}
    assert bodies_seen("staff") == {prefecture.body_id}
    assert bodies_seen("leader") == {prefecture.body_id}
    assert bodies_seen("county_unit") == {changji.body_id}
    assert bodies_seen("dual_deputy") == {prefecture.body_id, changji.body_id}
    assert bodies_seen("admin") == {
        prefecture.body_id,
        changji.body_id,
        manas.body_id,
    }
    # The county's staff see all of its filed suggestions.
    filed = counted(counties["昌吉市"][1]["2023"])
    visible = Suggestion.objects.visible_to(users["county_staff"])
    assert visible.filter(pk__in=filed).count() == filed.count()


def test_county_dashboards(counties):
    """Each county's 2023 session has figures of its own on the dashboard."""
    from dashboard.statistics import session_statistics

    for _, county_sessions in counties.values():
        session = county_sessions["2023"]
        figures = session_statistics(session, today=TODAY)
        assert figures["suggestions"] == counted(session).count()
        assert 60 <= figures["completion_rate"] <= 100
        assert figures["satisfaction_rate"] >= 90
        assert len(figures["by_delegation"]) >= 5
        assert sum(r["count"] for r in figures["by_category"]) == figures["suggestions"]

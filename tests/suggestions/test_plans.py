"""The 五定 plan (issue 17, item 1): the lead unit files its plan within the rules'
working days of acknowledging (10 by default); the completion date no later than the
deadline; milestones between the acknowledgement and the completion date; a late
plan only with a reason, marked late; revisions and progress on the timeline; a
milestone passed without a report reminded once a day until reported."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from common import clock
from common.errors import InvalidInput, InvalidTransition, NotFound, NotPermitted
from congress.models import HandlingRules
from notifications import reminders
from notifications.models import Reminder
from suggestions import actions, plans, services
from suggestions.models import Event, HandlingPlan, ProgressReport, Status
from tests.factories import Journey, UnitMemberFactory
from tests.notifications.helpers import inbox

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Monday in a month without public holidays: acknowledged on 2 March 2026, the
# plan is due ten working days later, on Monday 16 March; the reply by 2 June.
ASSIGNED = dt.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)
PLAN_DUE = dt.date(2026, 3, 16)
DEADLINE = dt.date(2026, 6, 2)


def at(day: dt.date, hour: int = 11) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=SHANGHAI)


def plan_fields(**overrides) -> dict:
    fields = {
        "responsible_leader": "王副局长",
        "officer": "李明",
        "officer_phone": "0994-2345678",
        "measures": "实地调研，会同财政部门制定改造方案。",
        "milestones": [
            {"title": "完成实地调研", "due_on": dt.date(2026, 3, 31)},
            {"title": "制定改造方案", "due_on": dt.date(2026, 4, 30)},
        ],
        "complete_by": dt.date(2026, 5, 20),
    }
    fields.update(overrides)
    return fields


@pytest.fixture
def journey():
    """Assigned on ASSIGNED to a lead unit and a co-unit, both acknowledged then."""
    j = Journey(co_unit=True)
    HandlingRules.objects.get_or_create(congress=j.session.congress)
    with clock.frozen_at(ASSIGNED):
        j.to(Status.ASSIGNED)
        j.acknowledge()
        services.assignment_acknowledge(
            assignment_id=j.co_assignment().pk, actor=j.co_clerk
        )
    return j


def file(j: Journey, when: dt.datetime, **overrides) -> HandlingPlan:
    with clock.frozen_at(when):
        return services.assignment_file_plan(
            assignment_id=j.lead_assignment().pk,
            actor=j.clerk,
            **plan_fields(**overrides),
        )


def test_the_plan_is_due_ten_working_days_after_acknowledging(journey):
    """The due day counts working days from the acknowledgement (rules' setting)."""
    lead = journey.lead_assignment()
    assert lead.due_at == DEADLINE
    rules = HandlingRules.objects.get(congress=journey.session.congress)
    assert rules.plan_working_days == 10
    assert plans.plan_due_on(lead, rules).date == PLAN_DUE
    rules.plan_working_days = 5
    rules.save()
    assert plans.plan_due_on(lead, rules).date == dt.date(2026, 3, 9)


def test_the_lead_unit_files_its_plan_on_time(journey):
    """Filed by its due day: not late, the five 定 and the milestones kept, on the
    timeline."""
    plan = file(journey, at(PLAN_DUE, 17))
    assert plan.due_on == PLAN_DUE
    assert not plan.filed_late and plan.late_reason == ""
    assert plan.responsible_leader == "王副局长"
    assert plan.officer_phone == "0994-2345678"
    assert [(m.title, m.due_on) for m in plan.milestones.all()] == [
        ("完成实地调研", dt.date(2026, 3, 31)),
        ("制定改造方案", dt.date(2026, 4, 30)),
    ]
    event = Event.objects.filter(suggestion=journey.suggestion).last()
    assert event.action == "plan"
    assert event.data["assignment"] == journey.lead_assignment().pk
    assert event.data["late"] is False


def test_a_late_plan_needs_a_reason(journey):
    """After its due day: refused without a reason (400 on late_reason, naming the
    due day); with one, filed and marked late, the reason on the timeline."""
    with pytest.raises(InvalidInput) as refused:
        file(journey, at(PLAN_DUE + dt.timedelta(days=1)))
    assert refused.value.field == "late_reason"
    assert "2026" in str(refused.value.message)
    assert not HandlingPlan.objects.exists()
    plan = file(
        journey, at(PLAN_DUE + dt.timedelta(days=1)), late_reason="责任分工待协调。"
    )
    assert plan.filed_late and plan.late_reason == "责任分工待协调。"
    event = Event.objects.filter(suggestion=journey.suggestion, action="plan").get()
    assert event.note == "责任分工待协调。" and event.data["late"] is True


def test_a_reason_given_on_time_is_not_kept(journey):
    plan = file(journey, at(PLAN_DUE), late_reason="不需要。")
    assert not plan.filed_late and plan.late_reason == ""


def test_the_completion_date_may_not_pass_the_deadline(journey):
    """A completion date after the assignment's deadline is refused with the
    deadline named; the deadline itself is allowed."""
    with pytest.raises(InvalidInput) as refused:
        file(journey, at(PLAN_DUE), complete_by=DEADLINE + dt.timedelta(days=1))
    assert refused.value.field == "complete_by"
    assert not HandlingPlan.objects.exists()
    assert file(journey, at(PLAN_DUE), complete_by=DEADLINE).complete_by == DEADLINE


@pytest.mark.parametrize(
    "due_on",
    [dt.date(2026, 3, 1), dt.date(2026, 5, 21)],
    ids=["before-acknowledging", "after-completion"],
)
def test_milestones_fall_between_acknowledging_and_completion(journey, due_on):
    with pytest.raises(InvalidInput) as refused:
        file(
            journey,
            at(PLAN_DUE),
            milestones=[{"title": "完成调研", "due_on": due_on}],
        )
    assert refused.value.field == "milestones"
    assert not HandlingPlan.objects.exists()


@pytest.mark.parametrize(
    "milestones",
    [[], [{"title": "", "due_on": dt.date(2026, 4, 1)}], [{"title": "调研"}]],
    ids=["none", "no-title", "no-date"],
)
def test_each_milestone_needs_a_title_and_a_date(journey, milestones):
    with pytest.raises(InvalidInput) as refused:
        file(journey, at(PLAN_DUE), milestones=milestones)
    assert refused.value.field == "milestones"


def test_a_phone_is_required_and_checked(journey):
    for phone in ("", "call me"):
        with pytest.raises(InvalidInput) as refused:
            file(journey, at(PLAN_DUE), officer_phone=phone)
        assert refused.value.field == "officer_phone"


def test_only_the_lead_units_clerk_files_it(journey):
    """A co-unit may never file a plan (403); another unit finds nothing (404);
    staff are not the unit (403)."""
    lead = journey.lead_assignment()
    with clock.frozen_at(at(PLAN_DUE)):
        with pytest.raises(NotPermitted):
            services.assignment_file_plan(
                assignment_id=journey.co_assignment().pk,
                actor=journey.co_clerk,
                **plan_fields(),
            )
        with pytest.raises(NotFound):
            services.assignment_file_plan(
                assignment_id=lead.pk, actor=UnitMemberFactory(), **plan_fields()
            )
        with pytest.raises(NotPermitted):
            services.assignment_file_plan(
                assignment_id=lead.pk, actor=journey.staff, **plan_fields()
            )
    assert not HandlingPlan.objects.exists()
    assert "plan" not in actions.assignment_actions(
        journey.co_clerk, journey.co_assignment()
    )


def test_only_while_the_assignment_is_handled():
    """Not before acknowledging, not after the reply (409)."""
    j = Journey()
    with clock.frozen_at(ASSIGNED):
        j.to(Status.ASSIGNED)
    lead = j.lead_assignment()
    with clock.frozen_at(at(PLAN_DUE)), pytest.raises(InvalidTransition):
        services.assignment_file_plan(
            assignment_id=lead.pk, actor=j.clerk, **plan_fields()
        )
    assert "plan" not in actions.assignment_actions(j.clerk, lead)
    with clock.frozen_at(ASSIGNED + dt.timedelta(hours=1)):
        j.acknowledge()
    assert "plan" in actions.assignment_actions(j.clerk, j.lead_assignment())
    with clock.frozen_at(at(dt.date(2026, 3, 10))):
        j.reply()
    with clock.frozen_at(at(PLAN_DUE)), pytest.raises(InvalidTransition):
        services.assignment_file_plan(
            assignment_id=lead.pk, actor=j.clerk, **plan_fields()
        )
    assert not HandlingPlan.objects.exists()


def test_a_revision_is_recorded_and_keeps_the_reports_of_kept_milestones(journey):
    """Filed again: the same plan revised (never late for it), the milestones
    replaced, a milestone kept by title keeping its progress; on the timeline."""
    plan = file(journey, at(PLAN_DUE))
    kept = plan.milestones.get(title="完成实地调研")
    with clock.frozen_at(at(dt.date(2026, 4, 1))):
        services.assignment_report_progress(
            assignment_id=journey.lead_assignment().pk,
            actor=journey.clerk,
            milestone=kept.pk,
            note="已完成实地调研。",
        )
    revised = file(
        journey,
        at(dt.date(2026, 4, 2)),
        responsible_leader="张局长",
        milestones=[
            {"title": "完成实地调研", "due_on": dt.date(2026, 4, 1)},
            {"title": "完成方案论证", "due_on": dt.date(2026, 5, 10)},
        ],
    )
    assert revised.pk == plan.pk and revised.revisions == 1
    assert revised.responsible_leader == "张局长"
    assert not revised.filed_late
    assert [m.title for m in revised.milestones.all()] == [
        "完成实地调研",
        "完成方案论证",
    ]
    assert revised.milestones.get(title="完成实地调研").pk == kept.pk
    assert ProgressReport.objects.get().milestone_id == kept.pk
    actions_on_timeline = list(
        Event.objects.filter(suggestion=journey.suggestion)
        .filter(action__in=["plan", "revise-plan", "progress"])
        .values_list("action", flat=True)
    )
    assert actions_on_timeline == ["plan", "progress", "revise-plan"]


def test_progress_needs_a_plan_and_one_of_its_milestones(journey):
    lead = journey.lead_assignment()
    with clock.frozen_at(at(PLAN_DUE)), pytest.raises(InvalidTransition):
        services.assignment_report_progress(
            assignment_id=lead.pk, actor=journey.clerk, note="进展顺利。"
        )
    plan = file(journey, at(PLAN_DUE))
    other = Journey()
    with clock.frozen_at(ASSIGNED):
        other.to(Status.ASSIGNED)
        other.acknowledge()
    foreign = file(other, at(PLAN_DUE)).milestones.first()
    with clock.frozen_at(at(PLAN_DUE)):
        with pytest.raises(InvalidInput) as refused:
            services.assignment_report_progress(
                assignment_id=lead.pk,
                actor=journey.clerk,
                milestone=foreign.pk,
                note="进展顺利。",
            )
        assert refused.value.field == "milestone"
        with pytest.raises(NotPermitted):
            services.assignment_report_progress(
                assignment_id=journey.co_assignment().pk,
                actor=journey.co_clerk,
                note="进展顺利。",
            )
        general = services.assignment_report_progress(
            assignment_id=lead.pk, actor=journey.clerk, note="进展顺利。"
        )
    assert general.plan_id == plan.pk and general.milestone is None


# --- reminders ------------------------------------------------------------------------


def test_a_milestone_passed_without_a_report_is_reminded_once_a_day(journey):
    """The day after a milestone without progress, the lead unit's clerks are
    reminded; the same day again, nothing; the next day, again; once progress is
    reported against it, never more. The co-unit is not reminded."""
    plan = file(journey, at(PLAN_DUE))
    first = plan.milestones.get(title="完成实地调研")  # due 31 March
    reminders.sweep(today=dt.date(2026, 3, 31))
    assert inbox(journey.clerk, "milestone_unreported") == []
    reminders.sweep(today=dt.date(2026, 4, 1))
    [message] = inbox(journey.clerk, "milestone_unreported")
    assert "完成实地调研" in message.body or "完成实地调研" in message.title
    assert message.suggestion_id == journey.suggestion.pk
    assert Reminder.objects.filter(key=f"milestone:{first.pk}:2026-04-01").exists()
    reminders.sweep(today=dt.date(2026, 4, 1))
    assert len(inbox(journey.clerk, "milestone_unreported")) == 1
    reminders.sweep(today=dt.date(2026, 4, 2))
    assert len(inbox(journey.clerk, "milestone_unreported")) == 2
    with clock.frozen_at(at(dt.date(2026, 4, 2), 15)):
        services.assignment_report_progress(
            assignment_id=journey.lead_assignment().pk,
            actor=journey.clerk,
            milestone=first.pk,
            note="已完成实地调研。",
        )
    reminders.sweep(today=dt.date(2026, 4, 3))
    assert len(inbox(journey.clerk, "milestone_unreported")) == 2
    assert inbox(journey.co_clerk, "milestone_unreported") == []


def test_no_milestone_reminder_once_replied(journey):
    """Work no longer live is not reminded of its milestones."""
    file(journey, at(PLAN_DUE))
    with clock.frozen_at(at(dt.date(2026, 3, 20))):
        journey.reply()
    reminders.sweep(today=dt.date(2026, 4, 5))
    assert inbox(journey.clerk, "milestone_unreported") == []


def test_plans_on_the_pages_display_the_rules(journey):
    """``views.unit.plan_context``: due day before filing, overdue after it."""
    from suggestions.views.unit import plan_context

    lead = journey.lead_assignment()
    rules = HandlingRules.objects.get(congress=journey.session.congress)
    before = plan_context(lead, rules, PLAN_DUE)
    assert before["plan"] is None and before["plan_due"] == PLAN_DUE
    assert not before["plan_overdue"]
    after = plan_context(lead, rules, PLAN_DUE + dt.timedelta(days=1))
    assert after["plan_overdue"]


def test_the_dashboard_counts_plans_filed_on_time(journey):
    """计划按时制定率: acknowledged first lead assignments, of them those whose plan
    was filed by its due day; a late plan counts in the denominator only."""
    from dashboard.statistics import session_statistics

    with clock.frozen_at(at(PLAN_DUE)):
        stats = session_statistics(journey.session)
    assert (stats["acknowledged"], stats["plans_on_time"]) == (1, 0)
    assert stats["plan_on_time_rate"] == 0.0
    file(journey, at(PLAN_DUE))
    with clock.frozen_at(at(PLAN_DUE)):
        stats = session_statistics(journey.session)
    assert (stats["plans_on_time"], stats["plan_on_time_rate"]) == (1, 100.0)
    late = Journey()
    with clock.frozen_at(ASSIGNED):
        late.session = journey.session
        late.to(Status.ASSIGNED)
        late.acknowledge()
    file(late, at(PLAN_DUE + dt.timedelta(days=3)), late_reason="延后。")
    with clock.frozen_at(at(PLAN_DUE + dt.timedelta(days=3))):
        stats = session_statistics(journey.session)
    assert (stats["acknowledged"], stats["plans_on_time"]) == (2, 1)
    assert stats["plan_on_time_rate"] == 50.0

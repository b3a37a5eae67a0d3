"""The rules of the 五定 plan (定责任领导、定承办人员、定办理措施、定办理进度、定办结时限),
each in one function: the services enforce them, the pages and the API display their
answers (docs/workflow.md, "The 五定 plan").

- When it is due: ``plan_due_on`` (the rules' ``plan_working_days`` after the lead
  unit acknowledged, on the body's working-day calendar).
- Late: ``is_late`` (filed after that day); a late plan needs a reason.
- The completion date: ``latest_completion`` (the assignment's deadline).
- The milestones: ``milestone_range`` (from acknowledging to the completion date).
- Which milestones are owed a report: ``passed_unreported`` (the reminder sweep's).
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from congress.calendar import WorkingDays
from congress.models import HandlingRules

from . import deadlines
from .models import Assignment, HandlingPlan, PlanMilestone, ProgressReport

MAX_MILESTONES = 20


def plan_due_on(assignment: Assignment, rules: HandlingRules) -> WorkingDays | None:
    """The last day the plan is filed on time; None before the unit acknowledged
    (the time runs from acknowledging)."""
    if assignment.acknowledged_at is None:
        return None
    return deadlines.plan_due(rules, timezone.localdate(assignment.acknowledged_at))


def is_late(due_on: date, filed_on: date) -> bool:
    """A plan filed after its due day is late (the due day itself is on time)."""
    return filed_on > due_on


def latest_completion(assignment: Assignment) -> date:
    """The completion date (办结时限) may be no later than the assignment's
    deadline (an approved extension moves both)."""
    return assignment.due_at


def milestone_range(assignment: Assignment, complete_by: date) -> tuple[date, date]:
    """The days a milestone may fall on: from the day the unit acknowledged to the
    plan's completion date, both included."""
    start = timezone.localdate(assignment.acknowledged_at)
    return start, complete_by


@dataclass(frozen=True)
class Milestone:
    title: str
    due_on: date


def check_complete_by(assignment: Assignment, complete_by) -> date:
    """``complete_by`` as a date no later than the deadline, else ``InvalidInput``
    on ``complete_by`` saying the latest day."""
    from common.errors import InvalidInput

    if not isinstance(complete_by, date):
        raise InvalidInput(_("Enter a date."), field="complete_by")
    latest = latest_completion(assignment)
    if complete_by > latest:
        raise InvalidInput(
            _(
                "The completion date cannot be later than the handling deadline, "
                "%(date)s; ask for an extension first if more time is needed."
            )
            % {"date": formats.date_format(latest)},
            field="complete_by",
        )
    start = timezone.localdate(assignment.acknowledged_at)
    if complete_by < start:
        raise InvalidInput(
            _("The completion date cannot be before the assignment was acknowledged."),
            field="complete_by",
        )
    return complete_by


def check_milestones(
    assignment: Assignment, milestones, complete_by: date
) -> list[Milestone]:
    """The milestones as ``Milestone`` rows, each with a title and a date within
    ``milestone_range``; at least one, at most ``MAX_MILESTONES``, else
    ``InvalidInput`` on ``milestones``."""
    from common import text
    from common.errors import InvalidInput

    if not isinstance(milestones, list | tuple) or not milestones:
        raise InvalidInput(
            _("Give at least one milestone with its date."), field="milestones"
        )
    if len(milestones) > MAX_MILESTONES:
        raise InvalidInput(
            _("At most %(n)d milestones.") % {"n": MAX_MILESTONES}, field="milestones"
        )
    first, last = milestone_range(assignment, complete_by)
    rows = []
    for item in milestones:
        title = item.get("title") if isinstance(item, dict) else None
        due_on = item.get("due_on") if isinstance(item, dict) else None
        title = text.single_line(title) if isinstance(title, str) else ""
        if not title or len(title) > 200 or not isinstance(due_on, date):
            raise InvalidInput(
                _("Each milestone needs a title (at most 200 characters) and a date."),
                field="milestones",
            )
        if not first <= due_on <= last:
            raise InvalidInput(
                _(
                    "The milestone “%(title)s” falls on %(date)s: milestones must "
                    "fall between %(first)s and the completion date, %(last)s."
                )
                % {
                    "title": title,
                    "date": formats.date_format(due_on),
                    "first": formats.date_format(first),
                    "last": formats.date_format(last),
                },
                field="milestones",
            )
        rows.append(Milestone(title, due_on))
    return sorted(rows, key=lambda m: m.due_on)


def passed_unreported_q(today: date) -> Q:
    """Milestones (``PlanMilestone``) passed before ``today`` with no progress
    reported against them, of a plan whose assignment is still live work: each is
    owed a reminder to the unit, once a day until reported."""
    return Q(due_on__lt=today) & ~Q(
        Exists(ProgressReport.objects.filter(milestone=OuterRef("pk")))
    )


def passed_unreported(today: date):
    """``PlanMilestone`` rows owed a reminder on ``today`` (``passed_unreported_q``),
    of live assignments only."""
    live = Assignment.objects.live().filter(pk=OuterRef("plan__assignment_id"))
    return PlanMilestone.objects.filter(passed_unreported_q(today)).filter(Exists(live))


@dataclass(frozen=True)
class MilestoneRow:
    milestone: PlanMilestone
    reported: bool
    passed: bool


def milestone_rows(
    plan: HandlingPlan, today: date, *, live: bool = True
) -> list[MilestoneRow]:
    """The plan's milestones as the pages show them: reported against or not, and
    passed (before ``today``, while the work is ``live``: once replied, a milestone
    is owed nothing, as the reminders say); from what was loaded with the plan."""
    reported = {r.milestone_id for r in plan.reports.all()}
    return [
        MilestoneRow(m, m.pk in reported, live and m.due_on < today)
        for m in plan.milestones.all()
    ]


def plan_of(assignment: Assignment) -> HandlingPlan | None:
    """The assignment's plan (None when none is filed), from what was loaded with
    it where the caller joined it."""
    return getattr(assignment, "plan", None)

"""The lead unit's 五定 plan and its progress (docs/workflow.md, "The 五定 plan"):
filed within working days of acknowledging, revised as the work goes, reported on
against its milestones."""

from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from common import clock
from common.errors import InvalidInput

from .. import actions, plans, workflow
from ..models import HandlingPlan, PlanMilestone, ProgressReport
from ._shared import _lock_assignment, _rules, _text
from .handling import _phone


@transaction.atomic
def assignment_file_plan(
    *,
    assignment_id: int,
    actor,
    responsible_leader: str,
    officer: str,
    officer_phone: str,
    measures: str,
    milestones: Sequence[dict],
    complete_by: date,
    late_reason: str = "",
) -> HandlingPlan:
    """File the lead unit's 五定 plan, or revise the one filed (the milestones are
    replaced; a kept title keeps its reports). The completion date may not pass the
    deadline; the milestones fall between acknowledging and that date; a first
    filing after its due day (``plans.plan_due_on``) needs ``late_reason`` and is
    marked late. Each filing and revision is on the timeline."""
    suggestion, assignment = _lock_assignment(assignment_id)
    handling = _rules(suggestion)
    actions.require(actor, "plan", assignment, rules=handling)
    fields = {
        "responsible_leader": _text(
            responsible_leader, "responsible_leader", max_length=100, one_line=True
        ),
        "officer": _text(officer, "officer", max_length=50, one_line=True),
        "officer_phone": _phone(officer_phone, "officer_phone"),
        "measures": _text(measures, "measures", max_length=20_000),
    }
    if not fields["officer_phone"]:
        raise InvalidInput(_("This field is required."), field="officer_phone")
    complete_by = plans.check_complete_by(assignment, complete_by)
    steps = plans.check_milestones(assignment, milestones, complete_by)
    now = clock.now()
    plan = (
        HandlingPlan.objects.select_for_update().filter(assignment=assignment).first()
    )
    if plan is None:
        due_on = plans.plan_due_on(assignment, handling).date
        late = plans.is_late(due_on, timezone.localdate(now))
        reason = _text(late_reason, "late_reason", required=False, max_length=5_000)
        if late and not reason:
            raise InvalidInput(
                _("The plan was due by %(date)s: say why it is filed late.")
                % {"date": formats.date_format(due_on)},
                field="late_reason",
            )
        plan = HandlingPlan.objects.create(
            assignment=assignment,
            **fields,
            complete_by=complete_by,
            due_on=due_on,
            filed_late=late,
            late_reason=reason if late else "",
            filed_by=actor,
            filed_at=now,
        )
        action, note = "plan", plan.late_reason
    else:
        for name, value in fields.items():
            setattr(plan, name, value)
        plan.complete_by = complete_by
        plan.revised_at = now
        plan.revisions += 1
        plan.save()
        action, note = "revise-plan", ""
    _replace_milestones(plan, steps)
    workflow.move(
        suggestion,
        action,
        actor=actor,
        note=note,
        data={
            "assignment": assignment.pk,
            "plan": plan.pk,
            "complete_by": complete_by.isoformat(),
            "milestones": len(steps),
            "late": plan.filed_late,
            "revision": plan.revisions,
        },
    )
    return plan


def _replace_milestones(plan: HandlingPlan, steps) -> None:
    """The plan's milestones become ``steps``: one with the title of an existing
    milestone keeps that row (and the progress reported against it) with the new
    date; the others are removed, their reports keeping the title."""
    existing = {m.title: m for m in plan.milestones.all()}
    keep, new = [], []
    for step in steps:
        row = existing.pop(step.title, None)
        if row is None:
            new.append(PlanMilestone(plan=plan, title=step.title, due_on=step.due_on))
        elif row.due_on != step.due_on:
            row.due_on = step.due_on
            keep.append(row)
    if existing:
        PlanMilestone.objects.filter(pk__in=[m.pk for m in existing.values()]).delete()
    if keep:
        PlanMilestone.objects.bulk_update(keep, ["due_on"])
    PlanMilestone.objects.bulk_create(new)


@transaction.atomic
def assignment_report_progress(
    *, assignment_id: int, actor, note: str, milestone: int | None = None
) -> ProgressReport:
    """Report progress on the plan, against one of its milestones (which stops its
    reminders) or in general."""
    suggestion, assignment = _lock_assignment(assignment_id)
    actions.require(actor, "progress", assignment)
    plan = assignment.plan
    step = None
    if milestone is not None:
        key = getattr(milestone, "pk", milestone)
        if isinstance(key, int) and not isinstance(key, bool):
            step = PlanMilestone.objects.filter(plan=plan, pk=key).first()
        if step is None:
            raise InvalidInput(
                _("Choose one of the plan's milestones."), field="milestone"
            )
    report = ProgressReport.objects.create(
        plan=plan,
        milestone=step,
        milestone_title=step.title if step else "",
        note=_text(note, "note", max_length=10_000),
        reported_by=actor,
        reported_at=clock.now(),
    )
    workflow.move(
        suggestion,
        "progress",
        actor=actor,
        note=report.note,
        data={
            "assignment": assignment.pk,
            "plan": plan.pk,
            "milestone": step.pk if step else None,
            "milestone_title": report.milestone_title,
        },
    )
    return report

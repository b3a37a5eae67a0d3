"""Unit assessment (绩效考核, docs/statistics.md "Unit assessment"): each handling
unit's score for a session, every point an item that names its rule, its
suggestion and why.

The scoring rules form a registry (``RULES``): each is one function that, given a
unit's work in a session (``UnitWork``), yields a ``Finding`` per occurrence; the
body's formula (``AssessmentFormula``, versioned) gives the points per finding.
A further rule (the 五定 plan filed on time, each required meeting held, the
attitude rating …) is one more function registered with ``@rule`` and its
default points; a rule that needs more rows names them in ``prefetch`` (the
assignments' relations), read once for the session.

Whether something was on time or overdue is never decided here: the rules ask
``suggestions.deadlines`` (``acknowledged_on_time``, ``replied_on_time``), the same
functions the dashboard's figures and a unit's 汇总表 use.

Lead unit and co-units: every unit is judged on acknowledging on time and on its
own reply (a co-unit's opinion) being on time or overdue, and loses points for an
approved reassignment away from it; the outcome class and the deputy's ratings
(and the re-handling they cause) are the lead unit's alone, the unit whose lead
reply was rated.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db.models import Q
from django.utils import formats, timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common import clock
from common.errors import NotFound, NotPermitted
from congress.models import ContactStage, HandlingUnit, Outcome, Session
from suggestions import deadlines
from suggestions.models import (
    COUNTED_STATUSES,
    AdjustmentKind,
    AdjustmentRequest,
    Assignment,
    Decision,
    Evaluation,
    Rating,
    Suggestion,
)

from . import figures
from .models import AssessmentFormula

# The bounds of a rule's points in a formula (per item), and their precision.
MAX_POINTS = Decimal(100)
PRECISION = Decimal("0.01")


# --- the registry ---------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One occurrence a rule scores: the suggestion it is about and why, in words."""

    suggestion: Suggestion
    explanation: str


@dataclass(frozen=True)
class Rule:
    key: str
    label: str
    description: str
    default: Decimal
    deduction: bool
    find: Callable[[UnitWork], Iterable[Finding]]
    prefetch: tuple[str, ...] = ()

    def points(self, weight: Decimal) -> Decimal:
        """The points of one finding under ``weight`` (negative for a deduction)."""
        return -weight if self.deduction else weight


RULES: dict[str, Rule] = {}


def rule(
    key: str,
    *,
    label,
    description,
    default: int | str,
    deduction: bool = False,
    prefetch: tuple[str, ...] = (),
):
    """Register ``find`` as the scoring rule ``key``: ``default`` points per finding
    in the built-in formula, subtracted when ``deduction``."""

    def register(find):
        if key in RULES:
            raise ValueError(f"Scoring rule {key!r} is registered twice.")
        RULES[key] = Rule(
            key=key,
            label=label,
            description=description,
            default=Decimal(default),
            deduction=deduction,
            find=find,
            prefetch=prefetch,
        )
        return find

    return register


def default_weights() -> dict[str, Decimal]:
    """The built-in formula: every rule at its default points."""
    return {key: r.default for key, r in RULES.items()}


# --- formulas -------------------------------------------------------------------------


def parse_points(value) -> Decimal:
    """A rule's points as a formula gives them: a number from 0 to ``MAX_POINTS``
    with at most two decimals; ``ValueError`` with the reason otherwise."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise ValueError(_("Give a number."))
    try:
        points = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(_("Give a number.")) from None
    if not points.is_finite():
        raise ValueError(_("Give a number."))
    if points < 0 or points > MAX_POINTS:
        raise ValueError(
            _("Give a number from 0 to %(max)s (a deduction rule subtracts it).")
            % {"max": MAX_POINTS}
        )
    if points != points.quantize(PRECISION):
        raise ValueError(_("Give at most two decimals."))
    return points.quantize(PRECISION).normalize() + 0


def clean_weights(value) -> dict[str, Decimal]:
    """The weights of a formula checked against the registry: a mapping of known
    rule keys to points (``parse_points``). ``ValueError`` whose ``args[0]`` lists
    every problem (one message per key) otherwise."""
    if not isinstance(value, dict):
        raise ValueError([_("Give an object mapping each rule's key to its points.")])
    errors, weights = [], {}
    for key, points in value.items():
        if key not in RULES:
            errors.append(
                _("Unknown rule “%(key)s”; the rules are: %(keys)s.")
                % {"key": key, "keys": ", ".join(RULES)}
            )
            continue
        try:
            weights[key] = parse_points(points)
        except ValueError as error:
            errors.append(f"{key}: {error.args[0]}")
    if errors:
        raise ValueError(errors)
    return weights


def stored_weights(weights: dict[str, Decimal]) -> dict:
    """The weights as JSON keeps them: in the registry's order, whole numbers as
    integers, others as their decimal value."""
    return {
        key: int(weights[key])
        if weights[key] == weights[key].to_integral()
        else float(weights[key])
        for key in RULES
        if key in weights
    }


@dataclass(frozen=True)
class Formula:
    """The points in force for a session: a stored version, or the built-in default
    (``version`` None)."""

    version: AssessmentFormula | None
    weights: dict[str, Decimal]

    @classmethod
    def of(cls, version: AssessmentFormula | None) -> Formula:
        if version is None:
            return cls(None, default_weights())
        return cls(
            version,
            {
                key: Decimal(str(points))
                for key, points in (version.weights or {}).items()
                if key in RULES
            },
        )

    @property
    def is_default(self) -> bool:
        return self.version is None

    def rows(self) -> list[tuple[Rule, Decimal]]:
        """Each rule of the registry with its points under this formula (0: not
        scored), in the registry's order."""
        return [(r, self.weights.get(key, Decimal(0))) for key, r in RULES.items()]


def version_in_force(
    versions: Iterable[AssessmentFormula], opened_on: date
) -> AssessmentFormula | None:
    """Of one body's ``versions``, the one in force on ``opened_on``: the latest
    ``effective_from`` on or before it (None: the built-in default)."""
    found = None
    for version in versions:
        if version.effective_from <= opened_on and (
            found is None or version.effective_from > found.effective_from
        ):
            found = version
    return found


def formula_for(session: Session) -> Formula:
    """The formula ``session`` is scored with (one query)."""
    version = (
        AssessmentFormula.objects.filter(
            body__congresses=session.congress_id,
            effective_from__lte=session.opened_on,
        )
        .order_by("-effective_from")
        .first()
    )
    return Formula.of(version)


# --- a unit's work in a session -------------------------------------------------------


def _day(moment) -> str:
    """A date as the interface writes it (2023年3月9日)."""
    if moment is None:
        return ""
    if isinstance(moment, datetime):
        moment = timezone.localdate(moment)
    return formats.date_format(moment)


@dataclass
class SessionWork:
    """What the rules read of one session, each read once for every unit."""

    session: Session
    today: date
    # (suggestion id, round) → the deputy's rating of that round's lead reply.
    evaluations: dict[tuple[int, int], Evaluation] = field(default_factory=dict)
    # assignment id → its approved reassignment.
    reassignments: dict[int, AdjustmentRequest] = field(default_factory=dict)
    # suggestion id → the round of its latest lead reply.
    latest_reply_round: dict[int, int] = field(default_factory=dict)
    # local day of assignment → last day of its reassignment window.
    window_ends: dict[date, date] = field(default_factory=dict)
    # The meetings with the deputy (三见面) the rules require before a lead reply.
    required_stages: list[str] = field(default_factory=list)


@dataclass
class UnitWork:
    """One unit's assignments of a session's counted suggestions (every round,
    reassigned ones included), by suggestion number, and the session's facts."""

    unit: HandlingUnit
    assignments: list[Assignment]
    session: SessionWork

    @property
    def today(self) -> date:
        return self.session.today

    def active(self) -> Iterator[Assignment]:
        """Those still the unit's (not reassigned elsewhere)."""
        return (a for a in self.assignments if a.active)

    def active_leads(self) -> Iterator[Assignment]:
        return (a for a in self.active() if a.is_lead)

    def evaluation(self, assignment: Assignment) -> Evaluation | None:
        """The rating of the round ``assignment`` (a lead one) answered."""
        return self.session.evaluations.get(
            (assignment.suggestion_id, assignment.round)
        )

    def window_end(self, assignment: Assignment) -> date:
        return self.session.window_ends[timezone.localdate(assignment.assigned_at)]


def load(session: Session, *, today: date | None = None) -> list[UnitWork]:
    """Every unit's work in ``session``: four queries (the assignments with their
    suggestions, replies and units; the ratings; the approved reassignments; the
    rules) and the calendar's, plus one per relation the rules ``prefetch``."""
    today = today or clock.today()
    counted = Q(suggestion__session=session, suggestion__status__in=COUNTED_STATUSES)
    prefetch = sorted({p for r in RULES.values() for p in r.prefetch})
    assignments = list(
        Assignment.objects.filter(counted)
        .select_related("suggestion", "reply", "unit")
        .prefetch_related(*prefetch)
        .order_by("suggestion__number", "suggestion_id", "round", "pk")
    )
    work = SessionWork(session=session, today=today)
    if not assignments:
        return []
    work.evaluations = {
        (e.suggestion_id, e.round): e
        for e in Evaluation.objects.filter(
            suggestion__session=session, suggestion__status__in=COUNTED_STATUSES
        )
    }
    work.reassignments = {
        r.assignment_id: r
        for r in AdjustmentRequest.objects.filter(
            assignment__suggestion__session=session,
            assignment__suggestion__status__in=COUNTED_STATUSES,
            kind=AdjustmentKind.REASSIGNMENT,
            decision=Decision.APPROVED,
        ).select_related("new_unit")
    }
    for a in assignments:
        reply = getattr(a, "reply", None)
        if a.is_lead and a.active and reply is not None:
            work.latest_reply_round[a.suggestion_id] = max(
                a.round, work.latest_reply_round.get(a.suggestion_id, 0)
            )
    rules = deadlines.rules_for(session.congress_id)
    work.required_stages = rules.required_stages
    work.window_ends = deadlines.reassignment_window_ends(
        rules, [timezone.localdate(a.assigned_at) for a in assignments]
    )
    by_unit: dict[int, list[Assignment]] = defaultdict(list)
    units: dict[int, HandlingUnit] = {}
    for a in assignments:
        by_unit[a.unit_id].append(a)
        units[a.unit_id] = a.unit
    return [UnitWork(units[pk], rows, work) for pk, rows in by_unit.items()]


# --- the rules ------------------------------------------------------------------------


@rule(
    "acknowledged_on_time",
    label=gettext_lazy("Acknowledged on time"),
    description=gettext_lazy(
        "Per assignment of the first round (lead or co-unit, the replacement after "
        "a reassignment) acknowledged within the reassignment window."
    ),
    default=1,
)
def acknowledged_on_time(work: UnitWork) -> Iterator[Finding]:
    for a in work.active():
        if a.round != 1:
            continue
        end = work.window_end(a)
        if deadlines.acknowledged_on_time(a, end, work.today) is True:
            yield Finding(
                a.suggestion,
                _("Acknowledged on %(day)s, within the window ending %(end)s.")
                % {"day": _day(a.acknowledged_at), "end": _day(end)},
            )


@rule(
    "plan_on_time",
    label=gettext_lazy("五定 plan filed on time"),
    description=gettext_lazy(
        "Per lead assignment whose 五定 plan was filed by its due date (working "
        "days after acknowledging, in the handling rules)."
    ),
    default=1,
    prefetch=("plan",),
)
def plan_on_time(work: UnitWork) -> Iterator[Finding]:
    for a in work.active_leads():
        plan = getattr(a, "plan", None)
        if plan is not None and not plan.filed_late:
            yield Finding(
                a.suggestion,
                _("The 五定 plan of round %(round)s was filed on %(day)s, due %(due)s.")
                % {
                    "round": a.round,
                    "day": _day(plan.filed_at),
                    "due": _day(plan.due_on),
                },
            )


@rule(
    "meeting_held",
    label=gettext_lazy("Required meeting with the deputy held"),
    description=gettext_lazy(
        "Per meeting with the deputy (三见面) the handling rules require before the "
        "lead reply, recorded for a lead assignment that replied."
    ),
    default=1,
    prefetch=("contacts",),
)
def meeting_held(work: UnitWork) -> Iterator[Finding]:
    required = work.session.required_stages
    for a in work.active_leads():
        if getattr(a, "reply", None) is None or not required:
            continue
        held = {c.stage for c in a.contacts.all()}
        for stage in required:
            if stage in held:
                yield Finding(
                    a.suggestion,
                    _("Round %(round)s met the deputy: %(stage)s.")
                    % {"round": a.round, "stage": ContactStage(stage).label},
                )


@rule(
    "replied_on_time",
    label=gettext_lazy("Replied on time"),
    description=gettext_lazy(
        "Per reply (the lead reply of each round, a co-unit's opinion) sent by its "
        "due date."
    ),
    default=2,
)
def replied_on_time(work: UnitWork) -> Iterator[Finding]:
    for a in work.active():
        if deadlines.replied_on_time(a, work.today) is True:
            yield Finding(
                a.suggestion,
                _("Round %(round)s replied on %(day)s, due %(due)s.")
                % {
                    "round": a.round,
                    "day": _day(a.replied_at),
                    "due": _day(a.due_at),
                },
            )


def _outcome_rule(outcome: Outcome, default: int) -> None:
    def find(work: UnitWork) -> Iterator[Finding]:
        latest = work.session.latest_reply_round
        for a in work.active_leads():
            reply = getattr(a, "reply", None)
            if (
                reply is not None
                and latest.get(a.suggestion_id) == a.round
                and reply.outcome == outcome
            ):
                yield Finding(
                    a.suggestion,
                    _("The lead reply of round %(round)s is of class %(label)s.")
                    % {"round": a.round, "label": outcome.label},
                )

    rule(
        f"outcome_{outcome.value}",
        label=outcome.label,
        description=gettext_lazy(
            "Per suggestion whose latest lead reply the unit sent is of this class."
        ),
        default=default,
    )(find)


def _rating_rule(rating: Rating, default: int, *, deduction: bool = False) -> None:
    """The deputy's rating of the result (办理结果, ``Evaluation.rating``)."""

    def find(work: UnitWork) -> Iterator[Finding]:
        for a in work.active_leads():
            evaluation = work.evaluation(a)
            if evaluation is not None and evaluation.rating == rating:
                yield Finding(
                    a.suggestion,
                    _("The deputy rated the result of round %(round)s “%(rating)s”.")
                    % {"round": a.round, "rating": rating.label},
                )

    rule(
        f"rating_{rating.value}",
        label=format_lazy(gettext_lazy("Result: {rating}"), rating=rating.label),
        description=gettext_lazy(
            "Per lead reply whose result the deputy rated so (each round's rating "
            "counts)."
        ),
        default=default,
        deduction=deduction,
    )(find)


def _attitude_rule(rating: Rating, default: int, *, deduction: bool = False) -> None:
    """The deputy's rating of the unit's attitude (办理态度, ``Evaluation.attitude``;
    blank where it was not asked, which no rule scores)."""

    def find(work: UnitWork) -> Iterator[Finding]:
        for a in work.active_leads():
            evaluation = work.evaluation(a)
            if evaluation is not None and evaluation.attitude == rating:
                yield Finding(
                    a.suggestion,
                    _(
                        "The deputy rated the handling attitude of round %(round)s "
                        "“%(rating)s”."
                    )
                    % {"round": a.round, "rating": rating.label},
                )

    rule(
        f"attitude_{rating.value}",
        label=format_lazy(gettext_lazy("Attitude: {rating}"), rating=rating.label),
        description=gettext_lazy(
            "Per lead reply whose handling attitude the deputy rated so."
        ),
        default=default,
        deduction=deduction,
    )(find)


for _outcome, _points in (
    (Outcome.RESOLVED, 3),
    (Outcome.IN_PROGRESS, 2),
    (Outcome.EXPLAINED, 1),
    (Outcome.REFERENCE, 0),
):
    _outcome_rule(_outcome, _points)

_rating_rule(Rating.SATISFIED, 3)
_rating_rule(Rating.BASICALLY_SATISFIED, 1)
_rating_rule(Rating.DISSATISFIED, 3, deduction=True)
_attitude_rule(Rating.SATISFIED, 1)
_attitude_rule(Rating.DISSATISFIED, 1, deduction=True)


@rule(
    "rehandling",
    label=gettext_lazy("Sent back for re-handling"),
    description=gettext_lazy(
        "Per lead reply rated dissatisfied that sent the suggestion back to be "
        "handled again."
    ),
    default=2,
    deduction=True,
)
def rehandling(work: UnitWork) -> Iterator[Finding]:
    for a in work.active_leads():
        evaluation = work.evaluation(a)
        if (
            evaluation is not None
            and evaluation.rating == Rating.DISSATISFIED
            and a.suggestion.round > a.round
        ):
            yield Finding(
                a.suggestion,
                _(
                    "Rated dissatisfied in round %(round)s and sent back for round "
                    "%(next)s."
                )
                % {"round": a.round, "next": a.round + 1},
            )


@rule(
    "overdue",
    label=gettext_lazy("Overdue"),
    description=gettext_lazy(
        "Per reply sent after its due date, and per assignment still open past it."
    ),
    default=2,
    deduction=True,
)
def overdue(work: UnitWork) -> Iterator[Finding]:
    for a in work.active():
        if deadlines.replied_on_time(a, work.today) is False:
            if a.replied_at is not None:
                text = _(
                    "Round %(round)s replied on %(day)s, after its due date %(due)s."
                )
            else:
                text = _("Round %(round)s still open past its due date %(due)s.")
            yield Finding(
                a.suggestion,
                text
                % {"round": a.round, "day": _day(a.replied_at), "due": _day(a.due_at)},
            )


@rule(
    "reassigned",
    label=gettext_lazy("Reassigned away"),
    description=gettext_lazy(
        "Per approved reassignment of the unit's assignment to another unit (the "
        "unit first chosen loses the points)."
    ),
    default=1,
    deduction=True,
)
def reassigned(work: UnitWork) -> Iterator[Finding]:
    for a in work.assignments:
        request = work.session.reassignments.get(a.pk)
        if not a.active and request is not None:
            yield Finding(
                a.suggestion,
                _("Reassigned to %(unit)s on %(day)s.")
                % {"unit": request.new_unit, "day": _day(request.decided_at)},
            )


# --- scores ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    rule: Rule
    points: Decimal
    suggestion: Suggestion
    explanation: str


@dataclass
class UnitScore:
    unit: HandlingUnit
    items: list[Item]
    rank: int = 0

    @property
    def score(self) -> Decimal:
        return sum((i.points for i in self.items), Decimal(0))

    def subtotals(self) -> dict[str, Decimal]:
        """Points per rule key (only the rules that scored)."""
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for item in self.items:
            totals[item.rule.key] += item.points
        return dict(totals)


@dataclass
class Assessment:
    session: Session
    formula: Formula
    scores: list[UnitScore]


def score_unit(work: UnitWork, formula: Formula) -> UnitScore:
    items = []
    for r, weight in formula.rows():
        if not weight:
            continue
        points = r.points(weight)
        items += [Item(r, points, f.suggestion, f.explanation) for f in r.find(work)]
    return UnitScore(work.unit, items)


def assess(
    session: Session, *, today: date | None = None, unit_id: int | None = None
) -> Assessment:
    """Every unit's score in ``session`` under the formula in force for it, ranked
    (highest first; equal scores share a rank, then by name). ``unit_id``: that
    unit's row alone, still ranked among all. A bounded number of queries, whatever
    the number of units and suggestions (``load``, and the formula's)."""
    formula = formula_for(session)
    scores = [score_unit(w, formula) for w in load(session, today=today)]
    scores.sort(key=lambda s: (-s.score, s.unit.name, s.unit.pk))
    previous = None
    for position, s in enumerate(scores, start=1):
        if previous is None or s.score != previous.score:
            s.rank = position
        else:
            s.rank = previous.rank
        previous = s
    if unit_id is not None:
        scores = [s for s in scores if s.unit.pk == unit_id]
    return Assessment(session, formula, scores)


def number(value: Decimal | int) -> int | float:
    """Points as JSON and Excel carry them: whole numbers as integers."""
    value = Decimal(value)
    return int(value) if value == value.to_integral() else float(value)


# --- who reads which scores -----------------------------------------------------------


@dataclass(frozen=True)
class Reader:
    """What a user reads of the scores: ``scope`` (the session, its body and
    whether the rows link to the suggestions) and ``unit_id`` (a unit clerk: their
    own unit's row alone; None: every unit's)."""

    scope: figures.Scope
    unit_id: int | None = None


def choose(user, *, body_id: int | None = None, session: Session | None = None):
    """The scores ``user`` may read (docs/statistics.md, "Unit assessment"):
    staff and leaders every unit's of their bodies' sessions (read-only, without
    links, for the bodies below theirs: ``figures.Scope.choose``); a unit's clerk
    their own unit's row of its body's sessions. ``NotFound`` for another body or
    its session, ``NotPermitted`` for any other role."""
    if user.is_congress_staff or user.is_leader:
        try:
            return Reader(figures.Scope.choose(user, body_id=body_id, session=session))
        except NotFound:
            if not user.is_unit_member:
                raise
    if not user.is_unit_member:
        raise NotPermitted(_("Only congress staff, leaders and units may see this."))
    unit = HandlingUnit.objects.select_related("body").get(pk=user.unit_id)
    if body_id is not None and body_id != unit.body_id:
        raise NotFound()
    if session is None:
        session = (
            Session.objects.select_related("congress__body")
            .filter(congress__body_id=unit.body_id)
            .current()
        )
    elif session.congress.body_id != unit.body_id:
        raise NotFound()
    return Reader(figures.Scope(session=session, body=unit.body), unit.pk)

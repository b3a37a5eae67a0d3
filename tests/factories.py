"""factory_boy factories for every model, and a driver that walks a suggestion through
the real workflow services.

Two ways to get a suggestion in a given state:

* ``SuggestionFactory`` with a state trait (``submitted``, ``registered``,
  ``assigned``, ``replied``, ``rehandling``, ``closed``, ``withdrawn``, ``rejected``)
  writes the rows directly: the suggestion's own columns (number, category, lead
  unit, due date, outcome, rating, milestone times) and, unless ``history=False``, the
  assignment, reply and evaluation rows a real history would leave (no ``Event`` rows).
  Fast: use it for selectors, statistics, list pages and admin.
* ``Journey`` calls the services in ``suggestions/services.py`` with real actors, so the
  timeline, deadlines and locks are exactly what production makes. Use it where the
  path matters (workflow, API and view tests of transitions).

Defaults are chosen so that everything made without arguments fits together: all
factories share one congress body and one congress (``CongressBodyFactory`` and
``CongressFactory`` are get-or-create on their natural keys), units belong to that
body, and a deputy's delegation belongs to the session's congress. Passwords are
``PASSWORD`` (see ``tests/conftest.py``, which makes hashing fast).
"""

import datetime as dt

import factory
from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import Group
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import BodyRole, Membership, User
from common import clock
from congress.models import (
    CalendarDay,
    Congress,
    CongressBody,
    CongressLevel,
    Delegation,
    Deputy,
    HandlingRules,
    HandlingUnit,
    Session,
    UnitKind,
    WorkerHeartbeat,
)
from congress.services import session_save
from suggestions import actions, services
from suggestions.models import (
    AdjustmentKind,
    AdjustmentRequest,
    Assignment,
    AssignmentRole,
    Category,
    ContactMethod,
    ContactRecord,
    CoSignature,
    Decision,
    Evaluation,
    Event,
    Outcome,
    Rating,
    Reply,
    Status,
    Suggestion,
)

PASSWORD = "correct-horse-42"


def _now() -> dt.datetime:
    # The services' clock, so that factories follow ``clock.frozen_at``.
    return clock.now()


# --- congress -------------------------------------------------------------------------


class CongressBodyFactory(DjangoModelFactory):
    """The Changji Prefecture People's Congress by default, shared by every factory
    (get-or-create on its name, made from the region); pass another ``region`` for a
    second body."""

    class Meta:
        model = CongressBody
        django_get_or_create = ("name",)

    region = "昌吉回族自治州"
    name = factory.LazyAttribute(lambda o: f"{o.region}人民代表大会")
    short_name = ""
    level = CongressLevel.PREFECTURE
    parent = None


class CongressFactory(DjangoModelFactory):
    """The 16th term of the shared body by default, shared by every factory
    (get-or-create on body and term); ``CongressFactory(body__region="伊犁")`` makes
    a congress of another body."""

    class Meta:
        model = Congress
        django_get_or_create = ("body", "ordinal")

    body = factory.SubFactory(CongressBodyFactory)
    ordinal = 16


class HandlingRulesFactory(DjangoModelFactory):
    """A congress's handling rules with the RULES.md defaults. Create it before any
    service runs for the congress (services create default rules on first use)."""

    class Meta:
        model = HandlingRules
        django_get_or_create = ("congress",)

    congress = factory.SubFactory(CongressFactory)


class SessionFactory(DjangoModelFactory):
    """A session of the shared congress; each call makes a new one (new ordinal)."""

    class Meta:
        model = Session

    congress = factory.SubFactory(CongressFactory)
    ordinal = factory.Sequence(lambda n: n + 1)
    year = 2026
    opened_on = factory.LazyAttribute(lambda o: dt.date(o.year, 1, 10))
    is_current = False


class DelegationFactory(DjangoModelFactory):
    class Meta:
        model = Delegation

    congress = factory.SubFactory(CongressFactory)
    name = factory.Sequence(lambda n: f"代表团{n}")


class DeputyFactory(DjangoModelFactory):
    """A deputy without an account; ``DeputyFactory(with_user=True)`` links a new user
    (the deputy's ``user`` then acts for them)."""

    class Meta:
        model = Deputy

    class Params:
        with_user = factory.Trait(
            user=factory.SubFactory(
                "tests.factories.UserFactory",
                name=factory.SelfAttribute("..name"),
            )
        )

    delegation = factory.SubFactory(DelegationFactory)
    name = factory.Sequence(lambda n: f"代表{n}")
    gender = "female"
    ethnicity = "汉族"
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    active = True
    user = None


class HandlingUnitFactory(DjangoModelFactory):
    """A government department unless ``kind`` says otherwise."""

    class Meta:
        model = HandlingUnit

    body = factory.SubFactory(CongressBodyFactory)
    name = factory.Sequence(lambda n: f"承办单位{n}")
    short_name = factory.LazyAttribute(lambda o: o.name[:30])
    kind = UnitKind.GOVERNMENT
    active = True


class CalendarDayFactory(DjangoModelFactory):
    """A staff-entered holiday (``is_working_day=False``) or make-up working day:
    national unless ``body`` is given."""

    class Meta:
        model = CalendarDay
        django_get_or_create = ("date", "body")

    date = dt.date(2027, 1, 1)
    body = None
    is_working_day = False
    name = "元旦"


class WorkerHeartbeatFactory(DjangoModelFactory):
    class Meta:
        model = WorkerHeartbeat
        django_get_or_create = ("name",)

    name = "worker"
    beat_at = factory.LazyFunction(timezone.now)


# --- accounts -------------------------------------------------------------------------


class UserFactory(DjangoModelFactory):
    """A user with no role; the role factories below add one. Each call creates a
    new user (a ``username`` given twice is an IntegrityError)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.LazyAttribute(lambda o: o.username)
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password(PASSWORD)
    is_active = True

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        """``groups=["congress_staff"]``: group names to join (created if missing)."""
        if create and extracted:
            for name in extracted:
                self.groups.add(Group.objects.get_or_create(name=name)[0])


def _hold(role: str) -> factory.PostGeneration:
    """``body=`` a ``CongressBody`` (or a list of them): where the role is held;
    the shared body by default."""

    def hold(user, create, extracted, **kwargs):
        if not create:
            return
        bodies = extracted if extracted is not None else CongressBodyFactory()
        if not isinstance(bodies, list | tuple):
            bodies = [bodies]
        for body in bodies:
            Membership.objects.get_or_create(user=user, body=body, role=role)
        user.__dict__.pop("body_roles", None)

    return factory.PostGeneration(hold)


class StaffFactory(UserFactory):
    """Congress staff (the standing committee office) of ``body`` (the shared
    body by default)."""

    username = factory.Sequence(lambda n: f"staff{n}")
    body = _hold(BodyRole.STAFF)


class LeaderFactory(UserFactory):
    """A supervising leader of ``body`` (the shared body by default), read-only."""

    username = factory.Sequence(lambda n: f"leader{n}")
    body = _hold(BodyRole.LEADER)


class UnitMemberFactory(UserFactory):
    """A handling unit's clerk; pass ``unit=`` to join an existing unit."""

    username = factory.Sequence(lambda n: f"clerk{n}")
    unit = factory.SubFactory(HandlingUnitFactory)


def deputy_user(**deputy_fields) -> User:
    """A user linked to a new deputy (``user.deputy``); fields go to the deputy."""
    return DeputyFactory(with_user=True, **deputy_fields).user


# --- suggestions ----------------------------------------------------------------------


class CategoryFactory(DjangoModelFactory):
    """A category of ``body`` (the shared body by default), get-or-create on its body
    and name."""

    class Meta:
        model = Category
        django_get_or_create = ("body", "name")

    body = factory.SubFactory(CongressBodyFactory)
    name = factory.Sequence(lambda n: f"类别{n}")
    position = factory.Sequence(lambda n: n)


_FILED = (
    Status.REGISTERED,
    Status.ASSIGNED,
    Status.REPLIED,
    Status.REHANDLING,
    Status.CLOSED,
)


class SuggestionFactory(DjangoModelFactory):
    """A suggestion, a draft unless a state trait says otherwise.

    ``SuggestionFactory(closed=True, outcome="in_progress", rating="dissatisfied")``
    overrides the trait's defaults; ``history=False`` leaves out the assignment, reply
    and evaluation rows. The lead deputy belongs to the session's congress.
    """

    class Meta:
        model = Suggestion
        skip_postgeneration_save = True

    class Params:
        # Milestones, each a day after the previous one.
        base_time = factory.LazyFunction(_now)
        submitted = factory.Trait(
            status=Status.SUBMITTED,
            submitted_at=factory.SelfAttribute("base_time"),
        )
        registered = factory.Trait(
            status=Status.REGISTERED,
            submitted_at=factory.SelfAttribute("base_time"),
            registered_at=factory.LazyAttribute(
                lambda o: o.base_time + dt.timedelta(days=1)
            ),
        )
        withdrawn = factory.Trait(
            status=Status.WITHDRAWN,
            submitted_at=factory.SelfAttribute("base_time"),
            closed_at=factory.LazyAttribute(
                lambda o: o.base_time + dt.timedelta(days=1)
            ),
        )
        rejected = factory.Trait(
            status=Status.REJECTED,
            submitted_at=factory.SelfAttribute("base_time"),
            closed_at=factory.LazyAttribute(
                lambda o: o.base_time + dt.timedelta(days=1)
            ),
            rejection_reason="属于个人诉求，不作为建议办理。",
            disposition="returned",
        )
        assigned = factory.Trait(status=Status.ASSIGNED)
        replied = factory.Trait(status=Status.REPLIED, outcome=Outcome.RESOLVED)
        rehandling = factory.Trait(
            status=Status.REHANDLING,
            outcome=Outcome.EXPLAINED,
            rating=Rating.DISSATISFIED,
            round=2,
            # The re-handling round's deadline: a month after the rating.
            due_at=factory.LazyAttribute(
                lambda o: (
                    timezone.localdate(o.replied_at) + relativedelta(days=3, months=1)
                )
            ),
        )
        closed = factory.Trait(
            status=Status.CLOSED, outcome=Outcome.RESOLVED, rating=Rating.SATISFIED
        )

    session = factory.SubFactory(SessionFactory)
    title = factory.Sequence(lambda n: f"关于改善第{n}号道路交通状况的建议")
    body = "建议有关部门加大投入，尽快解决群众反映强烈的问题。"
    lead_deputy = factory.SubFactory(
        DeputyFactory,
        delegation__congress=factory.SelfAttribute("...session.congress"),
    )
    status = Status.DRAFT
    created_at = factory.LazyFunction(_now)

    # Filled for filed statuses: number, category, and the handling columns.
    number = factory.Maybe(
        factory.LazyAttribute(lambda o: o.status in _FILED),
        yes_declaration=factory.Sequence(lambda n: n + 1),
        no_declaration=None,
    )
    category = factory.Maybe(
        factory.LazyAttribute(lambda o: o.status in _FILED),
        yes_declaration=factory.SubFactory(
            CategoryFactory, body=factory.SelfAttribute("..session.congress.body")
        ),
        no_declaration=None,
    )
    submitted_at = factory.Maybe(
        factory.LazyAttribute(lambda o: o.status in _FILED),
        yes_declaration=factory.SelfAttribute("base_time"),
        no_declaration=None,
    )
    registered_at = factory.Maybe(
        factory.LazyAttribute(lambda o: o.status in _FILED),
        yes_declaration=factory.LazyAttribute(
            lambda o: o.base_time + dt.timedelta(days=1)
        ),
        no_declaration=None,
    )
    lead_unit = factory.Maybe(
        factory.LazyAttribute(lambda o: o.status in _FILED[1:]),
        yes_declaration=factory.SubFactory(HandlingUnitFactory),
        no_declaration=None,
    )
    assigned_at = factory.Maybe(
        factory.LazyAttribute(lambda o: o.status in _FILED[1:]),
        yes_declaration=factory.LazyAttribute(
            lambda o: o.base_time + dt.timedelta(days=2)
        ),
        no_declaration=None,
    )
    due_at = factory.Maybe(
        factory.LazyAttribute(lambda o: o.status in _FILED[1:]),
        yes_declaration=factory.LazyAttribute(
            lambda o: timezone.localdate(o.assigned_at) + relativedelta(months=3)
        ),
        no_declaration=None,
    )
    replied_at = factory.Maybe(
        factory.LazyAttribute(lambda o: o.status in _FILED[2:]),
        yes_declaration=factory.LazyAttribute(
            lambda o: o.base_time + dt.timedelta(days=30)
        ),
        no_declaration=None,
    )
    closed_at = factory.Maybe(
        factory.LazyAttribute(lambda o: o.status == Status.CLOSED),
        yes_declaration=factory.LazyAttribute(
            lambda o: o.base_time + dt.timedelta(days=35)
        ),
        no_declaration=None,
    )

    @factory.post_generation
    def co_signers(self, create, extracted, **kwargs):
        """``co_signers=[deputy, …]``: invited and signed co-signers."""
        if create and extracted:
            CoSignature.objects.bulk_create(
                CoSignature(suggestion=self, deputy=d, signed_at=self.created_at)
                for d in extracted
            )

    @factory.post_generation
    def history(self, create, extracted, **kwargs):
        """The assignment, reply and evaluation rows of the status (skip with
        ``history=False``)."""
        if not create or extracted is False or self.status not in _FILED[1:]:
            return
        _write_history(self)


def _write_history(s: Suggestion) -> None:
    clerk = UnitMemberFactory(unit=s.lead_unit)
    first = Assignment.objects.create(
        suggestion=s,
        unit=s.lead_unit,
        role=AssignmentRole.LEAD,
        round=1,
        assigned_at=s.assigned_at,
        due_at=s.due_at
        if s.round == 1
        else timezone.localdate(s.assigned_at) + relativedelta(months=3),
        acknowledged_at=s.assigned_at + dt.timedelta(days=1),
    )
    if s.status == Status.ASSIGNED:
        return
    first_outcome = s.outcome if s.status != Status.REHANDLING else Outcome.EXPLAINED
    first.replied_at = s.replied_at or s.assigned_at + dt.timedelta(days=28)
    first.save(update_fields=["replied_at"])
    Reply.objects.create(
        assignment=first,
        round=1,
        is_lead=True,
        outcome=first_outcome or Outcome.RESOLVED,
        body="经研究，答复如下。",
        sent_by=clerk,
        sent_at=first.replied_at,
        is_public=s.is_public,
    )
    if s.status == Status.REPLIED:
        return
    Evaluation.objects.create(
        suggestion=s,
        round=1,
        deputy=s.lead_deputy,
        rating=s.rating if s.status == Status.CLOSED else Rating.DISSATISFIED,
        comment="" if s.status == Status.CLOSED else "问题尚未解决。",
        created_at=first.replied_at + dt.timedelta(days=3),
    )
    if s.status == Status.REHANDLING:
        Assignment.objects.create(
            suggestion=s,
            unit=s.lead_unit,
            role=AssignmentRole.LEAD,
            round=2,
            assigned_at=first.replied_at + dt.timedelta(days=3),
            due_at=s.due_at,
        )


class CoSignatureFactory(DjangoModelFactory):
    """An invitation to co-sign, not yet signed unless ``signed_at`` is given."""

    class Meta:
        model = CoSignature

    suggestion = factory.SubFactory(SuggestionFactory)
    deputy = factory.SubFactory(
        DeputyFactory,
        delegation__congress=factory.SelfAttribute("...suggestion.session.congress"),
    )
    invited_at = factory.LazyFunction(_now)
    signed_at = None


class AssignmentFactory(DjangoModelFactory):
    """A lead assignment of an assigned suggestion, due three months later."""

    class Meta:
        model = Assignment

    suggestion = factory.SubFactory(SuggestionFactory, assigned=True, history=False)
    unit = factory.SubFactory(HandlingUnitFactory)
    role = AssignmentRole.LEAD
    round = 1
    assigned_at = factory.LazyFunction(_now)
    due_at = factory.LazyAttribute(
        lambda o: timezone.localdate(o.assigned_at) + relativedelta(months=3)
    )
    active = True


class AdjustmentRequestFactory(DjangoModelFactory):
    """A pending reassignment request by a clerk of the assignment's unit; pass
    ``kind="extension", requested_until=…`` for an extension."""

    class Meta:
        model = AdjustmentRequest

    assignment = factory.SubFactory(AssignmentFactory)
    kind = AdjustmentKind.REASSIGNMENT
    reason = "该事项不属于本单位职责范围。"
    requested_by = factory.SubFactory(
        UnitMemberFactory, unit=factory.SelfAttribute("..assignment.unit")
    )
    requested_at = factory.LazyFunction(_now)
    decision = Decision.PENDING


class ContactRecordFactory(DjangoModelFactory):
    class Meta:
        model = ContactRecord

    assignment = factory.SubFactory(AssignmentFactory)
    method = ContactMethod.PHONE
    contacted_at = factory.LazyAttribute(lambda o: o.assignment.assigned_at)
    note = "电话沟通，代表同意办理思路。"
    recorded_by = factory.SubFactory(
        UnitMemberFactory, unit=factory.SelfAttribute("..assignment.unit")
    )
    created_at = factory.LazyFunction(_now)


class ReplyFactory(DjangoModelFactory):
    """A reply to its assignment (lead reply or co-unit opinion, from the role).
    It does not touch the assignment's ``replied_at`` or the suggestion's status."""

    class Meta:
        model = Reply

    assignment = factory.SubFactory(AssignmentFactory)
    round = factory.SelfAttribute("assignment.round")
    is_lead = factory.LazyAttribute(lambda o: o.assignment.role == AssignmentRole.LEAD)
    outcome = Outcome.RESOLVED
    body = "经研究，已列入年度计划并组织实施。"
    sent_by = factory.SubFactory(
        UnitMemberFactory, unit=factory.SelfAttribute("..assignment.unit")
    )
    sent_at = factory.LazyFunction(_now)


class EvaluationFactory(DjangoModelFactory):
    """The lead deputy's rating of round 1."""

    class Meta:
        model = Evaluation

    suggestion = factory.SubFactory(SuggestionFactory, replied=True)
    round = factory.SelfAttribute("suggestion.round")
    deputy = factory.SelfAttribute("suggestion.lead_deputy")
    rating = Rating.SATISFIED
    created_at = factory.LazyFunction(_now)


class EventFactory(DjangoModelFactory):
    class Meta:
        model = Event

    suggestion = factory.SubFactory(SuggestionFactory)
    action = "create"
    actor = None
    from_status = factory.SelfAttribute("suggestion.status")
    to_status = factory.SelfAttribute("suggestion.status")
    created_at = factory.LazyFunction(_now)


# --- the real workflow ----------------------------------------------------------------


def open_for_intake(session: Session) -> Session:
    """Make ``session`` its congress's current one, the session that takes new
    suggestions (unless it is sealed), as it was while its suggestions came in."""
    session.refresh_from_db()
    if not session.is_current:
        session.is_current = True
        session_save(session=session)
    return session


def meet_deputy(assignment: Assignment, actor: User | None = None, *stages: str):
    """Record the unit's meetings with the deputy (三见面) at ``stages``, by default
    those the rules still require before the lead unit's reply, so that a test about
    something else may reply; answers the contact records."""
    actor = actor or UnitMemberFactory(unit=assignment.unit)
    if not stages:
        stages = tuple(actions.missing_contact_stages(assignment))
    return [
        services.assignment_record_contact(
            assignment_id=assignment.pk,
            actor=actor,
            method=ContactMethod.PHONE,
            contacted_at=clock.now(),
            note="电话沟通办理情况。",
            stage=stage,
        )
        for stage in stages
    ]


class Journey:
    """One suggestion driven through the services by a cast of real actors.

    ``Journey().to(Status.REPLIED)`` makes a draft led by ``journey.deputy`` and walks
    it there: submitted, registered, assigned to ``journey.unit`` (co-unit
    ``journey.co_unit`` when ``co_unit=True``), acknowledged, replied. Each step is
    also a method, so a test can stop anywhere and go on by hand. Every call runs at
    ``clock.now()``; wrap it in ``clock.frozen_at`` to date it.
    """

    def __init__(self, *, session=None, co_unit: bool = False, cosigner: bool = True):
        self.session = session or SessionFactory()
        congress = self.session.congress
        # The cast belongs to the session's body (the shared body by default).
        self.staff = StaffFactory(body=congress.body)
        self.deputy = deputy_user(delegation__congress=congress)
        self.cosigner = deputy_user(delegation__congress=congress) if cosigner else None
        self.unit = HandlingUnitFactory(body=congress.body)
        self.clerk = UnitMemberFactory(unit=self.unit)
        self.co_unit = HandlingUnitFactory(body=congress.body) if co_unit else None
        self.co_clerk = UnitMemberFactory(unit=self.co_unit) if co_unit else None
        self.category = CategoryFactory(body=congress.body)
        self.suggestion: Suggestion | None = None

    # Each step returns the fresh suggestion.
    def refresh(self) -> Suggestion:
        self.suggestion.refresh_from_db()
        return self.suggestion

    def create(self, **fields) -> Suggestion:
        open_for_intake(self.session)
        fields.setdefault("title", "关于加快老旧小区改造的建议")
        fields.setdefault("body", "建议加大财政投入，分批推进老旧小区改造。")
        if self.cosigner is not None:
            fields.setdefault("co_signers", [self.cosigner.deputy_profile.pk])
        self.suggestion = services.suggestion_create(
            actor=self.deputy, session=self.session, **fields
        )
        return self.suggestion

    def submit(self) -> Suggestion:
        open_for_intake(self.session)
        return services.suggestion_submit(
            suggestion_id=self.suggestion.pk, actor=self.deputy
        )

    def register(self) -> Suggestion:
        return services.suggestion_register(
            suggestion_id=self.suggestion.pk, actor=self.staff, category=self.category
        )

    def assign(self, **kwargs) -> Suggestion:
        if self.co_unit is not None:
            kwargs.setdefault("co_units", [self.co_unit])
        return services.suggestion_assign(
            suggestion_id=self.suggestion.pk,
            actor=self.staff,
            lead_unit=self.unit,
            **kwargs,
        )

    def lead_assignment(self) -> Assignment:
        s = self.refresh()
        return s.assignments.get(role=AssignmentRole.LEAD, round=s.round, active=True)

    def co_assignment(self) -> Assignment:
        s = self.refresh()
        return s.assignments.get(role=AssignmentRole.CO, round=s.round, active=True)

    def acknowledge(self) -> Assignment:
        assignment = self.lead_assignment()
        return services.assignment_acknowledge(
            assignment_id=assignment.pk, actor=self.clerk_of(assignment)
        )

    def meet(self, *stages: str) -> list:
        """Record a contact with the deputy at each of ``stages`` (三见面), by
        default those the rules still require before the lead unit's reply."""
        assignment = self.lead_assignment()
        return meet_deputy(assignment, self.clerk_of(assignment), *stages)

    def reply(
        self, outcome: str = Outcome.RESOLVED, *, meet: bool = True, **kwargs
    ) -> Reply:
        """The lead unit's reply; first the meetings with the deputy the rules
        require (``meet``; ``meet=False`` to test the refusal without them)."""
        assignment = self.lead_assignment()
        if assignment.acknowledged_at is None:
            self.acknowledge()
        if meet:
            self.meet()
        # Under the default rules a lead reply before a co-unit's opinion (or its
        # deadline) needs a note saying why; the journey gives one unless a test
        # passes its own (tests/suggestions/test_co_units.py tests the rule).
        kwargs.setdefault(
            "co_opinion_note", "协办单位意见期限未到，为按期答复先行答复。"
        )
        return services.assignment_reply(
            assignment_id=assignment.pk,
            actor=self.clerk_of(assignment),
            outcome=outcome,
            body=kwargs.pop("body", "经研究，问题已基本解决。"),
            **kwargs,
        )

    def evaluate(
        self,
        rating: str = Rating.SATISFIED,
        comment: str = "",
        *,
        attitude: str = Rating.SATISFIED,
    ) -> Evaluation:
        """The lead deputy rates online: ``rating`` the result, ``attitude`` the
        handling attitude."""
        if Rating.DISSATISFIED in (rating, attitude) and not comment:
            comment = "问题没有解决。"
        return services.suggestion_evaluate(
            suggestion_id=self.suggestion.pk,
            actor=self.deputy,
            result=rating,
            attitude=attitude,
            comment=comment,
        )

    def clerk_of(self, assignment: Assignment) -> User:
        if assignment.unit_id == self.unit.pk:
            return self.clerk
        if self.co_unit is not None and assignment.unit_id == self.co_unit.pk:
            return self.co_clerk
        return UnitMemberFactory(unit=assignment.unit)

    _STEPS = {
        Status.DRAFT: (),
        Status.SUBMITTED: ("submit",),
        Status.REGISTERED: ("submit", "register"),
        Status.ASSIGNED: ("submit", "register", "assign"),
        Status.REPLIED: ("submit", "register", "assign", "reply"),
        Status.CLOSED: ("submit", "register", "assign", "reply", "evaluate"),
    }

    def to(self, status: str) -> Suggestion:
        """Create a suggestion and walk it to ``status`` (also ``rehandling``)."""
        self.create()
        if status == Status.REHANDLING:
            for step in self._STEPS[Status.REPLIED]:
                getattr(self, step)()
            self.evaluate(Rating.DISSATISFIED)
        else:
            for step in self._STEPS[status]:
                getattr(self, step)()
        return self.refresh()

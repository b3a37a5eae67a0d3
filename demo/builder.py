"""Plans every step of every suggestion of a session with its moment, then replays
the steps in time order through the services."""

from __future__ import annotations

import random
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import BodyRole, Membership
from common import clock
from congress.calendar import WorkingDayCalendar, add_months
from congress.models import (
    Congress,
    CongressBody,
    CongressLevel,
    ContactStage,
    Delegation,
    Deputy,
    Gender,
    HandlingRules,
    HandlingUnit,
    Session,
)
from congress.services import session_save
from dashboard.assessment import clean_weights, stored_weights
from dashboard.models import AssessmentFormula
from suggestions import deadlines, services
from suggestions.models import (
    AdjustmentKind,
    AdjustmentRequest,
    Assignment,
    Category,
    Complexity,
    ContactMethod,
    Outcome,
    PlanMilestone,
    Promise,
    Rating,
    Reply,
)

from .data import (
    ALLOCATION_2023,
    ASSESSMENT_FROM,
    ASSESSMENT_NOTE,
    ASSESSMENT_WEIGHTS,
    AUTO_PREFIX,
    BASIC_COMMENTS,
    BODY_NAME,
    BODY_SHORT_NAME,
    CATEGORIES,
    CO_OPINION_NOTE,
    CO_OPINIONS,
    CONTACT_NOTES,
    COUNTY_ORDINAL,
    COUNTY_TERM_FIRST_YEAR,
    COUNTY_UNITS,
    DELEGATIONS,
    DISSATISFIED_COMMENTS,
    ETHNICITIES,
    EXTENSION_DENIAL,
    EXTENSION_REASONS,
    FIELDS,
    FULFILMENT_NOTE,
    GOVERNMENT_NAME,
    LEADING_LEADERS,
    LEVEL,
    MEASURES,
    NOT_SUGGESTIONS,
    ORDINAL,
    OUTCOME_TEXTS,
    PASSWORD,
    PLACES,
    PLAN_LATE_REASONS,
    PLAN_MEASURES,
    PLAN_PROGRESS,
    PLAN_STEPS,
    PROBLEMS,
    PROMISE_REPORTS,
    PROMISE_TEXTS,
    REASSIGNMENT_DENIAL,
    REASSIGNMENT_REASON,
    REGION,
    REPLY_ACTIONS,
    SATISFIED_COMMENTS,
    SEED,
    SUPERVISION_NOTES,
    UNITS,
    WITHDRAW_REASONS,
    CountyDef,
    G,
    NameMaker,
    UnitDef,
    unit_duties,
)

# --- plans ----------------------------------------------------------------------------

APPROVED, DENIED, PENDING = "approved", "denied", "pending"


@dataclass
class Ref:
    """A suggestion that exists once its ``create`` step has run."""

    id: int | None = None
    title: str = ""
    lead: Deputy | None = None
    category: Category | None = None
    place: str = ""
    submitted: datetime | None = None
    last: datetime | None = None  # the latest step scheduled before handling
    assignments: dict[tuple[int, int], int] = field(default_factory=dict)


@dataclass
class RoundPlan:
    outcome: str | None  # None: no reply yet
    rating: str | None = None  # None: not rated yet
    contact: bool = True
    late: bool = False
    reply_on: date | None = None
    rate_on: date | None = None
    ack: bool = True  # rounds after the first: acknowledge the new assignment
    # The handling attitude (办理态度); None: drawn from the result's rating.
    attitude: str | None = None
    # Rated on site at the session's evaluation meeting (现场测评) rather than
    # online, where the reply came before the meeting.
    on_site: bool = False


@dataclass
class EvaluationMeetingPlan:
    """A session's evaluation meeting: when its ratings are entered, the deputies
    present (filled while the ratings are planned), its id once held."""

    rates_at: datetime
    deputies: set[int] = field(default_factory=set)
    id: int | None = None


def signed_form_scan():
    """A one-page PDF standing for the scan of a signed 征询意见表."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(
        "征询意见表.pdf", SIGNED_FORM_PDF, content_type="application/pdf"
    )


SIGNED_FORM_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass
class HandlingPlan:
    unit: HandlingUnit
    assign_on: date
    rounds: list[RoundPlan] = field(default_factory=list)
    co_units: list[HandlingUnit] = field(default_factory=list)
    co_opinions: bool = True
    complexity: str = Complexity.NORMAL
    key: bool = False
    mark_key_later: bool = False
    ack: bool = True
    ack_on: date | None = None
    wrong_unit: HandlingUnit | None = None  # assigned first, then reassigned
    reassignment: str | None = None  # approved / denied / pending
    reassignment_on: date | None = None
    extension: str | None = None  # approved / denied / pending
    extension_on: date | None = None
    publish: bool = False
    fulfil: bool = False


@dataclass
class Step:
    at: datetime
    seq: int
    run: Callable[[datetime], object]


@dataclass
class DemoResult:
    created: bool
    congress: Congress
    sessions: dict[str, Session]
    accounts: list[tuple[str, str]]
    seconds: float
    # Per county (its region, e.g. 昌吉市): its congress and sessions ("2023",
    # "current").
    counties: dict[str, tuple[Congress, dict[str, Session]]] = field(
        default_factory=dict
    )


# --- the builder ----------------------------------------------------------------------


def _placeholder(user) -> None:
    """An account made so that a deputy or a unit can act in the demo: nobody logs in
    with it, and its invented address is never written to."""
    user.set_unusable_password()
    if hasattr(user, "notify_email"):
        user.notify_email = False
    if hasattr(user, "notify_sms"):
        user.notify_sms = False


class _Builder:
    # The 2023 session records the three meetings (三见面) and the leaders' part in
    # its key suggestions; their draws come from a stream of their own, so that the
    # figures drawn from ``rng`` stay as they were.
    staged = False

    def __init__(self, today: date, say: Callable[[str], None]):
        self.today = today
        self.say = say
        self.rng = random.Random(SEED)
        # The attitudes and the on-site ratings draw from their own stream, so
        # that every other figure of the demo is the one it was without them.
        self.rating_rng = random.Random(SEED + 17)
        self.meeting: EvaluationMeetingPlan | None = None
        self.names = NameMaker(self.rng)
        self.tz = timezone.get_default_timezone()
        # Every step of the current session happens before today.
        self.cap = datetime.combine(
            today - timedelta(days=1), dtime(20, 0), tzinfo=self.tz
        )
        self.opened = today - relativedelta(months=4)
        if self.opened.year < 2024:
            raise ValueError(
                "The demo's current session must open in 2024 or later "
                f"(it opens four months before {today})."
            )
        self.calendar = WorkingDayCalendar(date(2021, 12, 1), today + timedelta(400))
        self.steps: list[Step] = []
        self.seq = 0
        # How the texts name the congress's own area, and places they may be about.
        self.home_word = "我州"
        self.places = PLACES

    # --- reference data ---------------------------------------------------------------

    def build_reference(self) -> None:
        # The body outlives its terms: kept if a demo congress was deleted by hand.
        self.body, _ = CongressBody.objects.update_or_create(
            name=BODY_NAME,
            defaults={"short_name": BODY_SHORT_NAME, "region": REGION, "level": LEVEL},
        )
        self.congress = Congress.objects.create(body=self.body, ordinal=ORDINAL)
        self.rules = HandlingRules.objects.create(congress=self.congress)
        self._assessment_formula()
        self.categories = {}
        for position, name in enumerate(CATEGORIES, start=1):
            category, _ = Category.objects.update_or_create(
                body=self.body, name=name, defaults={"position": position}
            )
            self.categories[name] = category
        self._units()
        self._groups_and_staff()
        self._deputies()

    def _assessment_formula(self) -> None:
        """The prefecture's 绩效考核 formula, in force for every demo session: the
        review ties handling to the units' assessment, re-handling and
        dissatisfaction costing points (docs/statistics.md, "Unit assessment")."""
        AssessmentFormula.objects.update_or_create(
            body=self.body,
            effective_from=ASSESSMENT_FROM,
            defaults={
                "weights": stored_weights(clean_weights(ASSESSMENT_WEIGHTS)),
                "note": ASSESSMENT_NOTE,
            },
        )

    def _units(self) -> None:
        self.units: dict[str, HandlingUnit] = {}
        self.unit_defs: dict[str, UnitDef] = {}
        government = None
        for unit_def in UNITS:
            parent = government if unit_def.kind == G and government else None
            unit, _ = HandlingUnit.objects.update_or_create(
                body=self.body,
                name=unit_def.name,
                defaults={
                    "short_name": unit_def.short,
                    "kind": unit_def.kind,
                    "parent": parent,
                    "active": True,
                    "duties": unit_duties(unit_def.name),
                },
            )
            if unit_def.name == GOVERNMENT_NAME:
                government = unit
            self.units[unit_def.short] = unit
            self.unit_defs[unit_def.short] = unit_def
        # Each unit's head signs its replies.
        self.heads = {short: self.names.official() for short in self.units}

    def _account(self, username, name, *, roles=(), unit=None, superuser=False):
        """A demo login (password ``PASSWORD``) holding ``roles`` in this body; an
        account of that name already there keeps its password."""
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, password=self.password_hash)
        else:
            self.preexisting.add(username)
        user.name = name
        user.email = user.email or f"{username}@changji-rd.example"
        user.unit = unit
        user.is_active = True
        user.is_staff = user.is_staff or superuser
        user.is_superuser = user.is_superuser or superuser
        user.save()
        for role in roles:
            Membership.objects.get_or_create(user=user, body=self.body, role=role)
        return user

    def _groups_and_staff(self) -> None:
        User = get_user_model()
        self.password_hash = make_password(PASSWORD)
        self.preexisting: set[str] = set()
        account = self._account

        account("admin", "系统管理员", roles=[BodyRole.STAFF], superuser=True)
        self.staff = account("staff", "王芳", roles=[BodyRole.STAFF])
        self.leader = account("leader", "李主任", roles=[BodyRole.LEADER])
        self.clerks: dict[int, object] = {}
        edu, transport = self.units["州教育局"], self.units["州交通运输局"]
        self.clerks[edu.pk] = account("unit", self.names.official(), unit=edu)
        self.clerks[transport.pk] = account(
            "unit2", self.names.official(), unit=transport
        )
        for index, unit in enumerate(self.units.values(), start=1):
            if unit.pk not in self.clerks:
                self.clerks[unit.pk] = User(
                    username=f"{AUTO_PREFIX}u{index:02d}",
                    name=self.names.official(),
                    email=f"{AUTO_PREFIX}u{index:02d}@changji-rd.example",
                    unit=unit,
                )
        auto = [u for u in self.clerks.values() if u.pk is None]
        for user in auto:
            _placeholder(user)
        User.objects.bulk_create(auto)
        # bulk_create sets pks on SQLite and PostgreSQL; reload to be sure.
        by_name = {
            u.username: u
            for u in User.objects.filter(username__startswith=f"{AUTO_PREFIX}u")
        }
        for unit_pk, user in list(self.clerks.items()):
            if user.pk is None:
                self.clerks[unit_pk] = by_name[user.username]

    def _new_deputies(
        self, rows, weights_of: Callable[[str], list], auto_prefix: str
    ) -> tuple[list[Deputy], list]:
        """The delegations ``rows`` (name, place, deputies) of the builder's congress
        with their deputies, drawn from ``self.rng`` (ethnicity by
        ``weights_of(delegation name)``, gender, name, phone), and a placeholder
        account for each, named from ``auto_prefix``; neither saved yet."""
        User = get_user_model()
        rng = self.rng
        self.delegations: list[Delegation] = []
        self.place_of: dict[int, str] = {}
        deputies: list[Deputy] = []
        for name, place, count in rows:
            delegation = Delegation.objects.create(congress=self.congress, name=name)
            self.delegations.append(delegation)
            self.place_of[delegation.pk] = place
            weights = weights_of(name)
            for _ in range(count):
                ethnicity = rng.choices(
                    [e for e, _ in weights], [w for _, w in weights]
                )[0]
                female = rng.random() < 0.32
                deputies.append(
                    Deputy(
                        delegation=delegation,
                        name=self.names.make(ethnicity, female),
                        gender=Gender.FEMALE if female else Gender.MALE,
                        ethnicity=ethnicity,
                        phone=self.names.phone(),
                        active=True,
                    )
                )
        users = []
        for index, deputy in enumerate(deputies, start=1):
            username = f"{auto_prefix}d{index:03d}"
            deputy.email = f"{username}@changji-rd.example"
            user = User(username=username, name=deputy.name, email=deputy.email)
            _placeholder(user)
            users.append(user)
        return deputies, users

    def _deputies(self) -> None:
        User = get_user_model()
        deputies, users = self._new_deputies(
            DELEGATIONS,
            lambda name: ETHNICITIES.get(name, ETHNICITIES["default"]),
            AUTO_PREFIX,
        )
        # The two demo deputies log in as ``deputy`` and ``deputy2``.
        chosen = {
            "deputy": next(
                i
                for i, d in enumerate(deputies)
                if d.delegation.name == "昌吉市代表团"
                and d.ethnicity == "汉族"
                and d.gender == Gender.MALE
            ),
            "deputy2": next(
                i
                for i, d in enumerate(deputies)
                if d.delegation.name == "奇台县代表团" and d.gender == Gender.FEMALE
            ),
            # Also elected to 昌吉市's own congress (_CountyBuilder): one login, a
            # deputy record in each.
            "dual_deputy": next(
                i
                for i, d in enumerate(deputies)
                if d.delegation.name == "昌吉市代表团" and d.ethnicity == "回族"
            ),
        }
        for username, index in chosen.items():
            users[index] = User(
                username=username,
                name=deputies[index].name,
                email=deputies[index].email,
                password=self.password_hash,
            )
        existing = set(
            User.objects.filter(username__in=list(chosen)).values_list(
                "username", flat=True
            )
        )
        self.preexisting |= existing
        new_users = [u for u in users if u.username not in existing]
        User.objects.bulk_create(new_users)
        saved = {
            u.username: u
            for u in User.objects.filter(username__in=[u.username for u in users])
        }
        for deputy, user in zip(deputies, users, strict=True):
            deputy.user = saved[user.username]
        Deputy.objects.bulk_create(deputies)
        self.deputies = list(
            Deputy.objects.filter(delegation__congress=self.congress)
            .select_related("delegation", "user")
            .order_by("pk")
        )
        self.by_delegation: dict[int, list[Deputy]] = {}
        for deputy in self.deputies:
            self.by_delegation.setdefault(deputy.delegation_id, []).append(deputy)
        self.user_of = {d.pk: d.user for d in self.deputies}
        self.deputy = next(d for d in self.deputies if d.user.username == "deputy")
        self.deputy2 = next(d for d in self.deputies if d.user.username == "deputy2")

    def make_sessions(self) -> dict[str, Session]:
        self.sessions = {
            "2022": Session.objects.create(
                congress=self.congress, ordinal=1, year=2022, opened_on=date(2022, 1, 4)
            ),
            "2023": Session.objects.create(
                congress=self.congress, ordinal=2, year=2023, opened_on=date(2023, 1, 9)
            ),
            # Each becomes current as its suggestions come in (open_for_intake).
            "current": Session.objects.create(
                congress=self.congress,
                ordinal=self.opened.year - 2021,
                year=self.opened.year,
                opened_on=self.opened,
            ),
        }
        return self.sessions

    def open_for_intake(self, session: Session) -> None:
        """Make ``session`` the congress's current one, as it was while its
        suggestions came in: only the session open for intake takes new drafts."""
        session.is_current = True
        session_save(session=session)

    def seal_reviewed(self) -> None:
        """The sessions before the current one have their annual review final:
        staff sealed them the day before today."""
        with clock.frozen_at(self.cap):
            for name in ("2022", "2023"):
                services.session_seal(
                    session_id=self.sessions[name].pk,
                    actor=self.staff,
                    reason="年度办理情况报告已定稿",
                )
                self.sessions[name].refresh_from_db()

    # --- time -------------------------------------------------------------------------

    def _working(self, day: date) -> date:
        """The working day on or after ``day``, unless that reaches today; then the
        working day before, unless that is more than a week earlier."""
        forward = day
        while not self.calendar.is_working_day(forward):
            forward += timedelta(days=1)
        if forward < self.today:
            return forward
        back = day
        while not self.calendar.is_working_day(back) and day - back < timedelta(7):
            back -= timedelta(days=1)
        if self.calendar.is_working_day(back) and back < self.today:
            return back
        return min(day, self.today - timedelta(days=1))

    def _moment(self, day: date) -> datetime:
        """A moment in office hours on (about) ``day``."""
        day = self._working(day)
        minutes = self.rng.randrange(9 * 60 + 30, 18 * 60 + 30)
        return datetime.combine(day, dtime(minutes // 60, minutes % 60), tzinfo=self.tz)

    def _between(self, lo: datetime, hi: datetime) -> datetime:
        """A moment in office hours strictly after ``lo`` and before ``hi`` if one
        fits, else just after ``lo``."""
        if hi <= lo + timedelta(minutes=20):
            return lo + timedelta(minutes=self.rng.randrange(5, 15))
        lo_day, hi_day = timezone.localdate(lo), timezone.localdate(hi)
        for _ in range(6):
            day = lo_day + timedelta(self.rng.randrange((hi_day - lo_day).days + 1))
            moment = self._moment(day)
            if lo < moment < hi:
                return moment
        span = (hi - lo).total_seconds()
        return lo + timedelta(seconds=self.rng.uniform(0.2, 0.8) * span)

    def _after(self, moment: datetime, lo_days: float, hi_days: float) -> datetime:
        return self._between(
            moment + timedelta(days=lo_days), moment + timedelta(days=hi_days)
        )

    def _day_start(self, day: date) -> datetime:
        return datetime.combine(day, dtime(9, 0), tzinfo=self.tz)

    def _day_end(self, day: date) -> datetime:
        return datetime.combine(day, dtime(19, 0), tzinfo=self.tz)

    # --- steps ------------------------------------------------------------------------

    def add(self, at: datetime, run: Callable[[datetime], object]) -> datetime:
        at = min(at, self.cap)
        self.seq += 1
        self.steps.append(Step(at, self.seq, run))
        return at

    def replay(self) -> int:
        steps = sorted(self.steps, key=lambda s: (s.at, s.seq))
        for step in steps:
            with clock.frozen_at(step.at):
                step.run(step.at)
        self.steps = []
        return len(steps)

    # --- service calls ----------------------------------------------------------------

    def _assignment(self, ref: Ref, unit: HandlingUnit, round_: int) -> int:
        """The active assignment of ``unit`` in the round (looked up once)."""
        key = (unit.pk, round_)
        if key not in ref.assignments:
            ref.assignments = {
                (unit_id, number): pk
                for pk, unit_id, number in Assignment.objects.filter(
                    suggestion_id=ref.id, active=True
                ).values_list("pk", "unit_id", "round")
            }
        return ref.assignments[key]

    def _pending_request(self, ref: Ref, kind: str) -> int:
        return (
            AdjustmentRequest.objects.filter(
                assignment__suggestion_id=ref.id, kind=kind, decision="pending"
            )
            .values_list("pk", flat=True)
            .get()
        )

    def intake(
        self,
        session: Session,
        lead: Deputy,
        category: Category,
        *,
        created: datetime,
        title: str | None = None,
        body: str | None = None,
        topic_unit: HandlingUnit | None = None,
        cosigners: int = 0,
        extra_cosigners: list[Deputy] | tuple = (),
        invited_only: list[Deputy] | tuple = (),
        submit: datetime | None = None,
        preset_category: bool | None = None,
        exclude: set[int] | None = None,
    ) -> Ref:
        """Schedule the draft (with its invitations and co-signatures) and, if
        ``submit`` is given, its submission."""
        rng = self.rng
        place = self.place_of[lead.delegation_id]
        if rng.random() < 0.2:
            place = rng.choice(self.places)
        if title is None:
            title, body = self.text(category.name, topic_unit, place)
        ref = Ref(title=title, lead=lead, category=category, place=place)
        exclude = set(exclude or ()) | {lead.pk}
        exclude |= {d.pk for d in extra_cosigners} | {d.pk for d in invited_only}
        signers = list(extra_cosigners) + self.pick_cosigners(lead, cosigners, exclude)
        unsigned = []
        if signers and rng.random() < 0.08:
            unsigned.append(signers.pop())
        unsigned += list(invited_only)
        if preset_category is None:
            preset_category = rng.random() < 0.4
        lead_user = self.user_of[lead.pk]

        def create(_at):
            suggestion = services.suggestion_create(
                actor=lead_user,
                session=session,
                title=title,
                body=body,
                category=category if preset_category else None,
                co_signers=[d.pk for d in signers + unsigned],
            )
            ref.id = suggestion.pk

        t = self.add(created, create)
        horizon = submit or self.cap
        for signer in signers:
            user = self.user_of[signer.pk]
            t = self.add(
                self._between(t, horizon - timedelta(minutes=30)),
                lambda _at, user=user: services.suggestion_cosign(
                    suggestion_id=ref.id, actor=user
                ),
            )
        if submit is not None:
            t = ref.submitted = self.add(
                max(submit, t + timedelta(minutes=10)),
                lambda _at: services.suggestion_submit(
                    suggestion_id=ref.id, actor=lead_user
                ),
            )
        ref.last = t
        return ref

    def pick_cosigners(self, lead: Deputy, n: int, exclude: set[int]) -> list[Deputy]:
        if n <= 0:
            return []
        same = [
            d for d in self.by_delegation[lead.delegation_id] if d.pk not in exclude
        ]
        others = [d for d in self.deputies if d.pk not in exclude]
        chosen: list[Deputy] = []
        for _ in range(n):
            pool = same if self.rng.random() < 0.8 else others
            pool = [d for d in pool if d not in chosen] or [
                d for d in others if d not in chosen
            ]
            chosen.append(self.rng.choice(pool))
        return chosen

    def _next(self, ref: Ref, at: datetime, *after: datetime | None) -> datetime:
        """``at``, or a little after the suggestion's last step (and ``after``) if
        that is later: holidays can push planned moments past each other."""
        for moment in (ref.last, *after):
            if moment is not None and at <= moment:
                at = moment + timedelta(minutes=self.rng.randrange(10, 90))
        ref.last = at
        return at

    def register(self, ref: Ref, at: datetime) -> datetime:
        return self.add(
            self._next(ref, at),
            lambda _at: services.suggestion_register(
                suggestion_id=ref.id, actor=self.staff, category=ref.category
            ),
        )

    def reject(self, ref: Ref, at: datetime, reason: str, disposition: str) -> None:
        self.add(
            self._next(ref, at),
            lambda _at: services.suggestion_reject(
                suggestion_id=ref.id,
                actor=self.staff,
                reason=reason,
                disposition=disposition,
            ),
        )

    def merge(self, ref: Ref, into: Ref, at: datetime) -> None:
        self.add(
            self._next(ref, at, into.submitted),
            lambda _at: services.suggestion_merge(
                suggestion_id=ref.id, actor=self.staff, into=into.id
            ),
        )

    def withdraw(self, ref: Ref, at: datetime) -> None:
        user = self.user_of[ref.lead.pk]
        reason = self.rng.choice(WITHDRAW_REASONS)
        self.add(
            self._next(ref, at),
            lambda _at: services.suggestion_withdraw(
                suggestion_id=ref.id, actor=user, reason=reason
            ),
        )

    def handle(
        self, ref: Ref, plan: HandlingPlan, *, earliest: datetime | None = None
    ) -> None:
        """Schedule the handling of a filed suggestion (filed before ``earliest``):
        assignment, acknowledgement, adjustment requests, co-units' opinions,
        contacts, replies and ratings."""
        rng, rules = self.rng, self.rules
        staff = self.staff
        t0 = self._next(ref, self._moment(plan.assign_on), earliest)
        assigned_on = timezone.localdate(t0)
        first = (
            plan.wrong_unit if plan.reassignment in (APPROVED, PENDING) else plan.unit
        )
        unit = plan.unit
        key = plan.key and not plan.mark_key_later
        co_units = [u for u in plan.co_units if u.pk not in (first.pk, unit.pk)]

        def assign(_at):
            services.suggestion_assign(
                suggestion_id=ref.id,
                actor=staff,
                lead_unit=first,
                co_units=co_units,
                complexity=plan.complexity,
                key_supervised=key,
                supervising_leader=self.leader if key else None,
            )

        t0 = self.add(t0, assign)
        if key and self.staged:
            self._leaders(ref, t0)
        if plan.mark_key_later:
            self.add(
                self._after(t0, 2, 10),
                lambda _at: services.suggestion_mark_key(
                    suggestion_id=ref.id,
                    actor=staff,
                    key_supervised=True,
                    supervising_leader=self.leader,
                ),
            )
        lead_start = t0
        acked = None
        if plan.reassignment:
            acked = self._ack(ref, first, 1, self._after(t0, 0, 1.5))
            asked = (
                self._moment(plan.reassignment_on)
                if plan.reassignment_on
                else self._after(acked, 1, 4)
            )
            asked = max(asked, acked + timedelta(minutes=30))
            reassign_reason = REASSIGNMENT_REASON.format(unit=unit.name)
            first_clerk = self.clerks[first.pk]
            self.add(
                asked,
                lambda _at: services.assignment_request_reassignment(
                    assignment_id=self._assignment(ref, first, 1),
                    actor=first_clerk,
                    reason=reassign_reason,
                ),
            )
            if plan.reassignment == PENDING:
                return
            decided = self._after(asked, 0.5, 3)
            if plan.reassignment == APPROVED:
                self.add(
                    decided,
                    lambda _at: services.adjustment_approve(
                        request_id=self._pending_request(
                            ref, AdjustmentKind.REASSIGNMENT
                        ),
                        actor=staff,
                        new_unit=unit,
                    ),
                )
                lead_start, acked = decided, None
            else:
                self.add(
                    decided,
                    lambda _at: services.adjustment_deny(
                        request_id=self._pending_request(
                            ref, AdjustmentKind.REASSIGNMENT
                        ),
                        actor=staff,
                        reason=REASSIGNMENT_DENIAL,
                    ),
                )
        if acked is None:
            if not plan.ack:
                return
            acked = self._ack(
                ref,
                unit,
                1,
                self._moment(plan.ack_on)
                if plan.ack_on
                else self._after(lead_start, 0, 2.5),
                not_before=lead_start,
            )

        due = deadlines.reply_due(rules, assigned_on, plan.complexity)
        effective_due = due
        rounds = plan.rounds or [RoundPlan(None)]
        first_round = rounds[0]
        # The reply comes after any decision on an extension.
        reply_floor = acked
        if plan.extension:
            limit = deadlines.extension_limit(rules, assigned_on)
            until = min(add_months(due, rng.choice([1, 2, 2, 3])), limit)
            asked = (
                self._moment(plan.extension_on)
                if plan.extension_on
                else self._between(
                    max(acked, self._day_start(due - timedelta(days=25))),
                    self._day_end(due - timedelta(days=8)),
                )
            )
            asked = max(asked, acked + timedelta(hours=1))
            unit_clerk = self.clerks[unit.pk]
            extension_reason = rng.choice(EXTENSION_REASONS)
            self.add(
                asked,
                lambda _at: services.assignment_request_extension(
                    assignment_id=self._assignment(ref, unit, 1),
                    actor=unit_clerk,
                    reason=extension_reason,
                    until=until,
                ),
            )
            reply_floor = asked
            if plan.extension in (APPROVED, DENIED):
                decided = self._after(asked, 1, 4)
                reply_floor = decided
                if plan.extension == APPROVED:
                    effective_due = until
                    self.add(
                        decided,
                        lambda _at: services.adjustment_approve(
                            request_id=self._pending_request(
                                ref, AdjustmentKind.EXTENSION
                            ),
                            actor=staff,
                        ),
                    )
                else:
                    self.add(
                        decided,
                        lambda _at: services.adjustment_deny(
                            request_id=self._pending_request(
                                ref, AdjustmentKind.EXTENSION
                            ),
                            actor=staff,
                            reason=EXTENSION_DENIAL,
                        ),
                    )
        reply_at = None
        if first_round.outcome:
            if first_round.reply_on:
                reply_at = self._moment(first_round.reply_on)
            elif first_round.late:
                reply_at = self._between(
                    self._day_start(effective_due + timedelta(days=3)),
                    self._day_end(effective_due + timedelta(days=25)),
                )
            elif effective_due != due:
                reply_at = self._between(
                    self._day_start(due + timedelta(days=3)),
                    self._day_end(effective_due - timedelta(days=2)),
                )
            else:
                reply_at = self._between(
                    max(acked + timedelta(days=20), t0 + timedelta(days=30)),
                    self._day_end(effective_due - timedelta(days=1)),
                )
            reply_at = max(
                reply_at, acked + timedelta(days=1), reply_floor + timedelta(hours=2)
            )
        horizon = reply_at or self.cap
        # Co-units: acknowledge, then send their opinion before the lead's reply.
        co_due = deadlines.co_unit_due(rules, assigned_on, due)
        for co_unit in co_units:
            co_acked = self._ack(
                ref,
                co_unit,
                1,
                self._after(t0, 0, 4),
                not_before=t0,
                before=horizon - timedelta(hours=3),
            )
            if plan.co_opinions and co_acked is not None:
                latest = min(self._day_end(co_due), horizon - timedelta(hours=2))
                if latest > co_acked + timedelta(days=2):
                    self._opinion(
                        ref,
                        co_unit,
                        self._between(co_acked + timedelta(days=2), latest),
                    )
        self._round(ref, unit, 1, first_round, acked, reply_at, due=due)
        if first_round.rating is None or reply_at is None:
            return
        rated = self._rate(ref, first_round, reply_at)
        for number, round_plan in enumerate(rounds[1:], start=2):
            previous = rounds[number - 2]
            if previous.rating != Rating.DISSATISFIED or not round_plan.ack:
                return
            round_due = deadlines.rehandling_due(rules, timezone.localdate(rated))
            acked = self._ack(ref, unit, number, self._after(rated, 0.5, 3))
            reply_at = None
            if round_plan.outcome:
                reply_at = (
                    self._moment(round_plan.reply_on)
                    if round_plan.reply_on
                    else self._between(
                        acked + timedelta(days=7),
                        self._day_end(round_due - timedelta(days=2)),
                    )
                )
                reply_at = max(reply_at, acked + timedelta(days=1))
            self._round(ref, unit, number, round_plan, acked, reply_at, due=round_due)
            if round_plan.rating is None or reply_at is None:
                return
            rated = self._rate(ref, round_plan, reply_at)
        if plan.publish:
            self.add(
                self._after(rated, 1, 20),
                lambda _at: services.suggestion_publish(
                    suggestion_id=ref.id, actor=staff, is_public=True
                ),
            )
        if plan.fulfil and rounds[-1].outcome == Outcome.IN_PROGRESS:
            kept = self._after(rated, 120, 240)
            last_round = len(rounds)
            kept_on = timezone.localdate(kept)
            note = FULFILMENT_NOTE.format(date=f"{kept_on.year}年{kept_on.month}月")

            def fulfil(_at):
                reply_id = Reply.objects.get(
                    assignment_id=self._assignment(ref, unit, last_round)
                ).pk
                services.reply_fulfil(
                    reply_id=reply_id, actor=self.clerks[unit.pk], note=note
                )

            self.add(kept, fulfil)

    def _ack(
        self,
        ref: Ref,
        unit: HandlingUnit,
        round_: int,
        at: datetime,
        *,
        not_before: datetime | None = None,
        before: datetime | None = None,
    ) -> datetime | None:
        if not_before is not None and at <= not_before:
            at = not_before + timedelta(minutes=self.rng.randrange(20, 120))
        if before is not None and at >= before:
            if before <= (not_before or at) + timedelta(minutes=10):
                return None
            at = self._between(not_before or at, before)
        clerk = self.clerks[unit.pk]
        return self.add(
            at,
            lambda _at: services.assignment_acknowledge(
                assignment_id=self._assignment(ref, unit, round_), actor=clerk
            ),
        )

    def _opinion(self, ref: Ref, unit: HandlingUnit, at: datetime) -> None:
        clerk = self.clerks[unit.pk]
        body = (
            f"关于《{ref.title}》的协办意见：我单位结合职责进行了认真研究，"
            f"{self.rng.choice(CO_OPINIONS)}，请主办单位在答复中统筹考虑。"
        )
        self.add(
            at,
            lambda _at: services.assignment_reply(
                assignment_id=self._assignment(ref, unit, 1),
                actor=clerk,
                outcome=Outcome.RESOLVED,
                body=body,
                signed_by=f"{unit.short_name} {self.heads[unit.short_name]}",
            ),
        )

    def _round(
        self,
        ref: Ref,
        unit: HandlingUnit,
        number: int,
        plan: RoundPlan,
        acked: datetime,
        reply_at: datetime | None,
        *,
        due: date | None = None,
    ) -> None:
        """A contact (if planned), the 五定 plan and its progress, and the lead reply
        (if planned) of one round.

        The rules require the meeting before the reply (三见面, by default): a
        round that replies always has its contact before replying; the 2023
        session (``staged``) also meets before and during the handling, a
        realistic share of its assignments."""
        clerk = self.clerks[unit.pk]
        if due is not None:
            self._plan(ref, unit, number, acked, reply_at, due)
        replies = reply_at is not None and plan.outcome is not None
        contacted = None
        methods = (
            [ContactMethod.VISIT, ContactMethod.MEETING]
            + [ContactMethod.PHONE] * 2
            + [ContactMethod.ONLINE]
        )
        if plan.contact:
            latest = (reply_at - timedelta(hours=4)) if reply_at else self.cap
            lo = acked + timedelta(days=2 if number == 1 else 1)
            if latest > lo:
                contacted = self._between(lo, latest)
                self._contact(ref, unit, number, contacted, self.rng.choice(methods))
        if contacted is None and replies:
            # No meeting planned, or no room for it by the plan's bounds: the
            # rules still want one before the reply.
            stream = self._stage_rng()
            contacted = acked + (reply_at - acked) * stream.uniform(0.5, 0.9)
            self._contact(ref, unit, number, contacted, stream.choice(methods))
        if self.staged and number == 1:
            stream = self._stage_rng()
            end = contacted or reply_at or self.cap
            if end > acked + timedelta(hours=2):
                span = end - acked
                if stream.random() < 0.62:
                    at = acked + span * stream.uniform(0.05, 0.25)
                    self._contact(
                        ref,
                        unit,
                        number,
                        at,
                        stream.choice(methods),
                        stage=ContactStage.BEFORE,
                    )
                if stream.random() < 0.48:
                    at = acked + span * stream.uniform(0.4, 0.8)
                    self._contact(
                        ref,
                        unit,
                        number,
                        at,
                        stream.choice(methods),
                        stage=ContactStage.DURING,
                    )
        if not replies:
            return
        body = self.reply_text(
            ref, unit, plan.outcome, number, reply_at, contacted=plan.contact
        )
        promises = self._promises(plan.outcome, reply_at)
        self.add(
            reply_at,
            lambda _at: services.assignment_reply(
                assignment_id=self._assignment(ref, unit, number),
                actor=clerk,
                outcome=plan.outcome,
                body=body,
                signed_by=f"{unit.short_name} {self.heads[unit.short_name]}",
                # Kept only where a co-unit's opinion was still awaited.
                co_opinion_note=CO_OPINION_NOTE,
                promises=promises,
            ),
        )
        for index, promise in enumerate(promises):
            self._promise_report(ref, unit, number, index, promise["due_on"])

    def _promises(self, outcome: str, reply_at: datetime) -> list[dict]:
        """A class-B reply's promises (承诺事项): a plan within four months, the work
        itself by the middle of the next year. Derived from the reply's day alone,
        never drawn from ``self.rng``, so that the rest of the demo stays as it
        was (the 2023 review's figures)."""
        if outcome != Outcome.IN_PROGRESS:
            return []
        replied = timezone.localdate(reply_at)
        dues = [replied + timedelta(days=120), date(replied.year + 1, 6, 30)]
        return [
            {"text": text.format(date=f"{d.year}年{d.month}月{d.day}日"), "due_on": d}
            for text, d in zip(PROMISE_TEXTS, dues, strict=True)
        ]

    def _promise_report(
        self, ref: Ref, unit: HandlingUnit, number: int, index: int, due: date
    ) -> None:
        """The lead unit's report on a promise some days after its date: most kept,
        some partly, a few not kept, one in ten never reported (reminded, and
        counted as still open). Chosen by a checksum of the title, not by
        ``self.rng``; none after the demo's last day."""
        checksum = zlib.crc32(f"{ref.title}:{index}".encode())
        state = ("kept",) * 6 + ("partly",) * 2 + ("not_kept", None)
        chosen = state[checksum % 10]
        at = datetime.combine(
            due + timedelta(days=3 + checksum % 20), dtime(10, 0), tzinfo=self.tz
        )
        if chosen is None or at >= self.cap:
            return
        clerk = self.clerks[unit.pk]
        on = timezone.localdate(at)
        note = PROMISE_REPORTS[chosen].format(date=f"{on.year}年{on.month}月{on.day}日")

        def report(_at):
            promise_id = (
                Promise.objects.filter(
                    reply__assignment_id=self._assignment(ref, unit, number)
                )
                .order_by("due_on", "pk")
                .values_list("pk", flat=True)[index]
            )
            services.promise_report(
                promise_id=promise_id, actor=clerk, state=chosen, note=note
            )

        self.add(at, report)

    def _plan(
        self,
        ref: Ref,
        unit: HandlingUnit,
        number: int,
        acked: datetime,
        reply_at: datetime | None,
        due: date,
    ) -> None:
        """The lead unit's 五定 plan, filed after acknowledging and before the reply:
        mostly within the rules' working days, a few late with a reason; progress
        reported on most milestones passed before the reply (or today). A plan of
        work still being handled may be due and not yet filed.

        Its own random numbers (seeded by the suggestion and round), so that the
        rest of the demo, and every figure of the 2023 review, stays as it was."""
        rng = random.Random(f"plan:{ref.title}:{unit.pk}:{number}")
        acked_on = timezone.localdate(acked)
        plan_due = self.calendar.add(acked_on, self.rules.plan_working_days).date
        end = reply_at - timedelta(hours=3) if reply_at else self.cap
        if reply_at is None and rng.random() < 0.3:
            return  # still due (or overdue) on the demo's today
        late = rng.random() < 0.06
        filed = None
        if late:
            lo = self._day_start(plan_due + timedelta(days=1))
            hi = self._day_end(plan_due + timedelta(days=12))
            if min(hi, end) > lo + timedelta(hours=1):
                filed = lo + (min(hi, end) - lo) * rng.uniform(0.1, 0.9)
        if filed is None:
            late = False
            hi = min(self._day_end(plan_due), end)
            if hi <= acked + timedelta(minutes=30):
                return
            filed = acked + (hi - acked) * rng.uniform(0.15, 0.95)
        if filed >= self.cap:
            return
        filed_on = timezone.localdate(filed)
        complete_by = max(due - timedelta(days=rng.randrange(3, 25)), filed_on)
        span = (complete_by - filed_on).days
        steps = PLAN_STEPS[: 2 + rng.randrange(2)]
        milestones = [
            {
                "title": title,
                "due_on": filed_on
                + timedelta(days=max(1, round(span * (i + 1) / (len(steps) + 1)))),
            }
            for i, title in enumerate(steps)
        ]
        milestones = [m for m in milestones if m["due_on"] <= complete_by]
        if not milestones:
            milestones = [{"title": PLAN_STEPS[-1], "due_on": complete_by}]
        clerk = self.clerks[unit.pk]
        leader = f"{unit.short_name} {self.heads[unit.short_name]}"
        officer = clerk.name or "承办人"
        phone = f"0994-{2300000 + rng.randrange(99999):07d}"
        measures = rng.choice(PLAN_MEASURES).format(title=ref.title)
        # Given always: the service keeps it only for a plan it finds late (its
        # calendar is the body's, which may differ from the builder's by a day).
        reason = rng.choice(PLAN_LATE_REASONS)

        def file(_at):
            assignment_id = self._assignment(ref, unit, number)
            # The deadline as it stands (a reassignment may have set its own).
            latest = Assignment.objects.get(pk=assignment_id).due_at
            by = min(complete_by, latest)
            services.assignment_file_plan(
                assignment_id=assignment_id,
                actor=clerk,
                responsible_leader=leader,
                officer=officer,
                officer_phone=phone,
                measures=measures,
                milestones=[m for m in milestones if m["due_on"] <= by]
                or [{"title": PLAN_STEPS[-1], "due_on": by}],
                complete_by=by,
                late_reason=reason,
            )

        self.add(filed, file)
        for index, milestone in enumerate(milestones):
            if rng.random() < 0.12:
                continue  # passed without a report: the unit is reminded
            at = self._day_start(milestone["due_on"]) + timedelta(
                hours=rng.uniform(0.5, 30)
            )
            if not filed < at < end or at >= self.cap:
                continue
            note = PLAN_PROGRESS[index % len(PLAN_PROGRESS)]

            def report(_at, title=milestone["title"], note=note):
                assignment_id = self._assignment(ref, unit, number)
                step = PlanMilestone.objects.filter(
                    plan__assignment_id=assignment_id, title=title
                ).first()
                if step is None:
                    return
                services.assignment_report_progress(
                    assignment_id=assignment_id,
                    actor=clerk,
                    milestone=step.pk,
                    note=note,
                )

            self.add(at, report)

    def _stage_rng(self) -> random.Random:
        if not hasattr(self, "_stages"):
            self._stages = random.Random(f"{SEED}-stages")
        return self._stages

    def _contact(
        self,
        ref: Ref,
        unit: HandlingUnit,
        number: int,
        at: datetime,
        method: str,
        *,
        stage: str = ContactStage.BEFORE_REPLY,
    ) -> None:
        """Schedule a contact of the unit with the lead deputy at ``at``."""
        clerk = self.clerks[unit.pk]
        area = ref.place or "现场"
        note = CONTACT_NOTES[method].format(area=area, deputy=ref.lead.name)
        self.add(
            at,
            lambda at: services.assignment_record_contact(
                assignment_id=self._assignment(ref, unit, number),
                actor=clerk,
                method=method,
                contacted_at=at,
                note=note,
                stage=stage,
            ),
        )

    def _leaders(self, ref: Ref, assigned: datetime) -> None:
        """The leaders' part in a key suggestion of the 2023 session: a government
        leader leads its handling (领办), and a few are visited, discussed or
        supervised on site by the standing committee's leader."""
        stream = self._stage_rng()
        name, post = stream.choice(LEADING_LEADERS)
        staff, leader = self.staff, self.leader
        self.add(
            assigned + timedelta(hours=2),
            lambda _at: services.suggestion_set_leaders(
                suggestion_id=ref.id,
                actor=staff,
                leading_leader_name=name,
                leading_leader_post=post,
                supervising_leader=leader,
            ),
        )
        if stream.random() >= 0.3:
            return
        kind = stream.choice(["visit", "visit", "forum", "on_site"])
        day = timezone.localdate(assigned) + timedelta(days=stream.randrange(20, 70))
        day = self._working(day)
        place = ref.place or "州直有关部门"
        participants = f"州人大常委会领导、相关工委负责同志，{ref.lead.name}等人大代表"
        notes = SUPERVISION_NOTES[kind].format(place=place)
        self.add(
            datetime.combine(day, dtime(10, 30), tzinfo=self.tz),
            lambda at: services.suggestion_record_supervision(
                suggestion_id=ref.id,
                actor=leader,
                kind=kind,
                held_on=timezone.localdate(at),
                place=place,
                participants=participants,
                notes=notes,
            ),
        )

    def _rate(self, ref: Ref, plan: RoundPlan, reply_at: datetime) -> datetime:
        rated = (
            self._moment(plan.rate_on) if plan.rate_on else self._after(reply_at, 3, 14)
        )
        rated = max(rated, reply_at + timedelta(hours=2))
        comment = self.rng.choice(
            {
                Rating.SATISFIED: SATISFIED_COMMENTS,
                Rating.BASICALLY_SATISFIED: BASIC_COMMENTS,
                Rating.DISSATISFIED: DISSATISFIED_COMMENTS,
            }[plan.rating]
        )
        attitude = plan.attitude or self._attitude(plan.rating)
        meeting = self.meeting
        if (
            plan.on_site
            and meeting is not None
            and reply_at + timedelta(days=2) < meeting.rates_at
        ):
            # Rated face to face at the evaluation meeting, on the signed form
            # that staff enter with its scan.
            meeting.deputies.add(ref.lead.pk)

            def rate_on_site(at):
                services.evaluation_meeting_rate(
                    meeting_id=meeting.id,
                    actor=self.staff,
                    suggestion_id=ref.id,
                    deputy_id=ref.lead.pk,
                    attitude=attitude,
                    result=plan.rating,
                    comment=comment,
                    form_scan=signed_form_scan(),
                )

            return self.add(meeting.rates_at + self._minutes(), rate_on_site)
        user = self.user_of[ref.lead.pk]
        return self.add(
            rated,
            lambda _at: services.suggestion_evaluate(
                suggestion_id=ref.id,
                actor=user,
                attitude=attitude,
                result=plan.rating,
                comment=comment,
            ),
        )

    def _attitude(self, result: str) -> str:
        """The deputy's rating of the handling attitude beside the result's: most
        rate the attitude as well as the result or better."""
        rng = self.rating_rng
        if result == Rating.SATISFIED:
            return (
                Rating.SATISFIED if rng.random() < 0.97 else Rating.BASICALLY_SATISFIED
            )
        if result == Rating.BASICALLY_SATISFIED:
            return (
                Rating.SATISFIED if rng.random() < 0.6 else Rating.BASICALLY_SATISFIED
            )
        return Rating.BASICALLY_SATISFIED if rng.random() < 0.7 else Rating.DISSATISFIED

    def _minutes(self) -> timedelta:
        return timedelta(minutes=self.rating_rng.randint(0, 360))

    def plan_evaluation_meeting(
        self, session: Session, held_on: date, place: str, units
    ) -> EvaluationMeetingPlan:
        """The session's evaluation meeting (现场测评会), recorded by staff the day
        it is held; the deputies present are those whose ratings are planned on
        site (``_rate`` adds them)."""
        plan = EvaluationMeetingPlan(
            rates_at=self._moment(held_on) + timedelta(hours=1)
        )

        def hold(_at):
            plan.id = services.evaluation_meeting_create(
                actor=self.staff,
                session=session,
                held_on=held_on,
                place=place,
                deputies=sorted(plan.deputies),
                units=[u.pk for u in units],
            ).pk

        self.add(self._moment(held_on), hold)
        self.meeting = plan
        return plan

    # --- texts ------------------------------------------------------------------------

    def text(
        self, category: str, unit: HandlingUnit | None, place: str
    ) -> tuple[str, str]:
        rng = self.rng
        topics = self.unit_defs[unit.short_name].topics if unit else ()
        if not topics:
            topics = ("进一步做好" + FIELDS[category] + "工作",)
        topic = rng.choice(topics).format(place=place)
        title = f"关于{topic}的建议"
        area = place if "{place}" in topic or rng.random() < 0.5 else self.home_word
        problems = rng.sample(PROBLEMS[category], 2)
        measures = rng.sample(MEASURES[category], 3)
        body = (
            f"近年来，{area}在{FIELDS[category]}方面做了大量工作，取得了积极成效。"
            f"但在{topic}方面，群众反映仍较为集中，经调研，主要存在以下问题：\n"
            f"一是{problems[0]}；\n二是{problems[1]}。\n\n"
            "为此，建议：\n"
            f"一、{measures[0]}。\n二、{measures[1]}。\n三、{measures[2]}。"
        )
        return title, body

    def reply_text(
        self,
        ref: Ref,
        unit: HandlingUnit,
        outcome: str,
        number: int,
        at: datetime,
        contacted: bool,
    ) -> str:
        rng = self.rng
        day = timezone.localdate(at)
        year = day.year
        actions = [
            a.format(amount=rng.choice([50, 80, 120, 200, 350, 500, 800, 1200]))
            for a in rng.sample(REPLY_ACTIONS, 2)
        ]
        result = (
            rng.choice(OUTCOME_TEXTS[outcome])
            .format(year=year, next_year=year + 1)
            .replace("我州", self.home_word)
        )
        if number > 1:
            opening = "针对您对首次答复提出的意见，我单位重新进行了研究办理"
        else:
            opening = "我单位高度重视，主要领导专题研究，分管领导具体负责"
        if contacted:
            opening += "，并与您进行了沟通交流"
        return (
            f"尊敬的{ref.lead.name}代表：\n"
            f"您提出的《{ref.title}》收悉。{opening}。现将办理情况答复如下：\n"
            f"一、{actions[0]}\n二、{actions[1]}\n三、{result}\n"
            f"感谢您对{unit.short_name}工作的关心和支持，欢迎继续提出宝贵意见和建议。\n"
            f"{unit.name}\n{day.year}年{day.month}月{day.day}日"
        )

    # --- sessions ---------------------------------------------------------------------

    def _lead_pool(self, exclude=()) -> list[Deputy]:
        return [d for d in self.deputies if d.pk not in exclude]

    def _registration_times(
        self, refs_with_submit: list[tuple[Ref, datetime]], days: list[date]
    ) -> list[tuple[Ref, datetime]]:
        """Staff file a batch in the order handed in, spread over ``days``."""
        ordered = sorted(refs_with_submit, key=lambda r: r[1])
        per_day = -(-len(ordered) // len(days))
        result = []
        for index, (ref, submitted) in enumerate(ordered):
            day = self._working(days[index // per_day])
            slot = index % per_day
            start = datetime.combine(day, dtime(9, 30), tzinfo=self.tz)
            at = start + timedelta(minutes=slot * 8 * 60 / per_day)
            result.append((ref, max(at, submitted + timedelta(hours=1))))
        return result

    def _session_intake(
        self,
        session: Session,
        pairs: list[tuple[Category, HandlingUnit]],
        opened: date,
        days: int,
        cosigners: tuple[int, ...],
    ) -> list[tuple[Ref, datetime]]:
        """Suggestions handed in during a session: drafted and submitted on its
        days, most with co-signers."""
        rng = self.rng
        refs = []
        for category, unit in pairs:
            lead = rng.choice(self.deputies)
            created = self._moment(opened + timedelta(days=rng.randrange(days)))
            submit = self._after(created, 0.05, 1)
            n = rng.choice(cosigners)
            ref = self.intake(
                session,
                lead,
                category,
                created=created,
                submit=submit,
                topic_unit=unit,
                cosigners=n,
            )
            refs.append((ref, submit))
        return refs

    def _pairs_2023(self) -> list[tuple[Category, HandlingUnit]]:
        pairs = []
        for category, rows in ALLOCATION_2023.items():
            for short, n in rows:
                pairs += [(self.categories[category], self.units[short])] * n
        return pairs

    def _not_suggestions(self, session, opened, n, start=0, leads=None):
        """Items handed in during the session that staff do not accept."""
        refs = []
        for title, body, reason, disposition in NOT_SUGGESTIONS[start : start + n]:
            lead = self.rng.choice(leads or self.deputies)
            created = self._moment(opened + timedelta(days=self.rng.randrange(3)))
            ref = self.intake(
                session,
                lead,
                self.categories["其它"],
                created=created,
                submit=self._after(created, 0.05, 1),
                title=title,
                body=body,
                preset_category=False,
            )
            refs.append((ref, reason, disposition))
        return refs

    def session_2022(self) -> None:
        rng = self.rng
        session = self.sessions["2022"]
        pairs = [rng.choice(self._pairs_2023()) for _ in range(229)]
        refs = self._session_intake(
            session, pairs, session.opened_on, 3, (0, 0, 0, 0, 1, 1, 2, 3)
        )
        regs = self._registration_times(
            refs, [date(2022, 1, d) for d in (10, 11, 12, 13)]
        )
        for ref, at in regs:
            self.register(ref, at)
        units = {id(ref): unit for (ref, _), (_, unit) in zip(refs, pairs, strict=True)}
        n = len(regs)
        key = set(rng.sample(range(n), 30))
        special = rng.sample(range(n), 5)
        rehandled, extended = set(special[:3]), set(special[3:])
        for index, (ref, registered) in enumerate(regs):
            outcome = rng.choices(
                [Outcome.RESOLVED, Outcome.IN_PROGRESS, Outcome.EXPLAINED], [80, 8, 12]
            )[0]
            if outcome == Outcome.RESOLVED:
                rating = rng.choices(
                    [Rating.SATISFIED, Rating.BASICALLY_SATISFIED], [9, 1]
                )[0]
            elif outcome == Outcome.IN_PROGRESS:
                rating = rng.choice([Rating.SATISFIED, Rating.BASICALLY_SATISFIED])
            else:
                rating = rng.choices(
                    [Rating.SATISFIED, Rating.BASICALLY_SATISFIED], [3, 7]
                )[0]
            rounds = [
                RoundPlan(
                    outcome,
                    rating,
                    contact=rng.random() < 0.88,
                    late=rng.random() < 0.05,
                )
            ]
            if index in rehandled:
                rounds = [
                    RoundPlan(Outcome.EXPLAINED, Rating.DISSATISFIED),
                    RoundPlan(Outcome.RESOLVED, Rating.SATISFIED),
                ]
            unit = units[id(ref)]
            self.handle(
                ref,
                HandlingPlan(
                    unit=unit,
                    assign_on=date(2022, 1, rng.choice([20, 20, 20, 21])),
                    rounds=rounds,
                    co_units=self._co_units(unit, 0.1),
                    key=index in key,
                    publish=rng.random() < 0.5,
                    fulfil=rng.random() < 0.5,
                    extension=APPROVED if index in extended else None,
                ),
                earliest=registered,
            )

    def _co_units(self, lead: HandlingUnit, probability: float) -> list[HandlingUnit]:
        if self.rng.random() >= probability:
            return []
        government = [
            u
            for short, u in self.units.items()
            if u.kind == G and u.pk != lead.pk and short != "州人民政府"
        ]
        return self.rng.sample(government, self.rng.choice([1, 1, 1, 2]))

    def session_2023(self) -> None:
        """The session of the 2023 year-end review, figure for figure."""
        rng = self.rng
        session = self.sessions["2023"]
        opened = session.opened_on
        pairs = self._pairs_2023()
        rng.shuffle(pairs)
        n = len(pairs)  # 295
        refs = self._session_intake(
            session, pairs, opened, 3, (0, 0, 0, 1, 1, 1, 2, 2, 3, 4)
        )
        units = {id(ref): unit for (ref, _), (_, unit) in zip(refs, pairs, strict=True)}

        # Two are handed in twice on the same matter and merged; one is withdrawn;
        # four are not suggestions at all.
        merged = []
        for target, _ in rng.sample(refs, 2):
            lead = rng.choice(
                [
                    d
                    for d in self.by_delegation[target.lead.delegation_id]
                    if d.pk != target.lead.pk
                ]
            )
            created = self._moment(opened + timedelta(days=rng.randrange(3)))
            title = target.title.replace("关于", "关于进一步", 1)
            ref = self.intake(
                session,
                lead,
                target.category,
                created=created,
                submit=self._after(created, 0.05, 1),
                title=title,
                body=self.text(target.category.name, units[id(target)], target.place)[
                    1
                ],
            )
            merged.append((ref, target))
        withdrawn_lead = rng.choice(self.deputies)
        withdrawn = self.intake(
            session,
            withdrawn_lead,
            self.categories["工交财贸"],
            created=self._moment(opened),
            submit=self._moment(opened + timedelta(days=1)),
            topic_unit=self.units["州商务局"],
        )
        self.withdraw(withdrawn, self._moment(opened + timedelta(days=3)))
        rejected = self._not_suggestions(session, opened, 4)

        batch = list(refs) + [(r, r.submitted) for r, _ in merged]
        batch += [(r, r.submitted) for r, _, _ in rejected]
        regs = self._registration_times(
            batch, [date(2023, 1, d) for d in (16, 17, 18, 19)]
        )
        merged_into = {id(r): t for r, t in merged}
        rejection = {id(r): (reason, disp) for r, reason, disp in rejected}
        registered = {}
        for ref, at in regs:
            if id(ref) in merged_into:
                self.merge(ref, merged_into[id(ref)], at)
            elif id(ref) in rejection:
                self.reject(ref, at, *rejection[id(ref)])
            else:
                self.register(ref, at)
                registered[id(ref)] = at

        # Outcomes 275/1/19 and ratings 265/30/0 of the latest round.
        indices = list(range(n))
        rng.shuffle(indices)
        outcome = dict.fromkeys(range(n), Outcome.RESOLVED)
        rating = dict.fromkeys(range(n), Rating.SATISFIED)
        outcome[indices[0]] = Outcome.IN_PROGRESS
        rating[indices[0]] = Rating.BASICALLY_SATISFIED
        for position, i in enumerate(indices[1:20]):
            outcome[i] = Outcome.EXPLAINED
            rating[i] = (
                Rating.BASICALLY_SATISFIED if position < 14 else Rating.SATISFIED
            )
        resolved = indices[20:]
        for i in resolved[:15]:
            rating[i] = Rating.BASICALLY_SATISFIED
        # Special handling for disjoint sets of resolved suggestions.
        special = list(resolved)
        rng.shuffle(special)
        rehandled = set(special[:5])
        government = [i for i in special[5:] if units[id(refs[i][0])].kind == G]
        reassigned = government[:3]
        reassign_denied = government[3]
        extended = set(government[4:8])
        extension_denied = government[8]
        complex_ = set(government[9:17])
        late = set(government[17:26])
        key = set(rng.sample(range(n), 36))
        wrong_units = [
            u
            for u in self.units.values()
            if u.kind == G and u.short_name != "州人民政府"
        ]
        # About two in five of the ratings are given face to face at the
        # evaluation meeting (现场测评: the review's "与人大代表面对面逐案落实，并
        # 现场对办理和答复情况进行满意度测评"), where the reply came before it.
        on_site = set(self.rating_rng.sample(sorted(set(range(n)) - rehandled), 130))
        self.plan_evaluation_meeting(
            session,
            date(2023, 6, 20),
            "州人大常委会第一会议室",
            sorted({units[id(refs[i][0])] for i in on_site}, key=lambda u: u.pk),
        )
        for i, (ref, _) in enumerate(refs):
            unit = units[id(ref)]
            rounds = [
                RoundPlan(
                    outcome[i],
                    rating[i],
                    contact=rng.random() < 0.93,
                    late=i in late,
                    on_site=i in on_site,
                )
            ]
            if i in rehandled:
                rounds = [
                    RoundPlan(Outcome.EXPLAINED, Rating.DISSATISFIED),
                    RoundPlan(outcome[i], rating[i]),
                ]
            plan = HandlingPlan(
                unit=unit,
                assign_on=date(2023, 2, rng.choice([2, 2, 2, 2, 3, 6])),
                rounds=rounds,
                co_units=self._co_units(unit, 0.25),
                complexity=Complexity.COMPLEX if i in complex_ else Complexity.NORMAL,
                key=i in key,
                publish=rng.random() < 0.7,
            )
            if i in reassigned:
                plan.wrong_unit = rng.choice(
                    [u for u in wrong_units if u.pk != unit.pk]
                )
                plan.reassignment = APPROVED
            elif i == reassign_denied:
                plan.reassignment = DENIED
            if i in extended:
                plan.extension = APPROVED
            elif i == extension_denied:
                plan.extension = DENIED
            self.staged = True
            try:
                self.handle(ref, plan, earliest=registered[id(ref)])
            finally:
                self.staged = False

    # --- the current session ----------------------------------------------------------

    def session_current(self) -> None:
        """Suggestions in every state, dated relative to today."""
        rng = self.rng
        session = self.sessions["current"]
        today, opened = self.today, self.opened
        cat, units = self.categories, self.units
        edu, transport = units["州教育局"], units["州交通运输局"]
        me, me2 = self.deputy, self.deputy2
        reserved = {me.pk, me2.pk}
        leads = self._lead_pool(reserved)
        home = self._home_categories()
        pairs = self._pairs_2023()

        def days_ago(n: int) -> date:
            return today - timedelta(days=n)

        def pick(unit=None):
            if unit is None:
                return rng.choice(pairs)
            return cat[home[unit.short_name]], unit

        def outcome_and_rating():
            outcome = rng.choices(
                [Outcome.RESOLVED, Outcome.IN_PROGRESS, Outcome.EXPLAINED], [8, 1, 1]
            )[0]
            rating = rng.choices(
                [Rating.SATISFIED, Rating.BASICALLY_SATISFIED], [4, 1]
            )[0]
            return outcome, rating

        # Handed in during the session, filed a week later and assigned at the
        # assignment meeting two weeks after the opening: due about two weeks ago.
        meeting = opened + timedelta(days=14)
        session_batch: list[tuple[Ref, HandlingPlan | None]] = []

        def during_session(plan_kwargs=None, unit=None, lead=None, **intake):
            category, unit = pick(unit)
            created = self._moment(opened + timedelta(days=rng.randrange(3)))
            ref = self.intake(
                session,
                lead or rng.choice(leads),
                category,
                created=created,
                submit=self._after(created, 0.05, 1),
                topic_unit=unit,
                cosigners=rng.choice([0, 1, 2, 3]),
                exclude=reserved,
                **intake,
            )
            plan = None
            if plan_kwargs is not None:
                plan = HandlingPlan(unit=unit, assign_on=meeting, **plan_kwargs)
            session_batch.append((ref, plan))
            return ref

        # Closed: replied and rated well before today.
        closed_units = [edu, transport] + [None] * 12
        for index, unit in enumerate(closed_units):
            outcome, rating = outcome_and_rating()
            reply_on = opened + timedelta(days=rng.randrange(35, 85))
            during_session(
                {
                    "rounds": [
                        RoundPlan(
                            outcome,
                            rating,
                            reply_on=reply_on,
                            rate_on=reply_on + timedelta(days=rng.randrange(3, 14)),
                            contact=rng.random() < 0.9,
                        )
                    ],
                    "co_units": self._co_units(edu, 0.3),
                    "key": index in (2, 5),
                    "publish": rng.random() < 0.5,
                },
                unit=unit,
                lead=me2 if index == 3 else None,
                extra_cosigners=[me] if index == 4 else (),
            )
        # Closed after re-handling.
        during_session(
            {
                "rounds": [
                    RoundPlan(
                        Outcome.EXPLAINED,
                        Rating.DISSATISFIED,
                        reply_on=opened + timedelta(days=45),
                        rate_on=opened + timedelta(days=55),
                    ),
                    RoundPlan(
                        Outcome.RESOLVED,
                        Rating.SATISFIED,
                        reply_on=opened + timedelta(days=75),
                        rate_on=opened + timedelta(days=82),
                    ),
                ],
                "publish": True,
            }
        )
        # Replied four weeks ago and still not rated (the rating reminder is due).
        during_session({"rounds": [RoundPlan(Outcome.RESOLVED, reply_on=days_ago(28))]})
        # Re-handling: due in about ten days; and overdue.
        during_session(
            {
                "rounds": [
                    RoundPlan(
                        Outcome.EXPLAINED,
                        Rating.DISSATISFIED,
                        reply_on=days_ago(32),
                        rate_on=days_ago(20),
                    ),
                    RoundPlan(None),
                ],
            },
            lead=me2,
        )
        during_session(
            {
                "rounds": [
                    RoundPlan(
                        Outcome.IN_PROGRESS,
                        Rating.DISSATISFIED,
                        reply_on=days_ago(55),
                        rate_on=days_ago(42),
                    ),
                    RoundPlan(None),
                ],
            },
            unit=transport,
        )
        # Overdue: not replied by the deadline of about two weeks ago.
        during_session(
            {"rounds": [RoundPlan(None)], "co_units": [units["州财政局"]], "key": True},
            unit=transport,
        )
        during_session({"rounds": [RoundPlan(None)]}, unit=edu)
        during_session({"rounds": [RoundPlan(None, contact=False)]})
        during_session({"rounds": [RoundPlan(None)], "ack": False})
        # More time granted.
        during_session(
            {
                "rounds": [RoundPlan(None)],
                "extension": APPROVED,
                "extension_on": days_ago(35),
                "key": True,
                "co_units": [units["州财政局"], units["州自然资源局"]],
            },
            unit=units["州水利局"],
        )
        # The same matter handed in twice, merged at filing; one withdrawn.
        target = session_batch[0][0]
        created = self._moment(opened + timedelta(days=1))
        twin = self.intake(
            session,
            rng.choice(leads),
            target.category,
            created=created,
            submit=self._after(created, 0.1, 1),
            title=target.title.replace("关于", "关于尽快", 1),
            body=self.text(target.category.name, None, target.place)[1],
            exclude=reserved,
        )
        created = self._moment(opened)
        withdrawn = self.intake(
            session,
            rng.choice(leads),
            cat["社会建设"],
            created=created,
            submit=self._after(created, 0.1, 1),
            topic_unit=units["州民政局"],
            exclude=reserved,
        )
        self.withdraw(withdrawn, self._moment(opened + timedelta(days=3)))
        # Not suggestions.
        not_suggestions = self._not_suggestions(session, opened, 2, 1, leads)

        batch = [(ref, ref.submitted) for ref, _ in session_batch]
        batch += [(twin, twin.submitted)]
        batch += [(ref, ref.submitted) for ref, _, _ in not_suggestions]
        regs = self._registration_times(
            batch, [opened + timedelta(days=d) for d in (7, 8, 9)]
        )
        rejection = {id(r): (reason, disp) for r, reason, disp in not_suggestions}
        registered = {}
        for ref, at in regs:
            if ref is twin:
                self.merge(twin, target, at)
            elif id(ref) in rejection:
                self.reject(ref, at, *rejection[id(ref)])
            else:
                self.register(ref, at)
                registered[id(ref)] = at
        for ref, plan in session_batch:
            self.handle(ref, plan, earliest=registered[id(ref)])

        # Handed in between sessions (闭会期间), filed and assigned as they come.
        def between_sessions(
            assign_on, plan_kwargs=None, unit=None, lead=None, **intake
        ):
            category, unit = pick(unit)
            assign_on = max(assign_on, opened + timedelta(days=24))
            created = self._moment(assign_on - timedelta(days=rng.randrange(8, 16)))
            submitted = self._after(created, 0.1, 2)
            ref = self.intake(
                session,
                lead or rng.choice(leads),
                category,
                created=created,
                submit=submitted,
                topic_unit=unit,
                cosigners=rng.choice([0, 0, 1, 2]),
                exclude=reserved,
                **intake,
            )
            registered = max(
                self._moment(assign_on - timedelta(days=rng.randrange(2, 5))),
                ref.submitted + timedelta(hours=1),
            )
            self.register(ref, registered)
            if plan_kwargs is not None:
                plan = HandlingPlan(unit=unit, assign_on=assign_on, **plan_kwargs)
                self.handle(ref, plan, earliest=registered)
            return ref

        def due_in(days: int) -> date:
            return today + timedelta(days=days) - relativedelta(months=3)

        # Due within the next two weeks.
        for index, (days, unit) in enumerate(
            [(4, edu), (6, transport), (9, None), (11, None), (13, None)]
        ):
            between_sessions(
                due_in(days),
                {
                    "rounds": [RoundPlan(None, contact=index != 3)],
                    "key": index == 2,
                    "extension": DENIED if index == 4 else None,
                    "extension_on": days_ago(12) if index == 4 else None,
                },
                unit=unit,
                lead=me if index == 0 else None,
            )
        # Due soon, more time asked for and not yet decided.
        for days, unit in ((5, edu), (8, transport)):
            between_sessions(
                due_in(days),
                {
                    "rounds": [RoundPlan(None)],
                    "extension": PENDING,
                    "extension_on": days_ago(rng.randrange(1, 4)),
                },
                unit=unit,
            )
        # Due later, acknowledged; the co-unit 州教育局 still owes its opinion.
        later = []
        for index in range(6):
            unit = transport if index == 0 else None
            later.append(
                between_sessions(
                    days_ago(rng.randrange(20, 60)),
                    {
                        "rounds": [RoundPlan(None, contact=index % 2 == 0)],
                        "co_units": [edu] if index == 1 else self._co_units(edu, 0.4),
                        "co_opinions": index != 1,
                        "key": index in (2, 4),
                        "mark_key_later": index == 4,
                    },
                    unit=unit,
                    extra_cosigners=[me] if index == 3 else (),
                )
            )
        # Just assigned, not yet acknowledged.
        for unit in (edu, transport, None, None):
            between_sessions(
                days_ago(rng.randrange(2, 8)),
                {"rounds": [RoundPlan(None)], "ack": False},
                unit=unit,
            )
        # Reassignment asked for, not yet decided.
        for wrong, right in (
            (edu, units["州文旅局"]),
            (units["州住建局"], units["州水利局"]),
        ):
            between_sessions(
                days_ago(rng.randrange(4, 7)),
                {
                    "wrong_unit": wrong,
                    "reassignment": PENDING,
                    "reassignment_on": days_ago(rng.randrange(1, 3)),
                },
                unit=right,
            )
        # Reassigned last month and now in hand.
        between_sessions(
            days_ago(40),
            {
                "rounds": [RoundPlan(None)],
                "wrong_unit": units["州发改委"],
                "reassignment": APPROVED,
            },
            unit=units["州工信局"],
        )
        # Replied in the last two weeks, waiting for the deputy's rating.
        for index, (days, unit) in enumerate(
            [(8, edu), (10, transport), (14, None), (16, None), (18, None)]
        ):
            outcome, _ = outcome_and_rating()
            between_sessions(
                due_in(days),
                {
                    "rounds": [
                        RoundPlan(outcome, reply_on=days_ago(rng.randrange(1, 12)))
                    ],
                    "key": index == 2,
                },
                unit=unit,
                lead=me if index == 2 else None,
            )
        # Closed between sessions.
        for index in range(4):
            outcome, rating = outcome_and_rating()
            reply_on = days_ago(rng.randrange(25, 40))
            between_sessions(
                days_ago(rng.randrange(80, 95)),
                {
                    "rounds": [
                        RoundPlan(
                            outcome,
                            rating,
                            reply_on=reply_on,
                            rate_on=reply_on + timedelta(days=rng.randrange(3, 10)),
                        )
                    ],
                    "publish": index < 2,
                },
                lead=me if index == 0 else None,
            )
        # Rated dissatisfied a few days ago: the new round is not acknowledged yet.
        between_sessions(
            days_ago(70),
            {
                "rounds": [
                    RoundPlan(
                        Outcome.EXPLAINED,
                        Rating.DISSATISFIED,
                        reply_on=days_ago(20),
                        rate_on=days_ago(4),
                    ),
                    RoundPlan(None, ack=False),
                ],
            },
        )
        # Filed in the last days, waiting to be assigned.
        for index in range(5):
            between_sessions(
                days_ago(rng.randrange(-2, 3)), lead=me2 if index == 0 else None
            )
        # Merged into a suggestion already being handled.
        twin_target = later[0]
        created = self._moment(days_ago(22))
        twin = self.intake(
            session,
            rng.choice(leads),
            twin_target.category,
            created=created,
            submit=self._after(created, 0.1, 2),
            title=twin_target.title.replace("关于", "关于加快", 1),
            body=self.text(twin_target.category.name, None, twin_target.place)[1],
            exclude=reserved,
        )
        self.register(twin, self._moment(days_ago(15)))
        self.merge(twin, twin_target, self._moment(days_ago(10)))
        # Not a suggestion.
        title, body, reason, disposition = NOT_SUGGESTIONS[4]
        created = self._moment(days_ago(16))
        odd = self.intake(
            session,
            rng.choice(leads),
            cat["其它"],
            created=created,
            submit=self._after(created, 0.1, 1),
            title=title,
            body=body,
            preset_category=False,
            exclude=reserved,
        )
        self.reject(odd, self._moment(days_ago(10)), reason, disposition)
        # Submitted, waiting for review.
        for index in range(6):
            category, unit = pick(edu if index == 0 else None)
            created = self._moment(days_ago(rng.randrange(3, 9)))
            self.intake(
                session,
                me if index == 0 else rng.choice(leads),
                category,
                created=created,
                submit=self._after(created, 0.1, 2),
                topic_unit=unit,
                cosigners=rng.choice([0, 1, 2]),
                invited_only=[me] if index == 1 else (),
                exclude=reserved,
            )
        # Drafts.
        for index in range(5):
            category, unit = pick(transport if index == 0 else None)
            self.intake(
                session,
                me if index == 0 else rng.choice(leads),
                category,
                created=self._moment(days_ago(rng.randrange(1, 15))),
                topic_unit=unit,
                cosigners=1 if index == 0 else rng.choice([0, 1, 2]),
                invited_only=[me] if index == 1 else (),
                exclude=reserved,
            )
        # A draft withdrawn before it was handed in.
        draft = self.intake(
            session,
            rng.choice(leads),
            cat["农林水牧"],
            created=self._moment(days_ago(30)),
            topic_unit=units["州农业农村局"],
            exclude=reserved,
        )
        self.withdraw(draft, self._moment(days_ago(26)))

    def _home_categories(self) -> dict[str, str]:
        counts: dict[str, Counter] = {}
        for category, rows in ALLOCATION_2023.items():
            for short, n in rows:
                counts.setdefault(short, Counter())[category] += n
        return {short: c.most_common(1)[0][0] for short, c in counts.items()}


# --- a county's congress --------------------------------------------------------------


def _county_ethnicities(delegation: str) -> list:
    """A county delegation's mix: a Kazakh township's like 木垒's, else its own or
    the default."""
    if "哈萨克" in delegation:
        return ETHNICITIES["木垒哈萨克自治县代表团"]
    return ETHNICITIES.get(delegation, ETHNICITIES["default"])


class _CountyBuilder(_Builder):
    """A county's congress (``data.COUNTIES``) beside the prefecture's: its body
    under the prefecture's, one term, its own units, deputies and accounts, a 2023
    session handled to the end and a current session in a few states, a few dozen
    suggestions each, through the same services as the prefecture's. Seeded on its
    own, so the prefecture's data is the same with or without it."""

    def __init__(self, county: CountyDef, prefecture: _Builder):
        self.county = county
        self.prefecture = prefecture
        self.today, self.say, self.tz = prefecture.today, prefecture.say, prefecture.tz
        self.cap, self.calendar = prefecture.cap, prefecture.calendar
        self.rng = random.Random(county.seed)
        self.rating_rng = random.Random(county.seed + 17)
        self.meeting = None
        self.names = NameMaker(self.rng)
        # County congresses meet in the first days of January, before the
        # prefecture's: its current session opened a few days before the
        # prefecture's (which stays the platform's most recently opened).
        self.opened = prefecture.opened - timedelta(days=4)
        self.steps, self.seq = [], 0
        self.home_word = "我" + county.unit_prefix
        self.places = [place for _, place, _ in county.delegations]
        self.password_hash = prefecture.password_hash
        self.preexisting = prefecture.preexisting

    # --- reference data ---------------------------------------------------------------

    def build_reference(self) -> None:
        county = self.county
        self.body, _ = CongressBody.objects.update_or_create(
            name=county.body_name,
            defaults={
                "short_name": county.short_name,
                "region": county.region,
                "level": CongressLevel.COUNTY,
                "parent": self.prefecture.body,
            },
        )
        self.congress = Congress.objects.create(body=self.body, ordinal=COUNTY_ORDINAL)
        self.rules = HandlingRules.objects.create(congress=self.congress)
        # The county files under its own categories, named as the prefecture's.
        self.categories = {}
        for position, name in enumerate(CATEGORIES, start=1):
            self.categories[name], _ = Category.objects.update_or_create(
                body=self.body, name=name, defaults={"position": position}
            )
        self._units()
        self._groups_and_staff()
        self._deputies()

    def _units(self) -> None:
        self.units, self.unit_defs, self.home = {}, {}, {}
        for unit, short, kind, category, topics in COUNTY_UNITS:
            unit_def = UnitDef(
                self.county.unit_name(unit),
                self.county.unit_name(short),
                kind,
                topics,
            )
            self.units[unit_def.short], _ = HandlingUnit.objects.update_or_create(
                body=self.body,
                name=unit_def.name,
                defaults={
                    "short_name": unit_def.short,
                    "kind": kind,
                    "parent": None,
                    "active": True,
                    "duties": unit_duties(unit_def.name),
                },
            )
            self.unit_defs[unit_def.short] = unit_def
            self.home[unit_def.short] = category
        self.heads = {short: self.names.official() for short in self.units}

    def _login(self, role: str, name: str, *, roles=(), unit=None):
        """The county's demo login for ``role``, or a placeholder account that
        plays it (no usable password)."""
        username = self.county.logins.get(role)
        if username is not None:
            return self._account(username, name, roles=roles, unit=unit)
        User = get_user_model()
        username = f"{self.county.auto_prefix}{role}"
        user = User(
            username=username,
            name=name,
            email=f"{username}@changji-rd.example",
            unit=unit,
        )
        _placeholder(user)
        user.save()
        for held in roles:
            Membership.objects.create(user=user, body=self.body, role=held)
        return user

    def _groups_and_staff(self) -> None:
        User = get_user_model()
        official = self.names.official
        self.staff = self._login("staff", official(), roles=[BodyRole.STAFF])
        self.leader = self._login("leader", official(), roles=[BodyRole.LEADER])
        clerk_unit = self.units[self.county.unit_name(self.county.clerk_unit)]
        self.clerks = {clerk_unit.pk: self._login("unit", official(), unit=clerk_unit)}
        auto = []
        for index, unit in enumerate(self.units.values(), start=1):
            if unit.pk not in self.clerks:
                username = f"{self.county.auto_prefix}u{index:02d}"
                user = User(
                    username=username,
                    name=official(),
                    email=f"{username}@changji-rd.example",
                    unit=unit,
                )
                _placeholder(user)
                auto.append(user)
        User.objects.bulk_create(auto)
        saved = {
            u.unit_id: u
            for u in User.objects.filter(username__in=[u.username for u in auto])
        }
        self.clerks.update(saved)

    def _deputies(self) -> None:
        User = get_user_model()
        county = self.county
        deputies, users = self._new_deputies(
            county.delegations,
            _county_ethnicities,
            county.auto_prefix,
        )
        login = county.logins.get("deputy")
        if login is not None:
            # A deputy of the second delegation logs in.
            index = next(
                i
                for i, d in enumerate(deputies)
                if d.delegation == self.delegations[1] and d.ethnicity == "汉族"
            )
            users[index] = User(
                username=login,
                name=deputies[index].name,
                email=deputies[index].email,
                password=self.password_hash,
            )
        existing = set(
            User.objects.filter(username__in=[u.username for u in users]).values_list(
                "username", flat=True
            )
        )
        self.preexisting |= existing
        User.objects.bulk_create([u for u in users if u.username not in existing])
        saved = {
            u.username: u
            for u in User.objects.filter(username__in=[u.username for u in users])
        }
        for deputy, user in zip(deputies, users, strict=True):
            deputy.user = saved[user.username]
        if county.dual_deputy is not None:
            # The same person as the prefecture's deputy of that login, elected
            # in the first delegation here: one login, a record in each congress.
            person = Deputy.objects.get(
                user__username=county.dual_deputy,
                delegation__congress=self.prefecture.congress,
            )
            self.names.used.add(person.name)
            deputies.insert(
                0,
                Deputy(
                    delegation=self.delegations[0],
                    name=person.name,
                    gender=person.gender,
                    ethnicity=person.ethnicity,
                    phone=person.phone,
                    email=person.email,
                    active=True,
                    user=person.user,
                ),
            )
        Deputy.objects.bulk_create(deputies)
        self.deputies = list(
            Deputy.objects.filter(delegation__congress=self.congress)
            .select_related("delegation", "user")
            .order_by("pk")
        )
        self.by_delegation = {}
        for deputy in self.deputies:
            self.by_delegation.setdefault(deputy.delegation_id, []).append(deputy)
        self.user_of = {d.pk: d.user for d in self.deputies}
        # The deputies who log in, who lead and co-sign some of every kind.
        self.logins = [
            d for d in self.deputies if d.user.username in (login, county.dual_deputy)
        ]

    def make_sessions(self) -> dict[str, Session]:
        def ordinal(year: int) -> int:
            return year - COUNTY_TERM_FIRST_YEAR + 1

        self.sessions = {
            "2023": Session.objects.create(
                congress=self.congress,
                ordinal=ordinal(2023),
                year=2023,
                opened_on=date(2023, 1, 5),
            ),
            "current": Session.objects.create(
                congress=self.congress,
                ordinal=ordinal(self.opened.year),
                year=self.opened.year,
                opened_on=self.opened,
            ),
        }
        return self.sessions

    def seal_reviewed(self) -> None:
        with clock.frozen_at(self.cap):
            session = self.sessions["2023"]
            services.session_seal(
                session_id=session.pk, actor=self.staff, reason="年度办理情况报告已定稿"
            )
            session.refresh_from_db()

    # --- sessions ---------------------------------------------------------------------

    def _pairs(self, n: int) -> list[tuple[Category, HandlingUnit]]:
        """``n`` (category, unit) pairs; the busy departments get more."""
        units = list(self.units.values())
        weights = [3 if u.kind == G else 1 for u in units]
        chosen = self.rng.choices(units, weights, k=n)
        return [(self.categories[self.home[u.short_name]], u) for u in chosen]

    def _outcome_and_rating(self) -> tuple[str, str]:
        outcome = self.rng.choices(
            [Outcome.RESOLVED, Outcome.IN_PROGRESS, Outcome.EXPLAINED], [82, 9, 9]
        )[0]
        rating = self.rng.choices(
            [Rating.SATISFIED, Rating.BASICALLY_SATISFIED], [85, 15]
        )[0]
        return outcome, rating

    def _file(
        self, session, batch, days, merged=(), rejected=()
    ) -> dict[int, datetime]:
        """Staff file ``batch`` over ``days``, merging and rejecting as planned;
        returns when each filed one was registered."""
        merged_into = {id(ref): target for ref, target in merged}
        rejection = {id(r): (reason, disp) for r, reason, disp in rejected}
        registered = {}
        for ref, at in self._registration_times(batch, days):
            if id(ref) in merged_into:
                self.merge(ref, merged_into[id(ref)], at)
            elif id(ref) in rejection:
                self.reject(ref, at, *rejection[id(ref)])
            else:
                self.register(ref, at)
                registered[id(ref)] = at
        return registered

    def session_2023(self) -> None:
        """Handed in at the session, filed, handled, replied and rated by the
        year's end: a few re-handled, late or extended, one merged, one not a
        suggestion."""
        rng = self.rng
        session = self.sessions["2023"]
        opened = session.opened_on
        pairs = self._pairs(self.county.suggestions_2023)
        refs = []
        for index, (category, unit) in enumerate(pairs):
            # The deputies who log in lead the first ones.
            if index < len(self.logins):
                lead = self.logins[index]
            else:
                lead = rng.choice(self.deputies)
            created = self._moment(opened + timedelta(days=rng.randrange(2)))
            submit = self._after(created, 0.05, 1)
            ref = self.intake(
                session,
                lead,
                category,
                created=created,
                submit=submit,
                topic_unit=unit,
                cosigners=rng.choice((0, 0, 1, 1, 2, 3)),
            )
            refs.append((ref, submit))
        units = {id(ref): unit for (ref, _), (_, unit) in zip(refs, pairs, strict=True)}
        target = refs[-1][0]
        created = self._moment(opened + timedelta(days=1))
        twin = self.intake(
            session,
            rng.choice(self.by_delegation[target.lead.delegation_id]),
            target.category,
            created=created,
            submit=self._after(created, 0.05, 1),
            title=target.title.replace("关于", "关于尽快", 1),
            body=self.text(target.category.name, units[id(target)], target.place)[1],
            exclude={target.lead.pk},
        )
        rejected = self._not_suggestions(session, opened, 1)
        batch = [*refs, (twin, twin.submitted)]
        batch += [(r, r.submitted) for r, _, _ in rejected]
        registered = self._file(
            session,
            batch,
            [opened + timedelta(days=d) for d in (6, 7)],
            merged=[(twin, target)],
            rejected=rejected,
        )
        n = len(refs)
        key = set(rng.sample(range(n), max(2, n // 10)))
        for i, (ref, _) in enumerate(refs):
            unit = units[id(ref)]
            outcome, rating = self._outcome_and_rating()
            rounds = [
                RoundPlan(
                    outcome,
                    rating,
                    contact=rng.random() < 0.9,
                    late=rng.random() < 0.06,
                )
            ]
            if i in (3, 11):
                rounds = [
                    RoundPlan(Outcome.EXPLAINED, Rating.DISSATISFIED),
                    RoundPlan(Outcome.RESOLVED, rating),
                ]
            plan = HandlingPlan(
                unit=unit,
                assign_on=opened + timedelta(days=rng.choice([21, 21, 22])),
                rounds=rounds,
                co_units=self._co_units(unit, 0.15),
                key=i in key,
                publish=rng.random() < 0.6,
                extension=APPROVED if i == 5 else None,
            )
            self.handle(ref, plan, earliest=registered[id(ref)])

    def session_current(self) -> None:
        """Dated relative to today: closed, replied, overdue, re-handling, due
        soon, just assigned, filed, submitted and a draft."""
        rng = self.rng
        session = self.sessions["current"]
        today, opened = self.today, self.opened
        meeting = opened + timedelta(days=14)
        me = self.logins[-1] if self.logins else None
        reserved = {d.pk for d in self.logins}
        leads = self._lead_pool(reserved)
        county = self.county
        at_meeting = (
            ["closed"] * county.closed_current
            + ["replied", "re-handling"]
            + ["overdue"] * county.overdue_current
        )
        # Those and the nine handed in between sessions, and a few spare.
        pairs = iter(self._pairs(len(at_meeting) + 9 + 6))

        def days_ago(n: int) -> date:
            return today - timedelta(days=n)

        def handed_in(created, submit=True, lead=None, **intake):
            category, unit = next(pairs)
            ref = self.intake(
                session,
                lead or rng.choice(leads),
                category,
                created=created,
                submit=self._after(created, 0.05, 1) if submit else None,
                topic_unit=unit,
                cosigners=rng.choice([0, 1, 2]),
                exclude=reserved,
                **intake,
            )
            return ref, unit

        # Handed in at the session, filed a week later, assigned at the meeting
        # two weeks after the opening (due about two weeks ago).
        at_session = []
        for index, state in enumerate(at_meeting):
            created = self._moment(opened + timedelta(days=rng.randrange(3)))
            lead = me if index == 0 or state == "re-handling" else None
            at_session.append(handed_in(created, lead=lead))
        registered = self._file(
            session,
            [(ref, ref.submitted) for ref, _ in at_session],
            [opened + timedelta(days=d) for d in (7, 8)],
        )
        first_overdue = at_meeting.index("overdue")
        for index, (ref, unit) in enumerate(at_session):
            state = at_meeting[index]
            if state == "closed":
                outcome, rating = self._outcome_and_rating()
                reply_on = opened + timedelta(days=rng.randrange(35, 85))
                rounds = [
                    RoundPlan(
                        outcome,
                        rating,
                        reply_on=reply_on,
                        rate_on=reply_on + timedelta(days=rng.randrange(3, 14)),
                    )
                ]
            elif state == "replied":  # four weeks ago, not rated yet
                rounds = [RoundPlan(Outcome.RESOLVED, reply_on=days_ago(28))]
            elif state == "re-handling":  # after a dissatisfied rating
                rounds = [
                    RoundPlan(
                        Outcome.EXPLAINED,
                        Rating.DISSATISFIED,
                        reply_on=days_ago(32),
                        rate_on=days_ago(20),
                    ),
                    RoundPlan(None),
                ]
            else:  # overdue; the last without a contact
                rounds = [RoundPlan(None, contact=index != len(at_meeting) - 1)]
            plan = HandlingPlan(
                unit=unit,
                assign_on=meeting,
                rounds=rounds,
                key=index in (1, first_overdue),
                publish=index < 3,
            )
            self.handle(ref, plan, earliest=registered[id(ref)])

        # Handed in between sessions, filed and assigned as they come.
        def between(assign_on: date, rounds=None, ack=True, lead=None) -> None:
            assign_on = max(assign_on, opened + timedelta(days=24))
            created = self._moment(assign_on - timedelta(days=rng.randrange(8, 16)))
            ref, unit = handed_in(created, lead=lead)
            filed = max(
                self._moment(assign_on - timedelta(days=rng.randrange(2, 5))),
                ref.submitted + timedelta(hours=1),
            )
            self.register(ref, filed)
            if rounds is not None:
                plan = HandlingPlan(unit=unit, assign_on=assign_on, rounds=rounds)
                plan.ack = ack
                self.handle(ref, plan, earliest=filed)

        def due_in(days: int) -> date:
            return today + timedelta(days=days) - relativedelta(months=3)

        for days in (5, 12):  # due within two weeks
            between(due_in(days), [RoundPlan(None)])
        between(days_ago(40), [RoundPlan(None)], lead=me)  # due later
        for _ in range(2):  # just assigned, not yet acknowledged
            between(days_ago(rng.randrange(2, 6)), [RoundPlan(None)], ack=False)
        between(days_ago(1))  # filed, waiting to be assigned
        # Submitted, waiting for review; and a draft.
        for index in range(2):
            handed_in(
                self._moment(days_ago(rng.randrange(3, 8))), lead=me if index else None
            )
        handed_in(self._moment(days_ago(rng.randrange(1, 10))), submit=False, lead=me)

"""Demo data: the 16th People's Congress of Changji Hui Autonomous Prefecture.

``load_demo()`` builds the congress, its 352 deputies in seven county/city
delegations, the handling units, three sessions and the demo accounts:

- the 2022 session (ordinal 1): 229 suggestions, all closed;
- the 2023 session (ordinal 2), whose statistics equal every figure of the 2023
  year-end review (docs/statistics.md): 295
  suggestions; 79/71/65/35/12/33 by category; 249/34/12 by handler group; 275/1/19
  outcomes; 265/30/0 ratings; 36 key supervised; plus a few rejected, merged and
  withdrawn ones that the statistics leave out;
- the current session, opened about four months before the day of loading, with
  suggestions in every state, some overdue and some due soon.

Beside it, two county congresses (``data.COUNTIES``: 昌吉市 and 玛纳斯县), bodies
under the prefecture's with their own 18th congress, delegations, deputies, units and
accounts, a sealed 2023 session and a current one (``builder._CountyBuilder``); the
prefecture's demo deputy ``dual_deputy`` is also a deputy of 昌吉市's congress.

Only reference data (congress, rules, sessions, delegations, deputies, units,
categories, users, groups) is written directly. Every suggestion goes through the
service functions of ``suggestions.services``, run with ``clock.frozen_at`` at plausible
historical moments, so that deadlines, numbers and the timeline are the services' own.
The builder first plans every step of every suggestion of a session with its moment,
then replays the steps in time order.

Everything is random but seeded, so two loads on the same day give the same data.
"""

from __future__ import annotations

import time
from datetime import date

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max, ProtectedError
from django.utils import timezone

from congress.models import (
    Congress,
    CongressBody,
    Delegation,
    Deputy,
    HandlingRules,
    HandlingUnit,
    Session,
)
from dashboard.models import AssessmentFormula
from suggestions.models import (
    AdjustmentRequest,
    Assignment,
    Category,
    ContactRecord,
    CoSignature,
    Evaluation,
    EvaluationMeeting,
    Event,
    Reply,
    Suggestion,
)

from .builder import (
    DemoResult,
    _Builder,
    _CountyBuilder,
)
from .data import (
    AUTO_PREFIX,
    BODY_NAME,
    CATEGORIES,
    COUNTIES,
    COUNTY_ORDINAL,
    COUNTY_UNITS,
    ORDINAL,
    PASSWORD,
    UNITS,
)

# --- loading and deleting -------------------------------------------------------------


DEMO_USERNAMES = [
    "admin",
    "staff",
    "leader",
    "unit",
    "unit2",
    "deputy",
    "deputy2",
    # The county congresses' (data.COUNTIES), and a deputy of two congresses.
    "county_staff",
    "county_leader",
    "county_unit",
    "county_deputy",
    "manas_staff",
    "dual_deputy",
]
# What an account does, by its role in a body (accounts.BodyRole).
ROLE_NOTES = {"staff": "congress staff", "leader": "leader supervising key suggestions"}


def demo_accounts(preexisting=()) -> list[tuple[str, str]]:
    """The demo accounts and what each may do where, as found in the database."""
    User = get_user_model()
    users = {
        u.username: u
        for u in User.objects.filter(username__in=DEMO_USERNAMES)
        .select_related("unit__body")
        .prefetch_related("memberships__body")
    }
    records = Deputy.objects.filter(user__in=users.values()).select_related(
        "delegation__congress__body"
    )
    deputies: dict[int, list[Deputy]] = {}
    for record in records.order_by("delegation__congress__body_id"):
        deputies.setdefault(record.user_id, []).append(record)
    rows = []
    for username in DEMO_USERNAMES:
        user = users.get(username)
        if user is None:
            continue
        notes = [
            f"{ROLE_NOTES[m.role]} of {m.body.short_name or m.body.name}"
            for m in user.memberships.all()
        ]
        if user.unit_id:
            notes.append(f"clerk of {user.unit.name} ({user.unit.body.short_name})")
        notes += [
            f"deputy {d.name} ({d.delegation.name}, "
            f"{d.delegation.congress.body.short_name})"
            for d in deputies.get(user.pk, ())
        ]
        if user.is_superuser:
            notes.insert(0, "superuser")
        note = "; ".join(notes) or user.name
        if (user.unit_id or user.body_roles) and not user.is_superuser:
            note += f" · {user.name}"
        if username in preexisting:
            note += " [existing account: password left unchanged]"
        rows.append((username, note))
    return rows


def _find_demo() -> Congress | None:
    return (
        Congress.objects.select_related("body")
        .filter(body__name=BODY_NAME, ordinal=ORDINAL)
        .first()
    )


def _county_congresses():
    return Congress.objects.filter(
        body__name__in=[c.body_name for c in COUNTIES], ordinal=COUNTY_ORDINAL
    )


def _delete_congress(congress: Congress) -> None:
    """A demo congress with everything in it."""
    suggestions = Suggestion.objects.filter(session__congress=congress)
    Event.objects.filter(suggestion__in=suggestions).delete()
    Evaluation.objects.filter(suggestion__in=suggestions).delete()
    EvaluationMeeting.objects.filter(session__congress=congress).delete()
    Reply.objects.filter(assignment__suggestion__in=suggestions).delete()
    ContactRecord.objects.filter(assignment__suggestion__in=suggestions).delete()
    AdjustmentRequest.objects.filter(assignment__suggestion__in=suggestions).delete()
    Assignment.objects.filter(suggestion__in=suggestions).delete()
    CoSignature.objects.filter(suggestion__in=suggestions).delete()
    suggestions.filter(merged_into__isnull=False).delete()
    suggestions.delete()
    Session.objects.filter(congress=congress).delete()
    Deputy.objects.filter(delegation__congress=congress).delete()
    Delegation.objects.filter(congress=congress).delete()
    HandlingRules.objects.filter(congress=congress).delete()
    congress.delete()


def delete_demo(congress: Congress | None = None) -> None:
    """Delete the demo congresses (the prefecture's and the counties') with
    everything in them, their accounts, and the units, categories and bodies nothing
    else refers to; children before parents."""
    congress = congress or _find_demo()
    User = get_user_model()
    for county in _county_congresses():
        _delete_congress(county)
    if congress is not None:
        _delete_congress(congress)
    for prefix in [AUTO_PREFIX] + [c.auto_prefix for c in COUNTIES]:
        User.objects.filter(username__startswith=prefix).delete()
    User.objects.filter(username__in=DEMO_USERNAMES).delete()
    units = list(
        HandlingUnit.objects.filter(
            body__name=BODY_NAME, name__in=[u.name for u in UNITS]
        )
    )
    for county in COUNTIES:
        units += HandlingUnit.objects.filter(
            body__name=county.body_name,
            name__in=[county.unit_name(u[0]) for u in COUNTY_UNITS],
        )
    for unit in sorted(units, key=lambda u: u.parent_id is None):
        try:
            with transaction.atomic():
                unit.delete()
        except ProtectedError:
            continue
    names = [c.body_name for c in COUNTIES] + [BODY_NAME]
    # The demo's assessment formulas protect their bodies.
    AssessmentFormula.objects.filter(body__name__in=names).delete()
    # The bodies' categories before the bodies (they protect them).
    for category in Category.objects.filter(body__name__in=names, name__in=CATEGORIES):
        try:
            with transaction.atomic():
                category.delete()
        except ProtectedError:
            continue
    for body in sorted(
        CongressBody.objects.filter(name__in=names), key=lambda b: b.parent_id is None
    ):
        try:
            with transaction.atomic():
                body.delete()
        except ProtectedError:
            continue


def _notification_mark() -> int | None:
    """The last notification before the load (None without the notifications app)."""
    if not apps.is_installed("notifications"):
        return None
    from notifications.models import Notification

    return Notification.objects.aggregate(last=Max("pk"))["last"] or 0


def _settle_notifications(mark: int | None, current: list[Session]) -> int:
    """The services told everyone concerned of each step of the invented history.
    The messages stay in the inboxes (read, but for the current session's), and none
    is sent by e-mail or SMS: the addresses are invented, the events long past."""
    if mark is None:
        return 0
    from notifications.models import Delivery, DeliveryStatus, Notification

    made = Notification.objects.filter(pk__gt=mark)
    Delivery.objects.filter(
        notification__in=made, status=DeliveryStatus.PENDING
    ).delete()
    made.exclude(suggestion__session__in=current).update(read_at=timezone.now())
    return made.count()


def _sessions_of(congress: Congress) -> dict[str, Session]:
    return {
        "current" if s.is_current else str(s.year): s for s in congress.sessions.all()
    }


def load_demo(
    *, today: date | None = None, stdout=None, reset: bool = False
) -> DemoResult:
    """Build the demo (see the module's docstring) as of ``today``. When it is
    already there, say so and change nothing, unless ``reset`` deletes it first."""

    def say(message: str) -> None:
        if stdout is not None:
            stdout.write(message if message.endswith("\n") else message + "\n")

    started = time.monotonic()
    today = today or timezone.localdate()
    with transaction.atomic():
        existing = _find_demo()
        if existing is not None and not reset:
            say("demo data already loaded (load_demo --reset deletes and reloads it)")
            counties = {
                c.body.region: (c, _sessions_of(c))
                for c in _county_congresses().select_related("body")
            }
            if len(counties) < len(COUNTIES):
                say(
                    "  (loaded before the county congresses: load_demo --reset adds "
                    "them)"
                )
            accounts = demo_accounts()
            _print_accounts(say, accounts)
            return DemoResult(
                False,
                existing,
                _sessions_of(existing),
                accounts,
                0.0,
                counties=counties,
            )
        if reset:
            say("deleting the demo data …")
            delete_demo(existing)
        else:
            # Accounts left behind by a demo congress deleted by hand.
            get_user_model().objects.filter(username__startswith=AUTO_PREFIX).delete()
        mark = _notification_mark()
        builder = _Builder(today, say)
        builder.build_reference()
        sessions = builder.make_sessions()
        say(
            f"{builder.congress}: {len(builder.deputies)} deputies in "
            f"{len(builder.delegations)} delegations, {len(builder.units)} units"
        )
        for name, build in (
            ("2022", builder.session_2022),
            ("2023", builder.session_2023),
            ("current", builder.session_current),
        ):
            lap = time.monotonic()
            builder.open_for_intake(sessions[name])
            build()
            steps = builder.replay()
            session = sessions[name]
            count = Suggestion.objects.filter(session=session).count()
            say(
                f"  session {session.ordinal} ({session.year}): {count} suggestions, "
                f"{steps} service calls, {time.monotonic() - lap:.1f} s"
            )
        counties = {}
        for county in COUNTIES:
            county_builder = _CountyBuilder(county, builder)
            county_builder.build_reference()
            county_sessions = county_builder.make_sessions()
            say(
                f"{county_builder.body}: {len(county_builder.deputies)} deputies in "
                f"{len(county_builder.delegations)} delegations, "
                f"{len(county_builder.units)} units"
            )
            for name in ("2023", "current"):
                lap = time.monotonic()
                session = county_sessions[name]
                county_builder.open_for_intake(session)
                getattr(county_builder, f"session_{name}")()
                steps = county_builder.replay()
                count = Suggestion.objects.filter(session=session).count()
                say(
                    f"  session {session.ordinal} ({session.year}): {count} "
                    f"suggestions, {steps} service calls, "
                    f"{time.monotonic() - lap:.1f} s"
                )
            county_builder.seal_reviewed()
            counties[county.region] = (county_builder.congress, county_sessions)
        builder.seal_reviewed()
        currents = [sessions["current"]] + [s["current"] for _, s in counties.values()]
        notified = _settle_notifications(mark, currents)
        if notified:
            say(
                f"  {notified} notifications written by the services: kept in the "
                "inboxes (read, but for the current session's), not e-mailed"
            )
    seconds = time.monotonic() - started
    say(f"demo data loaded in {seconds:.1f} s (as of {today})")
    accounts = demo_accounts(builder.preexisting)
    _print_accounts(say, accounts)
    return DemoResult(
        True, builder.congress, sessions, accounts, seconds, counties=counties
    )


def _print_accounts(say, accounts) -> None:
    say(f"demo accounts (password {PASSWORD}):")
    width = max((len(u) for u, _ in accounts), default=0)
    for username, note in accounts:
        say(f"  {username.ljust(width)}  {note}")

"""The reminder sweep (催办): deadlines approaching or passed, ratings awaited, and the
weekly digests. Safe to run as often as anyone likes, from several places at once: each
reminder has a unique key, and a sweep notifies only for the keys it inserted itself.
"""

import logging
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from congress.calendar import WorkingDayCalendar
from congress.models import CongressBody
from suggestions import deadlines, plans
from suggestions.models import (
    OPEN_STATUSES,
    Assignment,
    AssignmentRole,
    Promise,
    Status,
    Suggestion,
)

from .models import Notification, Reminder, ReminderKind
from .services import (
    Deferred,
    Renderer,
    _add_deliveries,
    leader_users,
    local_date,
    render,
    staff_users,
    unit_members,
)

logger = logging.getLogger(__name__)

DIGEST_ITEMS = 20


@dataclass
class SweepResult:
    reminders: int = 0
    notifications: int = 0


def reminder_offsets() -> list[int]:
    return sorted({int(d) for d in settings.SUGGESTIONS_REMINDER_DAYS if int(d) >= 0})


def assignment_reminder_key(assignment_id: int, due: date, today: date, offsets):
    """The reminder an open assignment is owed today, as (key, kind, days), or None.

    Before the due date: the smallest offset (15, 7, 1 days …) that the remaining
    days have reached, so a late start does not send the longer ones at once. After
    it: one per week overdue. A new due date (an extension) makes new keys.
    """
    days_left = (due - today).days
    if days_left < 0:
        week = (-days_left - 1) // 7
        return f"overdue:{assignment_id}:{due}:{week}", ReminderKind.OVERDUE, -days_left
    reached = [o for o in offsets if days_left <= o]
    if not reached:
        return None
    return f"due:{assignment_id}:{due}:{min(reached)}", ReminderKind.DUE_SOON, days_left


def sweep(*, today: date | None = None) -> SweepResult:
    """Remind units of approaching and passed deadlines and of promises past due
    without a report, and deputies of ratings."""
    today = today or timezone.localdate()
    result = SweepResult()
    _assignment_reminders(today, result)
    _milestone_reminders(today, result)
    _rating_reminders(today, result)
    _promise_reminders(today, result)
    logger.info(
        "reminder sweep %s: %d reminders, %d messages",
        today,
        result.reminders,
        result.notifications,
    )
    return result


def _insert(
    keys: Iterable[str], make: Callable[[str], Reminder], batch: uuid.UUID
) -> set[str]:
    """Insert a reminder (``make(key)``) for each key not sent before; return the keys
    this call inserted.

    The unique key decides: a key another sweep inserts meanwhile is skipped by the
    insert (ON CONFLICT DO NOTHING) and not read back, as it is not of this ``batch``.
    Keys found already sent are not even offered, which keeps a sweep that owes
    nothing new cheap (overdue keys stay owed all week). Inserted in key order, so
    that concurrent sweeps wait for each other's keys in one order and cannot
    deadlock on the unique index.
    """
    keys = set(keys)
    new = sorted(keys - _already_sent(keys))
    if not new:
        return set()
    Reminder.objects.bulk_create(
        [make(key) for key in new], ignore_conflicts=True, batch_size=2000
    )
    return set(Reminder.objects.filter(batch=batch).values_list("key", flat=True))


def _already_sent(keys: set[str]) -> set[str]:
    """Which of ``keys`` have a reminder row (one query per few thousand keys)."""
    size = min(5000, connection.features.max_query_params or 5000)
    ordered, found = sorted(keys), set()
    for start in range(0, len(ordered), size):
        found.update(
            Reminder.objects.filter(key__in=ordered[start : start + size]).values_list(
                "key", flat=True
            )
        )
    return found


def _assignment_reminders(today: date, result: SweepResult) -> None:
    offsets = reminder_offsets()
    horizon = today + timedelta(days=max(offsets, default=0))
    rows = (
        Assignment.objects.live()
        .filter(due_at__lte=horizon)
        .values_list(
            "pk", "unit_id", "due_at", "suggestion_id", "suggestion__title", "role"
        )
        .order_by()
    )
    batch = uuid.uuid4()
    now = timezone.now()
    owed = {}
    for pk, unit_id, due, suggestion_id, title, role in rows.iterator(chunk_size=5000):
        found = assignment_reminder_key(pk, due, today, offsets)
        if found:
            key, kind, days = found
            owed[key] = (kind, pk, unit_id, due, suggestion_id, title, days, role)
    if not owed:
        return

    def make(key: str) -> Reminder:
        kind, pk, _unit, due, _suggestion, _title, _days, _role = owed[key]
        return Reminder(
            key=key,
            kind=kind,
            assignment_id=pk,
            due_at=due,
            batch=batch,
            created_at=now,
        )

    with transaction.atomic():
        inserted = _insert(owed, make, batch)
        if not inserted:
            return
        members = defaultdict(list)
        for user in unit_members({owed[k][2] for k in inserted}):
            members[user.unit_id].append(user)
        texts = Renderer()
        notifications = []
        for key in sorted(inserted):
            kind, _pk, unit_id, due, suggestion_id, title, days, role = owed[key]
            # A co-unit's due date is its opinion's, to the lead unit.
            message = str(kind) if role == AssignmentRole.LEAD else f"{kind!s}_co"
            params = {"title": title, "due": due, "days": days}
            for user in members[unit_id]:
                subject, body = texts.render(message, user.language, params)
                notifications.append(
                    Notification(
                        recipient=user,
                        kind=message,
                        title=subject,
                        body=body,
                        suggestion_id=suggestion_id,
                        created_at=now,
                    )
                )
        Notification.objects.bulk_create(notifications, batch_size=2000)
        _add_deliveries(notifications)
    result.reminders += len(inserted)
    result.notifications += len(notifications)


def _milestone_reminders(today: date, result: SweepResult) -> None:
    """A milestone of a 五定 plan passed without progress reported against it:
    the lead unit is reminded once a day (key per milestone and day) until it
    reports, while the assignment is live work (``plans.passed_unreported``)."""
    rows = (
        plans.passed_unreported(today)
        .values_list(
            "pk",
            "title",
            "due_on",
            "plan__assignment__unit_id",
            "plan__assignment__suggestion_id",
            "plan__assignment__suggestion__title",
            "plan__assignment_id",
        )
        .order_by()
    )
    owed = {f"milestone:{row[0]}:{today}": row for row in rows}
    if not owed:
        return
    batch, now = uuid.uuid4(), timezone.now()

    def make(key: str) -> Reminder:
        _pk, _title, due, _unit, _suggestion, _stitle, assignment_id = owed[key]
        return Reminder(
            key=key,
            kind=ReminderKind.MILESTONE,
            assignment_id=assignment_id,
            due_at=due,
            batch=batch,
            created_at=now,
        )

    with transaction.atomic():
        inserted = _insert(owed, make, batch)
        if not inserted:
            return
        members = defaultdict(list)
        for user in unit_members({owed[k][3] for k in inserted}):
            members[user.unit_id].append(user)
        texts = Renderer()
        notifications = []
        for key in sorted(inserted):
            _pk, milestone, due, unit_id, suggestion_id, title, _a = owed[key]
            params = {"title": title, "milestone": milestone, "due": due}
            for user in members[unit_id]:
                subject, body = texts.render(
                    "milestone_unreported", user.language, params
                )
                notifications.append(
                    Notification(
                        recipient=user,
                        kind="milestone_unreported",
                        title=subject,
                        body=body,
                        suggestion_id=suggestion_id,
                        created_at=now,
                    )
                )
        Notification.objects.bulk_create(notifications, batch_size=2000)
        _add_deliveries(notifications)
    result.reminders += len(inserted)
    result.notifications += len(notifications)


def _rating_reminders(today: date, result: SweepResult) -> None:
    """Deputies who have not rated a reply within the rating window (15 working days
    by default) are reminded once per round; an unrated reply is never counted as
    satisfied."""
    waiting = list(
        Suggestion.objects.filter(status=Status.REPLIED, replied_at__isnull=False)
        .select_related("session__congress", "lead_deputy__user")
        .only(
            "pk",
            "title",
            "round",
            "replied_at",
            "session__congress__body_id",
            "lead_deputy__user",
        )
    )
    if not waiting:
        return
    replied_days = [timezone.localdate(s.replied_at) for s in waiting]
    calendar = WorkingDayCalendar(min(replied_days), today + timedelta(days=1))
    rules = {}
    batch, now = uuid.uuid4(), timezone.now()
    owed = {}
    for suggestion, replied_on in zip(waiting, replied_days, strict=True):
        congress_id = suggestion.session.congress_id
        if congress_id not in rules:
            rules[congress_id] = deadlines.rules_for(congress_id)
        # The window counts on the calendar of the suggestion's body.
        window = calendar.for_body(suggestion.session.congress.body_id).add(
            replied_on, rules[congress_id].rating_window_working_days
        )
        if today > window.date:
            owed[f"rating:{suggestion.pk}:{suggestion.round}"] = (
                suggestion,
                replied_on,
            )
    if not owed:
        return

    def make(key: str) -> Reminder:
        return Reminder(key=key, kind=ReminderKind.RATING, batch=batch, created_at=now)

    with transaction.atomic():
        inserted = _insert(owed, make, batch)
        texts = Renderer()
        notifications = []
        for key in sorted(inserted):
            suggestion, replied_on = owed[key]
            user = suggestion.lead_deputy.user
            if user is None or not user.is_active:
                continue
            subject, body = texts.render(
                "rating_awaited",
                user.language,
                {"title": suggestion.title, "replied": replied_on},
            )
            notifications.append(
                Notification(
                    recipient=user,
                    kind="rating_awaited",
                    title=subject,
                    body=body,
                    suggestion=suggestion,
                    created_at=now,
                )
            )
        Notification.objects.bulk_create(notifications)
        _add_deliveries(notifications)
    result.reminders += len(inserted)
    result.notifications += len(notifications)


def promise_reminder_key(promise_id: int, due: date, today: date) -> str | None:
    """The reminder a promise not reported on is owed today, or None: one per month
    (30 days) past its due date, starting the day after it. A corrected due date
    makes new keys."""
    days_late = (today - due).days
    if days_late < 1:
        return None
    return f"promise:{promise_id}:{due}:{(days_late - 1) // 30}"


def _promise_reminders(today: date, result: SweepResult) -> None:
    """The lead unit's members are reminded of each promise past its due date
    without a report (``Promise.objects.overdue``), monthly until it is reported."""
    rows = (
        Promise.objects.overdue(today)
        .values_list(
            "pk",
            "due_on",
            "text",
            "reply__assignment__unit_id",
            "reply__assignment__suggestion_id",
            "reply__assignment__suggestion__title",
        )
        .order_by()
    )
    owed = {}
    for pk, due, text, unit_id, suggestion_id, title in rows.iterator(chunk_size=5000):
        key = promise_reminder_key(pk, due, today)
        if key:
            owed[key] = (due, text, unit_id, suggestion_id, title, (today - due).days)
    if not owed:
        return
    batch, now = uuid.uuid4(), timezone.now()

    def make(key: str) -> Reminder:
        return Reminder(
            key=key,
            kind=ReminderKind.PROMISE,
            due_at=owed[key][0],
            batch=batch,
            created_at=now,
        )

    with transaction.atomic():
        inserted = _insert(owed, make, batch)
        if not inserted:
            return
        members = defaultdict(list)
        for user in unit_members({owed[k][2] for k in inserted}):
            members[user.unit_id].append(user)
        texts = Renderer()
        notifications = []
        for key in sorted(inserted):
            due, text, unit_id, suggestion_id, title, days = owed[key]
            params = {"title": title, "due": due, "days": days, "promise": text}
            for user in members[unit_id]:
                subject, body = texts.render("promise_overdue", user.language, params)
                notifications.append(
                    Notification(
                        recipient=user,
                        kind="promise_overdue",
                        title=subject,
                        body=body,
                        suggestion_id=suggestion_id,
                        created_at=now,
                    )
                )
        Notification.objects.bulk_create(notifications, batch_size=2000)
        _add_deliveries(notifications)
    result.reminders += len(inserted)
    result.notifications += len(notifications)


def send_digests(*, today: date | None = None) -> SweepResult:
    """The weekly digests: overdue items to staff, key supervised items to leaders;
    once per recipient, body and ISO week (a member of two bodies reads both)."""
    today = today or timezone.localdate()
    year, week, _ = today.isocalendar()
    result = SweepResult()
    # Each body's staff and leaders read their own body's figures.
    for body_id in CongressBody.objects.values_list("pk", flat=True):
        in_body = Q(session__congress__body_id=body_id)
        overdue = (
            Suggestion.objects.filter(in_body)
            .overdue(today)
            .select_related("lead_unit")
            .order_by("due_at", "pk")
        )
        count = overdue.count()
        if count:
            late_items = list(overdue[:DIGEST_ITEMS])
            items = Deferred(
                lambda late_items=late_items: "\n".join(
                    f"- {s.number or ''} {s.title} · {s.lead_unit} · {local_date(s.due_at)}"
                    for s in late_items
                )
            )
            _digest(
                staff_users(body_id),
                ReminderKind.DIGEST_OVERDUE,
                "digest_overdue",
                f"{year}-W{week}:{body_id}",
                {"count": count, "items": items},
                result,
            )
        key = Suggestion.objects.filter(
            in_body, key_supervised=True, status__in=[*OPEN_STATUSES, Status.REPLIED]
        )
        if key.exists():
            open_key = key.filter(status__in=OPEN_STATUSES)
            key_items = list(open_key.order_by("due_at", "pk")[:DIGEST_ITEMS])
            items = Deferred(
                lambda key_items=key_items: "\n".join(
                    f"- {s.number or ''} {s.title} · {s.get_status_display()}"
                    f" · {local_date(s.due_at)}"
                    for s in key_items
                )
            )
            all_key = Suggestion.objects.filter(in_body, key_supervised=True)
            _digest(
                leader_users(body_id),
                ReminderKind.DIGEST_KEY,
                "digest_key",
                f"{year}-W{week}:{body_id}",
                {
                    "count": all_key.count(),
                    "open": open_key.count(),
                    "overdue": open_key.overdue(today).count(),
                    "closed": all_key.filter(status=Status.CLOSED).count(),
                    "items": items,
                },
                result,
            )
    return result


def _digest(users, kind, message, period, params, result) -> None:
    batch, now = uuid.uuid4(), timezone.now()
    users = {u.pk: u for u in users}
    if not users:
        return

    def make(key: str) -> Reminder:
        return Reminder(key=key, kind=kind, batch=batch, created_at=now)

    with transaction.atomic():
        inserted = _insert((f"{kind}:{pk}:{period}" for pk in users), make, batch)
        notifications = []
        for key in sorted(inserted):
            user = users[int(key.split(":")[1])]
            subject, body = render(message, user.language, params)
            notifications.append(
                Notification(
                    recipient=user,
                    kind=message,
                    title=subject,
                    body=body,
                    created_at=now,
                )
            )
        Notification.objects.bulk_create(notifications)
        _add_deliveries(notifications)
    result.reminders += len(inserted)
    result.notifications += len(notifications)

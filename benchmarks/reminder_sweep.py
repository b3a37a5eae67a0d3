"""How long the reminder sweep (催办) takes, and how many queries it makes, with many open
assignments. A script to run by hand, not a timed test.

    .venv/bin/python benchmarks/reminder_sweep.py --assignments 100000

It works on a scratch PostgreSQL database that it drops, creates and migrates
(``--database-url``, default ``postgres://postgres@127.0.0.1:5432/reminder_bench``;
the name must contain "bench", so that no real database is ever dropped). It fills N
open lead assignments — one congress and session, units with one member each,
suggestions in status assigned, due dates spread evenly from 60 days ago to 30 days
ahead — then times:

1. the first sweep, which owes a reminder to almost every assignment (the overdue
   ones and those due within the largest offset);
2. the same sweep again, which must insert nothing;
3. the next day's sweep, the steady state of a daily beat.

``--keep`` reuses a database filled before (emptying the sweep's tables), to compare
code changes on the same rows.

Each line gives the wall time, the CPU time of this process (the rest is the
database's work, and waiting on a busy machine), the number of queries
(``CaptureQueriesContext``) and the reminders, messages and e-mail copies written. The worker is not involved: the
copies stay pending (the broker is a file queue in a temporary folder).
"""

import argparse
import os
import platform
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/reminder_bench"
BATCH = 5000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assignments", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=300, help="handling units")
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument(
        "--keep",
        action="store_true",
        help="reuse the filled database (its reminders and messages are emptied)",
    )
    args = parser.parse_args()

    name = urlsplit(args.database_url).path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"refusing to drop {name!r}: a scratch database name contains 'bench'")
    if not args.keep:
        recreate_database(args.database_url)
    configure_django(args.database_url)

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from suggestions.models import Assignment

    if not args.keep:
        call_command("migrate", verbosity=0)
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE notifications_delivery, notifications_notification,"
                " notifications_reminder"
            )
    today = timezone.localdate()
    if not Assignment.objects.exists():
        started = time.perf_counter()
        fill(args.assignments, units=args.units, today=today)
        print(f"filled {args.assignments} open assignments in {elapsed(started)}")

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        server = cursor.fetchone()[0].split(" on ")[0]
    print(
        f"{datetime.now().astimezone():%Y-%m-%d %H:%M %Z}, {server}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    print(f"{Assignment.objects.live().count()} live assignments, sweep day {today}")
    for label, day in (
        ("first sweep", today),
        ("same day again", today),
        ("next day", today + timedelta(days=1)),
    ):
        measure(label, day)


def recreate_database(url: str) -> None:
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    conn = psycopg2.connect(admin)
    conn.autocommit = True  # CREATE/DROP DATABASE cannot run in a transaction
    try:
        with conn.cursor() as cursor:
            cursor.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(name)
                )
            )
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        conn.close()


def configure_django(url: str) -> None:
    sys.path.insert(0, str(BASE_DIR))
    os.environ["DATABASE_URL"] = url
    # Pending copies and their broker messages stay out of the project's var/.
    os.environ["DJANGO_VAR_DIR"] = tempfile.mkdtemp(prefix="reminder-bench-")
    os.environ.pop("REDIS_URL", None)
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def fill(n: int, *, units: int, today: date, seed: int = 5) -> None:
    """N open lead assignments of as many assigned suggestions, due from 60 days ago
    to 30 days ahead, spread over ``units`` units with one member each."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.models import User
    from congress.models import (
        Congress,
        CongressBody,
        CongressLevel,
        Delegation,
        Deputy,
        HandlingUnit,
        Session,
        UnitKind,
    )
    from suggestions.models import (
        Assignment,
        AssignmentRole,
        Category,
        Status,
        Suggestion,
    )

    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    now = timezone.now()
    body = CongressBody.objects.create(
        name="基准州人民代表大会", level=CongressLevel.PREFECTURE, region="基准州"
    )
    congress = Congress.objects.create(body=body, ordinal=16)
    session = Session.objects.create(
        congress=congress, ordinal=1, year=today.year, opened_on=today, is_current=True
    )
    delegation = Delegation.objects.create(congress=congress, name="基准代表团")
    deputies = Deputy.objects.bulk_create(
        Deputy(delegation=delegation, name=f"代表{i}", gender="female")
        for i in range(200)
    )
    category = Category.objects.create(name="基准类别", position=1)
    unit_rows = HandlingUnit.objects.bulk_create(
        HandlingUnit(body=body, name=f"基准承办单位{i}", kind=UnitKind.GOVERNMENT)
        for i in range(units)
    )
    password = make_password(None)
    User.objects.bulk_create(
        User(
            username=f"bench-clerk-{i}",
            password=password,
            email=f"clerk{i}@bench.example",
            unit=unit,
            language="zh-hans" if i % 4 else "en",
        )
        for i, unit in enumerate(unit_rows)
    )
    for start in range(0, n, BATCH):
        rows = []
        for i in range(start, min(n, start + BATCH)):
            due = today + timedelta(days=-60 + (i * 91) // n)
            rows.append(
                Suggestion(
                    session=session,
                    number=i + 1,
                    title=f"关于改善第{i + 1}号道路交通状况的建议",
                    body="建议有关部门加大投入。",
                    category=category,
                    lead_deputy=rng.choice(deputies),
                    status=Status.ASSIGNED,
                    lead_unit=rng.choice(unit_rows),
                    due_at=due,
                    created_at=now,
                    submitted_at=now,
                    registered_at=now,
                    assigned_at=now,
                )
            )
        suggestions = Suggestion.objects.bulk_create(rows)
        Assignment.objects.bulk_create(
            Assignment(
                suggestion=s,
                unit=s.lead_unit,
                role=AssignmentRole.LEAD,
                round=1,
                assigned_at=now,
                due_at=s.due_at,
            )
            for s in suggestions
        )


def measure(label: str, day: date) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from notifications import reminders
    from notifications.models import Delivery, Notification, Reminder

    before = (
        Reminder.objects.count(),
        Notification.objects.count(),
        Delivery.objects.count(),
    )
    with CaptureQueriesContext(connection) as queries:
        started, cpu = time.perf_counter(), time.process_time()
        result = reminders.sweep(today=day)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    after = (
        Reminder.objects.count(),
        Notification.objects.count(),
        Delivery.objects.count(),
    )
    added = [b - a for a, b in zip(before, after, strict=True)]
    if (added[0], added[1]) != (result.reminders, result.notifications):
        sys.exit(f"the sweep reported {result}, the tables grew by {added}")
    print(
        f"{label:<15} {day}: {wall:7.2f} s ({cpu:6.2f} s CPU here), "
        f"{len(queries):3d} queries, "
        f"{added[0]:6d} reminders, {added[1]:6d} messages, {added[2]:6d} e-mail copies"
    )


def elapsed(started: float) -> str:
    return f"{time.perf_counter() - started:.1f} s"


if __name__ == "__main__":
    main()

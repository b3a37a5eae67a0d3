"""The outbox with a real Celery worker, Redis and PostgreSQL (issue 5's integration
tests). Run by ``.ci/run``'s PostgreSQL pass; skipped unless ``REDIS_URL`` is set and
the database is PostgreSQL.

Each test starts its own worker process (``celery -A config worker``, prefork, two
children, queue ``celery``) on the test database (``DATABASE_URL`` built from the test
connection) and on Redis database 14 of ``REDIS_URL`` (flushed before and after; the
broker-outage test starts a redis-server of its own on a free port), with
its own ``DJANGO_VAR_DIR`` so that its e-mail files and SMS log are the test's. The
test process sends to the same broker. Every process a test starts is killed in its
teardown. What the beat would send every minute (``flush_outbox``) the tests send
themselves, when they need it.
"""

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
import redis
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from config.celery import app as celery_app
from notifications.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    Notification,
    Reminder,
)
from notifications.services import notify
from notifications.tasks import flush_outbox, send_reminders
from suggestions.models import Assignment, AssignmentRole, Status, Suggestion
from tests.factories import (
    DeputyFactory,
    HandlingUnitFactory,
    Journey,
    SessionFactory,
    UserFactory,
)

from ..ops.servers import RedisServer, wait_until
from .helpers import parse_sms_log

REDIS_URL = os.environ.get("REDIS_URL", "")
# Database 14 of the shared Redis (CI's suite uses 15); under pytest-xdist each
# process takes its own (gw1: 13 …), as workers on one queue would take each other's
# tasks.
REDIS_DB = 14 - int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not REDIS_URL or connection.vendor != "postgresql",
        reason="needs REDIS_URL and PostgreSQL (a real worker shares the test database)",
    ),
]


def with_db(url: str, db: int) -> str:
    """The Redis URL ``url`` with database ``db``."""
    return urlunsplit(urlsplit(url)._replace(path=f"/{db}"))


def database_url() -> str:
    """A URL of the test database, for the worker (the test connection's settings:
    pytest-django has renamed the database to test_…)."""
    s = connection.settings_dict
    auth = ""
    if s["USER"]:
        auth = quote(s["USER"], safe="")
        if s["PASSWORD"]:
            auth += ":" + quote(s["PASSWORD"], safe="")
        auth += "@"
    host = s["HOST"] or "localhost"
    port = f":{s['PORT']}" if s["PORT"] else ""
    return f"postgres://{auth}{host}{port}/{quote(s['NAME'], safe='')}"


class Worker:
    """A ``celery worker`` process group of its own, logging to ``log``."""

    def __init__(self, env: dict, log: Path):
        self.env, self.log, self.process = env, log, None

    def start(self) -> "Worker":
        self.log.write_text("")
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and args
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=prefork",
                "--concurrency=2",
                "-Q",
                "celery",
                "-l",
                "info",
                "-n",
                f"it-{uuid.uuid4().hex[:8]}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                f"--logfile={self.log}",
            ],
            cwd=settings.BASE_DIR,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=self.log.with_suffix(".err").open("w"),
            start_new_session=True,
        )
        wait_until(self.ready, timeout=45, what="the worker to be ready")
        return self

    def ready(self) -> bool:
        if self.process.poll() is not None:
            pytest.fail(
                f"the worker exited ({self.process.returncode}):\n{self.text()}"
            )
        return " ready." in self.text()

    def text(self) -> str:
        err = self.log.with_suffix(".err")
        return self.log.read_text() + (err.read_text() if err.exists() else "")

    def kill(self) -> None:
        """SIGKILL to the whole group (main process and pool children): a crash."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        """A warm shutdown, killed if it takes too long."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


class Stack:
    """The test's worker(s), broker and folders; ``close`` kills what it started."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.var = folder / "var"
        self.broker_url = with_db(REDIS_URL, REDIS_DB)
        self.workers: list[Worker] = []
        self.servers: list[RedisServer] = []

    def use_broker(self, url: str) -> None:
        """Send this process's tasks to ``url`` (and the workers started next read
        it)."""
        self.broker_url = url
        celery_app.conf.broker_url = url

    def worker(self, **env) -> Worker:
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url(),
            "REDIS_URL": self.broker_url,
            "DJANGO_VAR_DIR": str(self.var),
            "SMS_LOG_FILE": str(self.var / "sms" / "outbox.log"),
            "DJANGO_CONN_MAX_AGE": "0",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "PYTHONUNBUFFERED": "1",
            **env,
        }
        environment.pop("EMAIL_URL", None)  # the file backend, into DJANGO_VAR_DIR
        worker = Worker(environment, self.folder / f"worker-{len(self.workers)}.log")
        self.workers.append(worker)
        return worker.start()

    def redis_server(self) -> RedisServer:
        server = RedisServer(self.folder)
        self.servers.append(server)
        return server.start()

    def beat_tick(self, task=flush_outbox) -> None:
        """Send what the beat sends on schedule (by default the outbox flush)."""
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=5, interval_start=0.2, interval_step=0.2)
            task.apply_async(connection=conn)

    def mail_ids(self) -> Counter:
        """How many e-mails the worker wrote for each delivery id (Message-ID)."""
        found = Counter()
        for path in (self.var / "mail").glob("*.log"):
            for pk in re.findall(r"Message-ID: <notification-(\d+)@", path.read_text()):
                found[int(pk)] += 1
        return found

    def sms(self) -> list[tuple[str, str]]:
        path = self.var / "sms" / "outbox.log"
        return parse_sms_log(path.read_text()) if path.exists() else []

    def worker_log(self) -> str:
        return "\n".join(f"--- {w.log.name}\n{w.text()}" for w in self.workers)

    def close(self) -> None:
        for worker in self.workers:
            worker.kill()
        for server in self.servers:
            server.stop()


def flush_redis(url: str) -> None:
    with contextlib.suppress(redis.ConnectionError):
        redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()


@pytest.fixture
def stack(transactional_db, tmp_path):
    """A broker database of the tests' own, a folder, and the processes to kill."""
    conf = celery_app.conf
    saved = conf.broker_url, conf.task_always_eager
    conf.task_always_eager = False
    stack = Stack(tmp_path)
    stack.use_broker(stack.broker_url)
    flush_redis(stack.broker_url)
    try:
        yield stack
    finally:
        stack.close()
        print(stack.worker_log())  # shown by pytest when the test failed
        flush_redis(with_db(REDIS_URL, REDIS_DB))
        conf.broker_url, conf.task_always_eager = saved


def all_sent(queryset):
    def check():
        statuses = list(queryset.values_list("status", flat=True))
        return statuses and all(s == DeliveryStatus.SENT for s in statuses)

    return check


# --- (a) -------------------------------------------------------------------------------


def test_an_assignment_reaches_the_inbox_and_the_mail_folder_through_the_broker(
    stack,
):
    """Assigning a suggestion writes the clerk's inbox message in the same
    transaction; the worker, woken through Redis, writes each e-mail copy once."""
    stack.worker()
    journey = Journey()
    journey.to(Status.ASSIGNED)

    [message] = Notification.objects.filter(recipient=journey.clerk, kind="assigned")
    email = message.deliveries.get(channel=Channel.EMAIL)
    assert email.address == journey.clerk.email
    every_copy = Delivery.objects.all()
    wait_until(all_sent(every_copy), timeout=30, what="the e-mail copies to be sent")

    sent = stack.mail_ids()
    assert sent == Counter({d.pk: 1 for d in every_copy}), stack.worker_log()
    clerk_mail = next(
        p.read_text()
        for p in (stack.var / "mail").glob("*.log")
        if f"<notification-{email.pk}@" in p.read_text()
    )
    assert f"To: {journey.clerk.email}" in clerk_mail
    assert f"delivery {email.pk} sent by email" in stack.worker_log()


# --- (b) -------------------------------------------------------------------------------


def fill_due_soon(n: int, *, units: int) -> int:
    """``n`` open lead assignments due in 7 days over ``units`` units with one
    member each (no e-mail); returns the number of reminders owed."""
    today = timezone.localdate()
    session = SessionFactory()
    unit_rows = [HandlingUnitFactory() for _ in range(units)]
    for unit in unit_rows:
        UserFactory(unit=unit, notify_email=False)
    deputy = DeputyFactory(delegation__congress=session.congress)
    now = timezone.now()
    suggestions = Suggestion.objects.bulk_create(
        Suggestion(
            session=session,
            number=i + 1,
            title=f"建议{i + 1}",
            body="正文",
            lead_deputy=deputy,
            status=Status.ASSIGNED,
            lead_unit=unit_rows[i % units],
            due_at=today + timedelta(days=7),
            assigned_at=now,
        )
        for i in range(n)
    )
    Assignment.objects.bulk_create(
        Assignment(
            suggestion=s,
            unit=s.lead_unit,
            role=AssignmentRole.LEAD,
            assigned_at=now,
            due_at=s.due_at,
        )
        for s in suggestions
    )
    return n


SUCCEEDED = re.compile(
    r"\[(?P<at>[\d-]+ [\d:,]+): INFO/[^\]]+\] Task notifications\.tasks\.send_reminders"
    r"\[[^\]]+\] succeeded in (?P<runtime>[\d.]+)s: (?P<sent>\d+)"
)


def test_two_sweeps_at_once_send_each_reminder_once(stack):
    """Two sweeps running at the same moment on a two-process worker: every
    assignment gets one reminder and every member one message, the two sweeps'
    messages adding up to exactly that (one waits on the other's keys)."""
    owed = fill_due_soon(3000, units=30)
    worker = stack.worker()

    with celery_app.connection_for_write() as conn:
        for _ in range(2):
            send_reminders.apply_async(connection=conn)

    runs = wait_until(
        lambda: (
            found
            if len(found := list(SUCCEEDED.finditer(worker.text()))) == 2
            else None
        ),
        timeout=60,
        what="both sweeps to finish",
    )
    assert Reminder.objects.count() == owed
    assert Notification.objects.filter(kind="due_soon").count() == owed
    assert not (
        Notification.objects.values("recipient", "suggestion")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .exists()
    )
    assert sorted(int(r["sent"]) for r in runs)[1] > 0
    assert sum(int(r["sent"]) for r in runs) == owed

    # The sweeps overlapped: each began before the other ended.
    spans = []
    for run in runs:
        # The worker logs its local time; only differences matter here.
        end = datetime.strptime(run["at"], "%Y-%m-%d %H:%M:%S,%f")  # noqa: DTZ007
        spans.append((end - timedelta(seconds=float(run["runtime"])), end))
    (start1, end1), (start2, end2) = spans
    assert start1 < end2 and start2 < end1, (spans, worker.text())


# --- (c) -------------------------------------------------------------------------------


@pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server")
def test_with_the_broker_down_a_reply_commits_and_is_delivered_later(stack):
    """Redis stops: the unit's reply still commits at once, its messages wait in the
    outbox; Redis returns: the next flush delivers each copy once."""
    server = stack.redis_server()
    stack.use_broker(server.url)
    stack.worker()
    journey = Journey()
    journey.to(Status.ASSIGNED)
    journey.acknowledge()
    wait_until(
        all_sent(Delivery.objects.all()), timeout=30, what="the first copies to go"
    )

    server.stop()
    started = time.monotonic()
    reply = journey.reply()
    took = time.monotonic() - started

    assert took < 3, f"the reply waited {took:.1f} s for the broker"
    assert Suggestion.objects.get(pk=journey.suggestion.pk).status == Status.REPLIED
    waiting = Delivery.objects.filter(notification__kind="replied")
    assert waiting.count() == 1  # the lead deputy (the co-signer never confirmed)
    assert waiting.get().notification.suggestion_id == reply.assignment.suggestion_id
    time.sleep(1)
    assert set(waiting.values_list("status", flat=True)) == {DeliveryStatus.PENDING}

    server.start()
    stack.beat_tick()
    wait_until(
        all_sent(waiting), timeout=60, what="the reply's copy after the broker returned"
    )
    assert stack.mail_ids() == Counter({d.pk: 1 for d in Delivery.objects.all()})


# --- (d) -------------------------------------------------------------------------------


def test_a_worker_killed_while_delivering_loses_nothing_and_sends_nothing_twice(
    stack,
):
    """The worker is killed (SIGKILL) while an SMS is in flight: the copies sent are
    marked sent, the one in flight and those behind it stay pending; a new worker
    sends each of those once. The SMS log holds every message exactly once."""
    progress = stack.folder / "sms-progress"
    worker_env = {
        "SMS_BACKEND": "tests.notifications.slow_sms.SlowSmsBackend",
        "SMS_PROGRESS_FILE": str(progress),
        "SLOW_SMS_SECONDS": "1.0",
    }
    stack.worker(**worker_env)
    users = [
        UserFactory(notify_email=False, notify_sms=True, phone=f"1390000{i:04d}")
        for i in range(5)
    ]
    with transaction.atomic():
        notify(
            recipients=users,
            kind="acknowledged",
            params={"title": "关于建议", "unit": "承办单位"},
        )  # on commit, the flush goes to the worker

    def sends_begun() -> list[str]:
        return progress.read_text().split() if progress.exists() else []

    wait_until(
        lambda: len(sends_begun()) >= 3, timeout=30, what="the third SMS to begin"
    )
    stack.workers[-1].kill()

    copies = Delivery.objects.filter(channel=Channel.SMS)
    sent_before = [p for p, _ in stack.sms()]
    assert len(sent_before) == 2
    assert copies.filter(status=DeliveryStatus.SENT).count() == 2
    in_flight = copies.get(address=sends_begun()[2])
    assert (in_flight.status, in_flight.attempts) == (DeliveryStatus.PENDING, 0)

    stack.worker(**worker_env)
    stack.beat_tick()
    wait_until(all_sent(copies), timeout=30, what="the other copies after the restart")

    sent = Counter(phone for phone, _ in stack.sms())
    assert sent == Counter({u.phone: 1 for u in users})
    assert set(copies.values_list("attempts", flat=True)) == {1}

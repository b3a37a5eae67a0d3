"""The app on real servers that fail: PostgreSQL restarted under load, Redis stopped.

Each test runs gunicorn (and, where delivery matters, a Celery worker and beat) as
subprocesses against a throwaway PostgreSQL cluster and redis-server of its own
(``conftest.py``), in production settings (``DJANGO_DEBUG=false``), and talks to it
over HTTP like any client: the staff member's register and assign through the API
with a token, reads of the API, the public pages and ``/healthz``.
"""

import json
import re
import threading
import time
from dataclasses import dataclass, field

import pytest
import requests

from .servers import wait_until

pytestmark = pytest.mark.faults

# No request may take longer than this, however the database fails.
REQUEST_BOUND = 10.0


@dataclass
class Call:
    method: str
    path: str
    started: float
    took: float
    status: int | None  # None: no HTTP answer (connection refused, timeout)
    error: str = ""


@dataclass
class Traffic:
    """Staff clients moving suggestions submitted → registered → assigned, reading
    lists, the public page and /healthz between the steps, until stopped."""

    base: str
    data: dict
    clients: int = 2
    calls: list[Call] = field(default_factory=list)
    # (suggestion id, status) of every transition that answered 2xx.
    done: list[tuple[int, str]] = field(default_factory=list)

    def __post_init__(self):
        self._stop = threading.Event()
        self._lock = threading.Lock()
        ids = self.data["submitted"]
        self._threads = [
            threading.Thread(target=self._run, args=(ids[i :: self.clients],))
            for i in range(self.clients)
        ]

    def start(self) -> "Traffic":
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=REQUEST_BOUND * 3)

    def _call(self, session, method: str, path: str, **kwargs) -> Call:
        started = time.monotonic()
        try:
            response = session.request(
                method, self.base + path, timeout=REQUEST_BOUND * 2, **kwargs
            )
            call = Call(
                method, path, started, time.monotonic() - started, response.status_code
            )
        except requests.RequestException as exc:
            call = Call(
                method, path, started, time.monotonic() - started, None, repr(exc)
            )
        with self._lock:
            self.calls.append(call)
        return call

    def _reads(self, session) -> None:
        self._call(session, "GET", "/api/v1/suggestions/?page_size=10")
        self._call(requests.Session(), "GET", "/public/")
        self._call(session, "GET", "/healthz")

    def _run(self, ids: list[int]) -> None:
        session = requests.Session()
        session.headers["Authorization"] = f"Token {self.data['staff_token']}"
        steps = (
            ("register", {"category": self.data["category"]}, "registered"),
            ("assign", {"lead_unit": self.data["unit"]}, "assigned"),
        )
        queue = list(ids)
        while not self._stop.is_set():
            if not queue:
                self._reads(session)
                continue
            pk = queue.pop(0)
            for action, body, status in steps:
                self._reads(session)
                call = self._call(
                    session, "POST", f"/api/v1/suggestions/{pk}/{action}/", json=body
                )
                if call.status is None or not 200 <= call.status < 300:
                    # Uncertain: leave this suggestion, and take the next one after a
                    # pause (as a person would).
                    self._stop.wait(0.3)
                    break
                with self._lock:
                    self.done.append((pk, status))

    def transitions_since(self, moment: float) -> int:
        with self._lock:
            return sum(
                1
                for c in self.calls
                if c.method == "POST" and c.started >= moment and c.status == 200
            )


def consistency_problems(pg) -> list[str]:
    """Suggestions whose status differs from their timeline's last event, or whose
    rows a status implies are missing."""
    with pg.connect() as conn, conn.cursor() as cur:
        cur.execute(
            """
            SELECT s.id, s.status, last.to_status
            FROM suggestions_suggestion s
            LEFT JOIN LATERAL (
                SELECT e.to_status FROM suggestions_event e
                WHERE e.suggestion_id = s.id ORDER BY e.created_at DESC, e.id DESC LIMIT 1
            ) last ON true
            WHERE last.to_status IS DISTINCT FROM s.status
            """
        )
        problems = [f"suggestion {r[0]}: status {r[1]}, last event {r[2]}" for r in cur]
        cur.execute(
            """
            SELECT s.id FROM suggestions_suggestion s
            WHERE s.status = 'assigned' AND NOT EXISTS (
                SELECT 1 FROM suggestions_assignment a
                WHERE a.suggestion_id = s.id AND a.active AND a.role = 'lead')
            """
        )
        problems += [
            f"suggestion {r[0]}: assigned without a lead assignment" for r in cur
        ]
        cur.execute(
            "SELECT id FROM suggestions_suggestion"
            " WHERE status IN ('registered', 'assigned') AND number IS NULL"
        )
        problems += [f"suggestion {r[0]}: registered without a number" for r in cur]
    conn.close()
    return problems


def events_of(pg, pairs: list[tuple[int, str]]) -> set[tuple[int, str]]:
    with pg.connect() as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT suggestion_id, to_status FROM suggestions_event"
            " WHERE suggestion_id = ANY(%s)",
            ([pk for pk, _ in pairs],),
        )
        found = set(cur.fetchall())
    conn.close()
    return found


def test_postgres_restarted_under_traffic(make_stack):
    """PostgreSQL stops for 3 s while two clients work: requests in the outage fail
    with a 503 within the bound, gunicorn's workers recover by themselves (the same
    processes, connection health checks), and no change is half-written."""
    stack = make_stack(
        DJANGO_CONN_MAX_AGE="60", DJANGO_HEALTH_HEARTBEAT_MAX_AGE="86400"
    )
    base = stack.app.gunicorn(workers=2)
    traffic = Traffic(base, stack.data).start()
    try:
        wait_until(
            lambda: traffic.transitions_since(0) >= 6,
            timeout=60,
            what="traffic before the outage",
        )
        stopped = time.monotonic()
        stack.pg.stop()
        time.sleep(3)
        stack.pg.start()
        restarted = time.monotonic()
        wait_until(
            lambda: traffic.transitions_since(restarted + 2) >= 6,
            timeout=60,
            what="transitions after the restart",
        )
    finally:
        traffic.stop()

    calls = traffic.calls
    assert all(c.status is not None for c in calls), [c for c in calls if c.error][:5]
    slowest = max(calls, key=lambda c: c.took)
    assert slowest.took < REQUEST_BOUND, slowest
    failed = [c for c in calls if c.status >= 400]
    assert failed, "no request saw the outage"
    # The database unreachable: 503 (congress.health.server_error), never a bare 500.
    assert {c.status for c in failed} == {503}, failed
    # Failures only while the database was away (and the requests in flight then).
    assert all(stopped - 1 <= c.started <= restarted + 2 for c in failed), (
        [(c.path, c.status, round(c.started - stopped, 2)) for c in failed],
        round(restarted - stopped, 2),
    )
    health = [c for c in calls if c.path == "/healthz"]
    assert any(c.status == 503 for c in health)
    after = [c for c in calls if c.started > restarted + 2]
    assert after and all(c.status == 200 for c in after)
    # The same gunicorn workers carried on: none was restarted.
    assert stack.app.alive("gunicorn")
    log = stack.app.log("gunicorn")
    booted = re.findall(r"Booting worker with pid", log)
    assert len(booted) == 2
    # Production logs: every line JSON, gunicorn's own and the app's.
    lines = [json.loads(line) for line in log.splitlines() if line.strip()]
    assert any(line.get("request_id", "-") != "-" for line in lines)

    assert consistency_problems(stack.pg) == []
    assert set(traffic.done) <= events_of(stack.pg, traffic.done)


def deliveries(pg, suggestion: int) -> list[tuple[int, str]]:
    """(id, status) of the e-mail/SMS copies of the suggestion's messages."""
    with pg.connect() as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT d.id, d.status FROM notifications_delivery d"
            " JOIN notifications_notification n ON n.id = d.notification_id"
            " WHERE n.suggestion_id = %s ORDER BY d.id",
            (suggestion,),
        )
        rows = cur.fetchall()
    conn.close()
    return rows


def login(base: str, username: str, password: str) -> requests.Session:
    """A browser-like session through the login form."""
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/", timeout=REQUEST_BOUND)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
    answer = session.post(
        f"{base}/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=REQUEST_BOUND,
    )
    assert answer.status_code == 200 and "/accounts/login/" not in answer.url, (
        answer.url
    )
    return session


def test_redis_stopped_pages_and_changes_work_and_mail_follows(make_stack):
    """Redis stops: pages, sign-in and state changes still answer 2xx at once, the
    assignment's e-mail waits in the outbox; Redis returns: the worker reconnects and
    beat's outbox flush delivers it (the e-mail file is written)."""
    stack = make_stack(
        CELERY_OUTBOX_FLUSH_SECONDS="2",
        CELERY_HEARTBEAT_SECONDS="2",
        DJANGO_HEALTH_HEARTBEAT_MAX_AGE="30",
    )
    base = stack.app.gunicorn(workers=2)
    stack.app.worker()
    stack.app.beat()
    api = requests.Session()
    api.headers["Authorization"] = f"Token {stack.data['staff_token']}"
    first, second = stack.data["submitted"][:2]

    def move(pk: int) -> float:
        started = time.monotonic()
        for action, body in (
            ("register", {"category": stack.data["category"]}),
            ("assign", {"lead_unit": stack.data["unit"]}),
        ):
            answer = api.post(
                f"{base}/api/v1/suggestions/{pk}/{action}/",
                json=body,
                timeout=REQUEST_BOUND,
            )
            assert answer.status_code == 200, answer.text
        return time.monotonic() - started

    def sent(pk: int):
        rows = deliveries(stack.pg, pk)
        return rows and all(status == "sent" for _, status in rows)

    def healthz() -> requests.Response:
        return requests.get(f"{base}/healthz", timeout=REQUEST_BOUND)

    # Everything up: the worker's heartbeat makes the app healthy, mail goes out.
    wait_until(lambda: healthz().status_code == 200, timeout=60, what="healthy")
    move(first)
    wait_until(lambda: sent(first), timeout=60, what="the first assignment's e-mail")

    stack.redis.stop()
    started = time.monotonic()
    down = healthz()
    assert time.monotonic() - started < 3
    assert down.status_code == 503 and down.json()["broker"] == "error", down.text

    assert requests.get(f"{base}/public/", timeout=REQUEST_BOUND).status_code == 200
    listing = api.get(f"{base}/api/v1/suggestions/?page_size=5", timeout=REQUEST_BOUND)
    assert listing.status_code == 200
    clerk = login(base, stack.data["clerk"], stack.data["password"])
    assert clerk.get(f"{base}/assignments/", timeout=REQUEST_BOUND).status_code == 200
    took = move(second)
    assert took < 6, f"register and assign took {took:.1f} s with the broker down"

    waiting = deliveries(stack.pg, second)
    assert waiting, "the assignment wrote no e-mail copy"
    time.sleep(4)  # two of beat's flush intervals: nothing can go out
    assert {status for _, status in deliveries(stack.pg, second)} == {"pending"}

    stack.redis.start()  # the same port, an empty Redis
    wait_until(
        lambda: sent(second), timeout=120, what="the e-mail after Redis returned"
    )
    mail = "".join(p.read_text() for p in (stack.app.var / "mail").glob("*.log"))
    for pk, _ in waiting:
        assert mail.count(f"Message-ID: <notification-{pk}@") == 1, mail
    assert stack.data["clerk_email"] in mail
    wait_until(lambda: healthz().status_code == 200, timeout=60, what="healthy again")

"""The read replica (common/db.py): the dashboards, exports and public pages read
from it; everything else, every write and every migration stays on the primary.

The test settings add a ``replica`` alias that mirrors the test database
(``tests/conftest.py``); the router is on only where a test turns it on."""

import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import DatabaseError, connections, router, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from common import db
from common.db import (
    REPLICA,
    ReplicaRouter,
    decide,
    reading_from_primary,
    reading_from_replica,
    replica_reads,
)
from congress.models import Session
from dashboard import statistics
from suggestions import services
from suggestions.models import Status, Suggestion
from tests.factories import LeaderFactory, SessionFactory

ROOT = Path(__file__).resolve().parents[2]
ROUTER = "common.db.ReplicaRouter"
WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture
def routed(settings):
    settings.DATABASE_ROUTERS = [ROUTER]
    yield router


# --- the router's decisions -----------------------------------------------------------


def test_reads_go_to_the_replica_only_inside_the_context():
    r = ReplicaRouter()
    assert r.db_for_read(Suggestion) == "default"
    with reading_from_replica():
        assert r.db_for_read(Suggestion) == REPLICA
        with reading_from_primary():
            assert r.db_for_read(Suggestion) == "default"
        assert r.db_for_read(Suggestion) == REPLICA
    assert r.db_for_read(Suggestion) == "default"


def test_writes_and_migrations_always_go_to_the_primary():
    r = ReplicaRouter()
    with reading_from_replica():
        assert r.db_for_write(Suggestion) == "default"
    assert r.allow_migrate("default", "suggestions") is True
    assert r.allow_migrate(REPLICA, "suggestions") is False


def test_rows_of_both_aliases_may_be_related():
    primary, replica = Suggestion(), Session()
    primary._state.db, replica._state.db = "default", REPLICA
    assert ReplicaRouter().allow_relation(primary, replica) is True
    replica._state.db = "elsewhere"
    assert ReplicaRouter().allow_relation(primary, replica) is None


def test_without_a_replica_alias_nothing_changes(monkeypatch):
    monkeypatch.delitem(connections.settings, REPLICA)
    with reading_from_replica():
        assert decide() == "default"


def test_the_choice_is_per_thread():
    seen = []
    with reading_from_replica():
        worker = threading.Thread(target=lambda: seen.append(decide()))
        worker.start()
        worker.join()
        assert decide() == REPLICA
    assert seen == ["default"]


@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_transaction_on_the_primary_stay_there():
    with reading_from_replica():
        assert decide() == REPLICA
        with transaction.atomic():
            assert decide() == "default"
        assert decide() == REPLICA


def test_the_view_decorator_resolves_the_user_before_routing():
    """The lazy user (session and account) is read on the primary, then the view
    runs inside the context."""
    order = []

    class LazyUser:
        @property
        def is_authenticated(self):
            order.append(("user", decide()))
            return True

    class Request:
        user = LazyUser()

    @replica_reads
    def view(request):
        order.append(("view", decide()))
        return "done"

    assert view(Request()) == "done"
    assert order == [("user", "default"), ("view", REPLICA)]


def test_without_a_router_the_settings_add_nothing():
    """The settings themselves: no DATABASE_REPLICA_URL, no alias and no router;
    with it, the alias (same options as the primary, a mirror in tests) and the
    router."""
    code = (
        "import django, json; django.setup();"
        "from django.conf import settings as s;"
        "print(json.dumps([sorted(s.DATABASES), s.DATABASE_ROUTERS,"
        " s.DATABASES.get('replica', {}).get('TEST', {}).get('MIRROR'),"
        " s.DATABASES.get('replica', {}).get('NAME'),"
        " s.DATABASES.get('replica', {}).get('OPTIONS')"
        " == s.DATABASES['default'].get('OPTIONS')]))"
    )

    def run(**extra):
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_URL"))
        }
        env.update(DJANGO_SETTINGS_MODULE="config.settings", **extra)
        result = subprocess.run(  # noqa: S603 - our own settings, fixed code
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return result.stdout.strip().splitlines()[-1]

    assert run() == '[["default"], [], null, null, false]'
    assert run(
        DATABASE_URL="postgres://app@primary:5432/suggestions",
        DATABASE_REPLICA_URL="postgres://app@standby:5432/suggestions",
    ) == (f'[["default", "replica"], ["{ROUTER}"], "default", "suggestions", true]')


# --- through the pages ------------------------------------------------------------------


def _tables(queries) -> str:
    return "\n".join(q["sql"] for q in queries)


def _writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_the_dashboard_reads_from_the_replica_and_a_post_writes_the_primary(
    routed, journey
):
    journey.to(Status.ASSIGNED)
    leader = LeaderFactory()
    client = Client()
    client.force_login(leader)

    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as replica,
    ):
        response = client.get(f"/dashboard/?session={journey.session.pk}")
    assert response.status_code == 200
    read = _tables(replica.captured_queries)
    # The figures and the page's lists came from the replica …
    assert "suggestions_suggestion" in read
    assert "dashboard_sessionstatistics" in read
    assert not _writes(replica.captured_queries)
    # … the session and the user from the primary, and the first computation of
    # the snapshot (a write that reads) on the primary too.
    assert "django_session" not in read and "accounts_user" not in read
    assert "django_session" in _tables(primary.captured_queries)
    assert _writes(primary.captured_queries)

    # The API of the dashboard likewise (its snapshot now exists).
    with CaptureQueriesContext(connections[REPLICA]) as replica:
        response = client.get(f"/api/v1/dashboard/?session={journey.session.pk}")
    assert response.status_code == 200
    assert response.json()["suggestions"] == 1
    assert "dashboard_sessionstatistics" in _tables(replica.captured_queries)

    # A change (staff seal a past session) reads and writes the primary only.
    past = SessionFactory(congress=journey.session.congress)
    staff = Client()
    staff.force_login(journey.staff)
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as replica,
    ):
        response = staff.post(f"/dashboard/sessions/{past.pk}/seal/", {"confirm": "on"})
    assert response.status_code == 302
    assert replica.captured_queries == []
    assert any("congress_session" in sql for sql in _writes(primary.captured_queries))
    past.refresh_from_db()
    assert past.sealed_at is not None


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_exports_and_public_pages_read_from_the_replica(routed, journey):
    suggestion = journey.to(Status.REPLIED)
    services.suggestion_publish(
        suggestion_id=suggestion.pk, actor=journey.staff, is_public=True
    )
    session = journey.session.pk
    body = journey.session.congress.body_id
    staff = Client()
    staff.force_login(journey.staff)
    for client, path in (
        (staff, f"/suggestions/export.xlsx?session={session}"),
        (staff, f"/dashboard/export.xlsx?session={session}"),
        (staff, f"/dashboard/units.xlsx?session={session}"),
        (staff, f"/dashboard/review.docx?session={session}"),
        (staff, f"/api/v1/suggestions/export.xlsx?session={session}"),
        (staff, f"/api/v1/dashboard/export.xlsx?session={session}"),
        (staff, f"/api/v1/dashboard/review.docx?session={session}"),
        (Client(), f"/public/bodies/{body}/?session={session}"),
        (Client(), f"/public/bodies/{body}/{suggestion.pk}/"),
    ):
        with CaptureQueriesContext(connections[REPLICA]) as replica:
            response = client.get(path)
        assert response.status_code == 200, path
        assert "suggestions_suggestion" in _tables(replica.captured_queries), path
        assert not _writes(replica.captured_queries), path
    # The public detail found the reply on the replica.
    assert 'data-testid="public-reply"' in response.content.decode()
    # The public's home (the bodies and their kept counts) reads there too.
    with CaptureQueriesContext(connections[REPLICA]) as replica:
        assert Client().get("/public/").status_code == 200
    assert "congress_congressbody" in _tables(replica.captured_queries)


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_a_snapshot_is_computed_from_the_primary_even_on_a_routed_page(routed, journey):
    """The snapshot's version and its figures come from the database the version
    is bumped in; a lagging replica's figures must never be stored as the newest."""
    journey.to(Status.ASSIGNED)
    with (
        reading_from_replica(),
        CaptureQueriesContext(connections[REPLICA]) as replica,
    ):
        snapshot = statistics.refresh(journey.session)
    assert replica.captured_queries == []
    assert snapshot.suggestions == 1


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_the_workflow_pages_read_from_the_primary(routed, journey):
    """Read-your-writes: the pages of the work never read the replica."""
    suggestion = journey.to(Status.ASSIGNED)
    staff = Client()
    staff.force_login(journey.staff)
    for path in (
        "/suggestions/",
        f"/suggestions/{suggestion.pk}/",
        "/workbench/",
    ):
        with CaptureQueriesContext(connections[REPLICA]) as replica:
            response = staff.get(path)
        assert response.status_code == 200, path
        assert replica.captured_queries == [], path


# --- a replica that does not answer -----------------------------------------------------


@pytest.fixture
def replica_unreachable(monkeypatch):
    """The replica alias pointed where no database answers (a port nothing listens
    on, or a SQLite file in a folder that does not exist); the process has not
    given up on it yet."""
    replica = connections[REPLICA]
    monkeypatch.setattr(db, "_replica_down_until", 0.0)
    if replica.vendor == "postgresql":
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        monkeypatch.setitem(replica.settings_dict, "HOST", "127.0.0.1")
        monkeypatch.setitem(replica.settings_dict, "PORT", str(port))
    else:
        monkeypatch.setitem(
            replica.settings_dict, "NAME", "/nonexistent/dir/db.sqlite3"
        )
    replica.close()
    yield replica
    replica.close()


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_a_replica_that_does_not_answer_costs_no_page(
    routed, journey, replica_unreachable, monkeypatch, caplog
):
    """The dashboard and its API answer from the primary, the replica is left alone
    for a while (one warning), then tried again."""
    journey.to(Status.ASSIGNED)
    client = Client()
    client.force_login(LeaderFactory())
    page = f"/dashboard/?session={journey.session.pk}"

    with caplog.at_level("WARNING", logger="common.db"):
        assert client.get(page).status_code == 200
        response = client.get(f"/api/v1/dashboard/?session={journey.session.pk}")
    assert response.status_code == 200
    assert response.json()["suggestions"] == 1
    (warning,) = [r for r in caplog.records if r.name == "common.db"]
    assert warning.getMessage().startswith("The read replica does not answer")
    with reading_from_replica():
        assert decide() == "default"

    # Once the time is up the replica is tried again: back, it serves the reads.
    monkeypatch.undo()
    replica_unreachable.close()
    monkeypatch.setattr(db, "_replica_down_until", 0.0)
    with CaptureQueriesContext(connections[REPLICA]) as replica:
        assert client.get(page).status_code == 200
    assert "suggestions_suggestion" in _tables(replica.captured_queries)


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_an_error_of_a_replica_that_answers_is_not_hidden(routed, monkeypatch):
    """Only a replica that does not answer sends the view to the primary: any other
    database error is the view's own."""
    monkeypatch.setattr(db, "_replica_down_until", 0.0)
    calls = []

    @replica_reads
    def view():
        calls.append(decide())
        raise DatabaseError("a query the database refused")

    with pytest.raises(DatabaseError, match="refused"):
        view()
    assert calls == [REPLICA]

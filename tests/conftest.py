"""Fixtures shared by the whole suite.

The whole session gets fast password hashing, and every test a throw-away
``MEDIA_ROOT`` of its own. The domain fixtures (``now``, ``journey``, ``staff`` …)
are opt-in: ``now`` freezes the services' clock (``suggestions.clock``) at ``NOW``, a
Tuesday in March 2026, so that deadlines in assertions are fixed dates.
"""

import contextlib
import copy
import datetime as dt
import io
import itertools
import zoneinfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.forms.models import model_to_dict
from django.test import override_settings
from django.utils import timezone, translation

from common import clock
from suggestions.models import (
    AdjustmentRequest,
    Assignment,
    ContactRecord,
    CoSignature,
    Evaluation,
    Event,
    Promise,
    Reply,
    Suggestion,
)

from .factories import (
    HandlingUnitFactory,
    Journey,
    LeaderFactory,
    StaffFactory,
    UnitMemberFactory,
    deputy_user,
)

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0):
    """An aware datetime in Beijing time."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


NOW = at(2026, 3, 10)

# The day the demo is loaded as of (its dates are relative to it): today.
DEMO_TODAY = timezone.localdate()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """A ``replica`` alias mirroring the test database, as ``DATABASE_REPLICA_URL``
    adds in production. Nothing reads from it unless a test turns the router on
    (``DATABASE_ROUTERS``, common/db.py), and only tests that name it in their
    ``databases`` may touch it."""
    from django.conf import settings

    if "replica" not in settings.DATABASES:
        primary = settings.DATABASES["default"]
        settings.DATABASES["replica"] = {
            **copy.deepcopy(primary),
            "TEST": {**primary.get("TEST", {}), "MIRROR": "default"},
        }


@pytest.fixture(autouse=True, scope="session")
def _fast_hashing(tmp_path_factory):
    """Fast password hashing for the whole session (a per-test ``settings`` change
    costs more than most tests); yields the parent of the tests' media roots."""
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    ):
        yield tmp_path_factory.mktemp("media")


_media_roots = itertools.count()


@pytest.fixture(autouse=True)
def _media_root(_fast_hashing):
    """Each test uploads into a ``MEDIA_ROOT`` of its own, created only when a file is
    stored, so a test can check that nothing was."""
    with override_settings(MEDIA_ROOT=str(_fast_hashing / str(next(_media_roots)))):
        yield


@pytest.fixture(autouse=True)
def _english():
    """Each test starts in English, whatever the test before it left active (a
    request through ``LocaleMiddleware`` leaves its language on the thread), so
    that assertions on messages do not depend on the order tests run in. Pages
    still follow the request's language; the Chinese tests ask for it."""
    with translation.override("en"):
        yield


@pytest.fixture
def now():
    """The services' clock stopped at ``NOW``; nest ``clock.frozen_at`` to move it."""
    with clock.frozen_at(NOW):
        yield NOW


@pytest.fixture
def journey(db, now):
    """A cast (staff, lead deputy, invited co-signer, lead unit and its clerk) and no
    suggestion yet: call ``journey.to(status)`` or the steps one by one."""
    return Journey()


@pytest.fixture
def journey_with_co_unit(db, now):
    """Like ``journey``, and assignment also goes to ``journey.co_unit``."""
    return Journey(co_unit=True)


@pytest.fixture
def staff(db):
    return StaffFactory()


@pytest.fixture
def leader(db):
    return LeaderFactory()


@pytest.fixture
def other_deputy(db):
    """A deputy of the same congress with no part in the journey's suggestion."""
    return deputy_user()


@pytest.fixture
def other_clerk(db):
    """A clerk of a unit that has no assignment."""
    return UnitMemberFactory(unit=HandlingUnitFactory())


@pytest.fixture
def anonymous():
    return AnonymousUser()


_WATCHED = (
    Suggestion,
    CoSignature,
    Assignment,
    AdjustmentRequest,
    ContactRecord,
    Reply,
    Promise,
    Evaluation,
    Event,
)


def _snapshot(instances):
    # One query for all the counts: the guard wraps most refusal tests. The table
    # names come from the models' metadata, never from input.
    tables = [connection.ops.quote_name(m._meta.db_table) for m in _WATCHED]
    subqueries = [f"(SELECT COUNT(*) FROM {table})" for table in tables]  # noqa: S608
    counts_sql = "SELECT " + ", ".join(subqueries)
    with connection.cursor() as cursor:
        cursor.execute(counts_sql)
        counts = dict(
            zip((m.__name__ for m in _WATCHED), cursor.fetchone(), strict=True)
        )
    rows = [
        model_to_dict(type(obj).objects.get(pk=obj.pk)) | {"_model": type(obj)}
        for obj in instances
    ]
    return counts, rows


@pytest.fixture
def unchanged(db):
    """``with unchanged(suggestion, assignment), pytest.raises(...)``: the block
    writes no row of the workflow's tables and changes none of the given rows."""

    @contextlib.contextmanager
    def watch(*instances):
        before = _snapshot(instances)
        yield
        assert _snapshot(instances) == before

    return watch


# --- the demo data ---------------------------------------------------------------------


@pytest.fixture(scope="session")
def _demo_loaded(django_db_setup, django_db_blocker):
    """The demo loaded once for the whole run (``load_demo`` as of today, a minute
    of work), in a transaction rolled back when the run ends: the tests that use it
    run after every other test (``pytest_collection_modifyitems``), so none of the
    others sees its rows. Each test still runs in a savepoint of its own."""
    from demo.loader import load_demo

    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        result = load_demo(today=DEMO_TODAY, stdout=out)
        yield result, out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture(scope="session")
def demo(_demo_loaded):
    """The demo's ``DemoResult`` (``.sessions``: "2022", "2023", "current";
    ``.counties``)."""
    return _demo_loaded[0]


@pytest.fixture(scope="session")
def demo_output(_demo_loaded):
    """What ``load_demo`` printed."""
    return _demo_loaded[1]


def pytest_collection_modifyitems(session, config, items):
    """The tests that read the demo last, in their order: the demo is loaded once
    for all of them and stays until the run ends (``_demo_loaded``)."""
    items.sort(key=lambda item: "_demo_loaded" in getattr(item, "fixturenames", ()))

"""The demo data for the dashboard's page, export and review tests: loaded once per
module (about 15 s in the test database), as of today, inside a transaction rolled
back when the module is done (see tests/suggestions/test_demo.py).

Import the fixture into a test module: ``from .demo import demo  # noqa: F401``.
"""

import io

import pytest
from django.db import transaction
from django.utils import timezone

from demo.loader import load_demo

TODAY = timezone.localdate()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo's ``DemoResult`` (``.sessions``: "2022", "2023", "current")."""
    with django_db_blocker.unblock(), transaction.atomic():
        result = load_demo(today=TODAY, stdout=io.StringIO())
        yield result
        transaction.set_rollback(True)

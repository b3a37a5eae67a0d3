"""The dashboard tests' small world: a congress with two sessions, deputies in two
delegations, a unit of each kind, three categories."""

import datetime as dt
import socket

import pytest

from accounts.models import User
from config.celery import app as celery_app
from congress.models import (
    Congress,
    Delegation,
    Deputy,
    HandlingUnit,
    Session,
)
from suggestions.models import Category

from ..factories import CongressBodyFactory


@pytest.fixture
def world(db):
    # The factories' shared body: ``StaffFactory()`` is staff of it.
    body = CongressBodyFactory()
    congress = Congress.objects.create(body=body, ordinal=16)
    earlier = Session.objects.create(
        congress=congress, ordinal=1, year=2022, opened_on=dt.date(2022, 1, 10)
    )
    session = Session.objects.create(
        congress=congress,
        ordinal=2,
        year=2023,
        opened_on=dt.date(2023, 1, 10),
        is_current=True,
    )
    delegations = [
        Delegation.objects.create(congress=congress, name=name)
        for name in ("昌吉市", "阜康市")
    ]
    deputies = [
        Deputy.objects.create(delegation=delegations[i % 2], name=f"代表{i}")
        for i in range(6)
    ]
    units = {
        kind: HandlingUnit.objects.create(body=body, name=f"单位-{kind}", kind=kind)
        for kind in ("government", "court", "standing_committee_body", "other")
    }
    categories = [
        Category.objects.create(body=body, name=n, position=i)
        for i, n in enumerate("甲乙丙")
    ]
    clerk = User.objects.create_user("clerk")
    return {
        "session": session,
        "earlier": earlier,
        "deputies": deputies,
        "units": units,
        "categories": categories,
        "clerk": clerk,
    }


@pytest.fixture
def broker_down():
    """This process's Celery app pointed at a Redis port nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    conf = celery_app.conf
    saved = conf.broker_url, conf.task_always_eager
    conf.broker_url = f"redis://127.0.0.1:{port}/0"
    conf.task_always_eager = False
    yield
    conf.broker_url, conf.task_always_eager = saved

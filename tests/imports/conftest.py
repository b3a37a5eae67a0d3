import pytest

from congress.models import UnitKind
from tests.factories import (
    CategoryFactory,
    CongressFactory,
    DelegationFactory,
    DeputyFactory,
    HandlingUnitFactory,
    StaffFactory,
)


@pytest.fixture
def world(db):
    """A body with its 16th term: three deputies, three units, two categories, and
    its staff member."""
    congress = CongressFactory()
    body = congress.body
    delegation = DelegationFactory(congress=congress, name="昌吉市代表团")
    for name in ("张伟", "李娜", "王芳"):
        DeputyFactory(delegation=delegation, name=name)
    for name in ("州交通运输局", "州财政局", "州教育局"):
        HandlingUnitFactory(body=body, name=name, kind=UnitKind.GOVERNMENT)
    CategoryFactory(body=body, name="工交财贸")
    CategoryFactory(body=body, name="科教文卫")

    class World:
        pass

    w = World()
    w.body = body
    w.congress = congress
    w.staff = StaffFactory(body=body)
    return w

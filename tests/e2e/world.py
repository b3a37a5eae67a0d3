"""A small world for the browser tests that walk each role's main pages (the
accessibility check, the phone-width check): the cast of conftest.py, a leader, and a
suggestion in each state the pages need. The pages themselves are listed once, in
demo/tour.py, which the screenshots walk over the demo data.

    def test_x(stage, world):
        person = world.visit(stage, "deputy", locale="zh-CN")
        for name, path in world.main_pages("deputy"):
            person.goto(path)
"""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from accounts.models import User
from demo import tour
from suggestions.models import Assignment, Suggestion

from ..factories import LeaderFactory, SuggestionFactory
from .conftest import Cast

# Chinese, as the demo's people read the site.
CHINESE = {"locale": "zh-CN"}


@dataclass
class World:
    cast: Cast
    leader: User
    submitted: Suggestion
    assigned: Suggestion
    assignment: Assignment
    replied: Suggestion
    published: Suggestion

    def user(self, role: str) -> User | None:
        return {
            "staff": self.cast.staff,
            "leader": self.leader,
            "unit": self.cast.lead_clerk,
            "deputy": self.cast.deputy,
            "public": None,
        }[role]

    @property
    def examples(self) -> dict[str, int | tuple[int, ...]]:
        return tour.public_examples(
            {
                "submitted": self.submitted.pk,
                "assigned": self.assigned.pk,
                "assignment": self.assignment.pk,
                "replied": self.replied.pk,
            },
            published=self.published,
        )

    def main_pages(self, role: str) -> list[tuple[str, str]]:
        """``(name, path)`` of the role's main pages in this world."""
        return tour.main_pages(role, self.examples)

    def visit(self, stage, role: str, **options):
        """A person of ``role`` in the browser (signed in unless public), Chinese
        unless ``locale`` says otherwise."""
        options = {**CHINESE, **options}
        user = self.user(role)
        if user is None:
            return stage.person(role, **options)
        return stage.signed_in(role, user, **options)


ROLES = tour.ROLES


@pytest.fixture(name="world")
def world_fixture(cast) -> World:
    now = timezone.now()

    def suggestion(**traits) -> Suggestion:
        traits.setdefault("lead_deputy", cast.deputy.deputy_profile)
        return SuggestionFactory(session=cast.session, category=cast.category, **traits)

    submitted = suggestion(
        submitted=True,
        base_time=now - dt.timedelta(days=2),
        title="关于加强农村饮水安全保障的建议",
        co_signers=[cast.cosigner.deputy_profile],
    )
    assigned = suggestion(
        assigned=True,
        key_supervised=True,
        lead_unit=cast.lead_unit,
        base_time=now - dt.timedelta(days=20),
        title="关于加快推进老旧小区改造和完善配套设施建设的建议",
    )
    replied = suggestion(
        replied=True,
        lead_unit=cast.lead_unit,
        base_time=now - dt.timedelta(days=33),
        title="关于优化城区公交线路的建议",
    )
    published = suggestion(
        closed=True,
        is_public=True,
        lead_unit=cast.co_unit,
        lead_deputy=cast.namesake.deputy_profile,
        base_time=now - dt.timedelta(days=60),
        title="关于提升基层医疗服务能力的建议",
    )
    # The factory's history gives each assignment a clerk of its own; the cast's
    # clerk is the one on stage.
    return World(
        cast=cast,
        leader=LeaderFactory(username="zhuren", name="李主任"),
        submitted=submitted,
        assigned=assigned,
        assignment=Assignment.objects.get(suggestion=assigned, role="lead"),
        replied=replied,
        published=published,
    )

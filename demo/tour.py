"""Each role's main pages, in one place: the screenshots (scripts/screenshots.py) walk
them over the demo data, and the browser tests (tests/e2e/world.py) over a small world
of their own. A page that shows one suggestion names the example it needs; whoever
walks the tour says which suggestion (or assignment) each example is in their data.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse

from accounts.models import User
from suggestions.models import (
    PUBLISHED,
    Assignment,
    AssignmentRole,
    Status,
    Suggestion,
)

# The roles on the tour, and the demo account that plays each (None: not signed in).
ROLES = ("staff", "leader", "unit", "deputy", "public")
# The same roles in a county's congress (昌吉市, demo.data.COUNTIES), over the demo
# data only (``scripts/screenshots.py --roles county_staff …``): the pages that need
# no example, as the county's people see them (their body's rows only).
COUNTY_ROLES = ("county_staff", "county_leader", "county_unit", "county_deputy")
DEMO_ROLES = ROLES + COUNTY_ROLES
DEMO_USERNAMES = {
    "staff": "staff",
    "leader": "leader",
    "unit": "unit",
    "deputy": "deputy",
    "public": None,
    **{role: role for role in COUNTY_ROLES},
}


@dataclass(frozen=True)
class Page:
    name: str  # short, for file names: "staff-detail-390.png"
    url_name: str
    # The example whose primary key (or keys) fill the URL: see EXAMPLES.
    example: str | None = None
    query: str = ""

    def url(self, examples: Mapping[str, int | tuple[int, ...]]) -> str:
        value = examples[self.example] if self.example else ()
        args = list(value) if isinstance(value, tuple) else [value]
        return reverse(self.url_name, args=args) + (
            f"?{self.query}" if self.query else ""
        )


# What a page with an example shows.
EXAMPLES = {
    "submitted": "a suggestion waiting for review (a staff detail with actions)",
    "assigned": "a suggestion being handled by the unit clerk's unit",
    "assignment": "the unit clerk's open lead assignment (its reply form)",
    "replied": "the deputy's own suggestion, replied and not yet rated",
    "published": "a suggestion whose reply is published (its body's id, its own)",
    "public-body": "the congress body of that suggestion",
}

PAGES: dict[str, tuple[Page, ...]] = {
    "staff": (
        Page("workbench", "suggestions:workbench"),
        Page("review-queue", "suggestions:review-queue"),
        Page("list", "suggestions:list"),
        Page("requests", "suggestions:requests"),
        Page("overdue", "suggestions:overdue"),
        Page("evaluation-meetings", "suggestions:evaluation-meetings"),
        Page("detail-submitted", "suggestions:detail", "submitted"),
        Page("detail", "suggestions:detail", "assigned"),
        Page("dashboard", "dashboard:index"),
        Page("units", "dashboard:units"),
        Page("annual-review", "dashboard:review"),
        Page("repeats", "dashboard:repeats"),
    ),
    "leader": (
        Page("workbench", "suggestions:workbench"),
        Page("list", "suggestions:list"),
        Page("key", "suggestions:key-supervised"),
        Page("detail", "suggestions:detail", "assigned"),
        Page("dashboard", "dashboard:index"),
        Page("units", "dashboard:units"),
    ),
    "unit": (
        Page("workbench", "suggestions:workbench"),
        Page("assignments", "suggestions:unit-assignments"),
        Page("assignment", "suggestions:assignment-detail", "assignment"),
        Page("detail", "suggestions:detail", "assigned"),
    ),
    "deputy": (
        Page("workbench", "suggestions:workbench"),
        Page("mine", "suggestions:my-suggestions"),
        Page("new", "suggestions:create"),
        Page("detail", "suggestions:detail", "replied"),
        Page("evaluate", "suggestions:evaluate", "replied"),
        Page("profile", "accounts:profile"),
    ),
    "public": (
        Page("public-home", "suggestions:public-home"),
        Page("public-list", "suggestions:public-list", "public-body"),
        Page("public-detail", "suggestions:public-detail", "published"),
        Page("login", "accounts:login"),
    ),
}


PAGES.update(
    {
        f"county_{role}": tuple(page for page in PAGES[role] if page.example is None)
        for role in ("staff", "leader", "unit", "deputy")
    }
)


def main_pages(
    role: str, examples: Mapping[str, int | tuple[int, ...]]
) -> list[tuple[str, str]]:
    """``(name, path)`` of ``role``'s main pages, the examples filled in."""
    return [(page.name, page.url(examples)) for page in PAGES[role]]


def demo_examples() -> dict[str, int | tuple[int, ...]]:
    """The examples in the demo data (load_demo), as the demo accounts see them."""
    clerk = User.objects.get(username=DEMO_USERNAMES["unit"])
    deputy = User.objects.get(username=DEMO_USERNAMES["deputy"])
    assignment = (
        Assignment.objects.live()
        .filter(unit_id=clerk.unit_id, role=AssignmentRole.LEAD)
        .order_by("-suggestion__assigned_at")
        .first()
    )
    mine = Q(lead_deputy__user=deputy)
    replied = (
        Suggestion.objects.filter(mine, status=Status.REPLIED).first()
        or Suggestion.objects.filter(mine, status=Status.CLOSED).first()
        or Suggestion.objects.filter(mine).first()
    )
    # The prefecture's, which the tour's staff may open (a county's is not theirs).
    staff = User.objects.get(username=DEMO_USERNAMES["staff"])
    submitted = (
        Suggestion.objects.visible_to(staff).filter(status=Status.SUBMITTED).first()
    )
    published = Suggestion.objects.filter(PUBLISHED).order_by("-pk").first()
    found = {
        "submitted": submitted,
        "assigned": assignment.suggestion if assignment else None,
        "assignment": assignment,
        "replied": replied,
        "published": published,
    }
    missing = [name for name, obj in found.items() if obj is None]
    if missing:
        raise LookupError(f"the demo data has no example for: {', '.join(missing)}")
    return public_examples(
        {name: obj.pk for name, obj in found.items()}, published=published
    )


def public_examples(
    examples: dict[str, int], *, published: Suggestion
) -> dict[str, int | tuple[int, ...]]:
    """``examples`` with the public pages' ones, which are under the published
    suggestion's congress body."""
    body = Suggestion.objects.filter(pk=published.pk).values_list(
        "session__congress__body", flat=True
    )[0]
    return {**examples, "published": (body, published.pk), "public-body": body}

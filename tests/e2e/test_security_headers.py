"""The Content-Security-Policy holds in the browser: every role's main pages, the
admin and the API docs load with no policy violation (and no console error)."""

import datetime as dt

import pytest
from django.utils import timezone

from suggestions.models import Assignment

from ..factories import LeaderFactory, StaffFactory, SuggestionFactory
from .conftest import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Collects the page's policy violations where the test can read them; Playwright's
# init scripts run outside the page's policy.
COLLECT = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") +
                    " " + e.sourceFile + ":" + e.lineNumber);
});
"""


def _visit(person, paths):
    person.context.add_init_script(COLLECT)
    violations = {}
    for path in paths:
        person.goto(path)
        person.page.wait_for_load_state("networkidle")
        found = person.page.evaluate("window.__csp")
        if found:
            violations[path] = found
    return violations


def test_no_page_violates_the_policy(stage, cast):
    suggestion = SuggestionFactory(
        session=cast.session,
        lead_deputy=cast.deputy.deputy_profile,
        lead_unit=cast.lead_unit,
        category=cast.category,
        base_time=timezone.now() - dt.timedelta(days=40),
        assigned=True,
    )
    assignment = Assignment.objects.get(suggestion=suggestion)
    detail = suggestion.get_absolute_url()
    admin = StaffFactory(username="root", is_staff=True, is_superuser=True)

    pages = {
        "anonymous": (
            stage.person("anonymous"),
            ["/accounts/login/", "/public/", "/api/v1/docs/"],
        ),
        "deputy": (
            stage.signed_in("deputy", cast.deputy),
            [
                "/workbench/",
                "/suggestions/mine/",
                "/suggestions/new/",
                detail,
                "/accounts/profile/",
                "/accounts/password/",
                "/notifications/",
            ],
        ),
        "staff": (
            stage.signed_in("staff", cast.staff),
            [
                "/workbench/",
                "/suggestions/",
                "/suggestions/review/",
                "/suggestions/overdue/",
                "/requests/",
                detail,
                f"/suggestions/{suggestion.pk}/merge/",
                "/accounts/two-factor/",
                "/audit/",
            ],
        ),
        "unit": (
            stage.signed_in("unit", cast.lead_clerk),
            ["/workbench/", "/assignments/", f"/assignments/{assignment.pk}/"],
        ),
        "leader": (
            stage.signed_in("leader", LeaderFactory()),
            ["/workbench/", "/suggestions/", "/suggestions/key/", detail],
        ),
        "admin": (
            stage.signed_in("admin", admin),
            [
                "/admin/",
                "/admin/suggestions/suggestion/",
                f"/admin/suggestions/suggestion/{suggestion.pk}/change/",
                "/admin/accounts/user/add/",
                "/admin/audit/securityevent/",
            ],
        ),
    }
    violations = {}
    for role, (person, paths) in pages.items():
        found = _visit(person, paths)
        if found:
            violations[role] = found
    assert not violations
    stage.assert_clean()


def test_redoc_renders_offline(stage, cast):
    """Redoc renders the API from local files; its only blocked request is the
    "powered by" logo it links from its makers' CDN (no option turns it off)."""
    person = stage.person("reader")
    person.context.add_init_script(COLLECT)
    person.goto("/api/v1/redoc/")
    # Redoc parses the whole schema in the page before it draws anything: allow
    # for a machine busy with the other suite (CI runs two side by side).
    expect(person.page.locator("h1")).to_contain_text(
        "Deputies' suggestions API", timeout=60_000
    )
    found = person.page.evaluate("window.__csp")
    assert all(v.startswith("img-src https://cdn.redoc.ly/") for v in found), found
    problems = [p for p in person.problems if "cdn.redoc.ly" not in p]
    assert not problems, problems


def test_the_login_page_shows_the_lockout(stage, cast):
    person = stage.person("guesser")
    for attempt in range(5):
        person.goto("/accounts/login/")
        person.page.locator("[name=username]").fill(cast.deputy.username)
        person.page.locator("[name=password]").fill(f"wrong-{attempt}")
        if attempt == 4:
            person.expected_errors.add(stage.base_url + "/accounts/login/")
        with person.page.expect_navigation():
            person.action("login").click()
    expect(person.page.get_by_test_id("lockout-message")).to_contain_text(
        "Too many failed sign-in attempts"
    )
    stage.assert_clean()

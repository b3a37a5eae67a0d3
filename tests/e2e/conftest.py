"""End-to-end tests: Debian's headless Chromium driven by Playwright (sync API) against
pytest-django's live server.

Without ``/usr/bin/chromium`` the tests are skipped, unless ``REQUIRE_BROWSER=1`` is set
(CI sets it): then they fail, so that a missing browser cannot pass unnoticed.
``playwright install`` is never needed: Playwright drives the system's Chromium.

Each person on stage (a deputy, a clerk, the staff…) gets a browser context of their
own and keeps their session, as people sharing a suggestion do: ``stage.person`` logs
in through the login page, ``stage.signed_in`` brings a session cookie (quicker, for
tests about other pages). Every page they open is watched: console errors, uncaught
script errors, failed requests, error responses and any request to a host other than
the live server (the app must work on an isolated intranet) are collected, and
``Stage.assert_clean`` fails the test if there are any.

Notifications land in the in-app inbox as in production; handing them to Celery for
e-mail and SMS is left out (``stage`` stubs ``schedule_delivery``), so that no test
message reaches a broker or a worker outside the test.
"""

import datetime as dt
import os
import re
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from accounts.models import User
from common import clock
from congress.models import HandlingUnit, Session
from suggestions.models import Category

from ..factories import (
    PASSWORD,
    CategoryFactory,
    CongressFactory,
    DelegationFactory,
    DeputyFactory,
    HandlingRulesFactory,
    HandlingUnitFactory,
    SessionFactory,
    StaffFactory,
    UnitMemberFactory,
    UserFactory,
)

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # the dev extra is not installed: the browser fixture says so
    expect = sync_playwright = None

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
# Playwright's waits, in milliseconds: generous for a loaded CI machine, never slept.
ACTION_TIMEOUT = 15_000
EXPECT_TIMEOUT = 10_000

if expect is not None:
    expect.set_options(timeout=EXPECT_TIMEOUT)


def _png() -> bytes:
    """A valid 1×1 white PNG, small enough to upload as a reply letter."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


PNG = _png()


# --- the browser ----------------------------------------------------------------------


def _no_browser(reason: str):
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (REQUIRE_BROWSER=1)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="package")
def browser():
    """Headless Chromium for the e2e package, closed when its tests are done."""
    if sync_playwright is None:
        _no_browser("Playwright for Python is missing: pip install -e '.[dev]'")
    if not CHROMIUM.exists():
        _no_browser(f"{CHROMIUM} is missing: apt-get install chromium")
    # Playwright's sync API runs an event loop in the test thread; the ORM calls made
    # there (test data) must not be refused as async-unsafe.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            try:
                chromium = playwright.chromium.launch(
                    executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
                )
            except Exception as error:  # a browser that does not start is missing
                _no_browser(f"{CHROMIUM} does not start: {error}")
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# --- people in the browser ------------------------------------------------------------


class Person:
    """One person's browser context and page, watched for errors."""

    def __init__(self, stage: "Stage", label: str, **context_options):
        self.stage = stage
        self.label = label
        context_options.setdefault("locale", "en-US")
        context_options.setdefault("timezone_id", "Asia/Shanghai")
        self.context = stage.browser.new_context(
            base_url=stage.base_url, **context_options
        )
        self.context.set_default_timeout(ACTION_TIMEOUT)
        self.context.set_default_navigation_timeout(ACTION_TIMEOUT)
        self.problems: list[str] = []
        # Full URLs whose error status the test asked for (a 404 it checks, say).
        self.expected_errors: set[str] = set()
        self.page = self.context.new_page()
        self.page.on("request", self._on_request)
        self.page.on("console", self._on_console)
        self.page.on("pageerror", self._on_page_error)
        self.page.on("requestfailed", self._on_request_failed)
        self.page.on("requestfinished", self._on_request_finished)
        # Page loads begun in the main frame, and the count at which each script's
        # request was sent: a load begun after it aborts it (the browser's rule).
        self.navigations = 0
        self.sent_at: dict = {}
        self.page.on("response", self._on_response)

    # Watchers.

    def _problem(self, text: str) -> None:
        self.problems.append(f"{self.label}: {text}")

    def _on_request(self, request) -> None:
        # No route intercepts them (routing would turn off the HTTP cache): the
        # machine has no network, so they fail, and are reported here.
        if self.stage.is_foreign(request.url):
            self._problem(f"request to another host: {request.url}")
        if request.is_navigation_request() and request.frame == self.page.main_frame:
            self.navigations += 1
        elif request.resource_type in ("fetch", "xhr"):
            self.sent_at[request] = self.navigations

    def _on_request_finished(self, request) -> None:
        self.sent_at.pop(request, None)

    def _on_console(self, message) -> None:
        if message.type != "error":
            return
        source = (message.location or {}).get("url", "")
        if source in self.expected_errors:
            return
        # Django's bare error page links no icon, so the browser asks for
        # /favicon.ico, which does not exist: expected on an error page only.
        if source.endswith("/favicon.ico") and self.page.url in self.expected_errors:
            return
        self._problem(f"console error on {self.page.url}: {message.text} ({source})")

    def _on_page_error(self, error) -> None:
        self._problem(f"script error on {self.page.url}: {error}")

    def _on_request_failed(self, request) -> None:
        if self.stage.is_foreign(request.url):
            return  # already reported by _on_request
        failure = request.failure or ""
        sent_at = self.sent_at.pop(request, None)
        # A script's request still on its way when the page goes (the drafting
        # panel's question as the form is submitted): the browser drops it.
        dropped = sent_at is not None and self.navigations > sent_at
        if failure == "net::ERR_ABORTED" and dropped:
            return
        # A download turns its navigation into a file: Chromium aborts the page load.
        if failure == "net::ERR_ABORTED" and request.url in self.stage.downloads:
            return
        # The browser drops its favicon fetch when the test navigates on first; the
        # icon's presence is checked by the response status (>= 400 fails the test).
        if failure == "net::ERR_ABORTED" and request.url.endswith("/favicon.svg"):
            return
        self._problem(f"request failed: {request.method} {request.url} ({failure})")

    def _on_response(self, response) -> None:
        if response.status < 400 or response.url in self.expected_errors:
            return
        self._problem(f"HTTP {response.status} for {response.url}")

    # Navigation and actions.

    @property
    def url_path(self) -> str:
        return urlsplit(self.page.url).path

    def goto(self, path: str, *, status: int = 200):
        """Open ``path`` and check the answer's status."""
        if status >= 400:
            self.expected_errors.add(self.stage.base_url + path)
        response = self.page.goto(path)
        assert response is not None, f"no response for {path}"
        assert response.status == status, (
            f"{self.label}: {path} answered {response.status}, expected {status}"
        )
        return response

    def log_in(self, username: str, password: str = PASSWORD) -> None:
        self.goto("/accounts/login/")
        self.page.locator("[name=username]").fill(username)
        self.page.locator("[name=password]").fill(password)
        self.submit(self.page.locator("[data-action=login]"))
        expect(self.page).to_have_url(re.compile(r"/workbench/$"))

    def submit(self, button, success: str | None = None) -> None:
        """Click a button or link that loads a new page (a POST answered by a redirect,
        usually); then the page must show no error message, and ``success`` if given.
        A button that asks first (``{% confirm %}``) is confirmed in its dialog."""
        asks = button.evaluate("b => b.hasAttribute('data-confirm')")
        with self.page.expect_navigation():
            button.click()
            if asks:
                self.confirm()
        # An error message, or errors next to the fields of a form sent back.
        errors = self.page.locator("[data-testid=message-error], .invalid-feedback")
        texts = errors.all_inner_texts()
        if texts:
            pytest.fail(f"{self.label}: {self.url_path} says: " + " | ".join(texts))
        if success is not None:
            expect(self.page.get_by_test_id("message-success")).to_contain_text(success)

    def confirm(self) -> None:
        """Answer the open confirmation dialog with its confirm button."""
        dialog = self.page.get_by_test_id("confirm-dialog")
        expect(dialog).to_be_visible()
        dialog.get_by_test_id("confirm-ok").click()

    def action(self, name: str):
        """The one element carrying ``data-action=name`` on the page."""
        return self.page.locator(f"[data-action={name}]")

    def form_of(self, name: str):
        """The form whose button carries ``data-action=name``."""
        return self.page.locator("form", has=self.action(name))

    # The workbench.

    def workbench(self, **counts: int) -> None:
        """Open the workbench and check the cards' numbers; keywords are the cards'
        test ids with ``_`` for ``-`` (``staff_to_review=1``)."""
        self.goto("/workbench/")
        self.expect_counts(**counts)

    def expect_counts(self, **counts: int) -> None:
        for key, value in counts.items():
            card = self.page.get_by_test_id(key.replace("_", "-"))
            expect(card.locator("[data-count]")).to_have_attribute(
                "data-count", str(value)
            )

    def open_card(self, key: str) -> None:
        """Follow a workbench card to the list it counts."""
        self.submit(self.page.get_by_test_id(key))

    def close(self) -> None:
        self.context.close()


class Stage:
    """The browser, the live server, and the people on stage."""

    def __init__(self, browser, base_url: str):
        self.browser = browser
        self.base_url = base_url.rstrip("/")
        self.people: list[Person] = []
        self.downloads: set[str] = set()

    def is_foreign(self, url: str) -> bool:
        scheme = urlsplit(url).scheme
        if scheme in ("data", "blob", "about"):
            return False
        return not (url == self.base_url or url.startswith(self.base_url + "/"))

    def person(self, label: str, username: str | None = None, **options) -> Person:
        """A new browser context, logged in through the login page as ``username``
        if given."""
        person = Person(self, label, **options)
        self.people.append(person)
        if username is not None:
            person.log_in(username)
        return person

    def signed_in(self, label: str, user: User, **options) -> Person:
        """A new browser context with ``user``'s session cookie, on the workbench:
        quicker than the login page for tests about other pages."""
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        person = Person(self, label, **options)
        self.people.append(person)
        person.context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": self.base_url}]
        )
        person.goto("/workbench/")
        return person

    def assert_clean(self) -> None:
        problems = [p for person in self.people for p in person.problems]
        assert not problems, "\n".join(problems)

    def close(self) -> None:
        for person in self.people:
            person.close()


@pytest.fixture
def stage(browser, live_server, monkeypatch):
    """The people's browsers on the live server; no Celery task is queued."""
    monkeypatch.setattr("notifications.services.schedule_delivery", lambda: None)
    stage = Stage(browser, live_server.url)
    yield stage
    stage.close()


class ServerClock:
    """The services' clock (``suggestions.clock``) as the live server's threads read
    it: real time plus an offset that the test moves forward, so that time passes
    between steps as it does between a suggestion's real milestones."""

    def __init__(self):
        self.offset = dt.timedelta(0)

    def now(self) -> dt.datetime:
        return timezone.now() + self.offset

    def advance(self, **delta) -> None:
        self.offset += dt.timedelta(**delta)


@pytest.fixture
def server_clock(monkeypatch):
    server = ServerClock()
    # clock.today() calls the module's now(): both follow.
    monkeypatch.setattr(clock, "now", server.now)
    return server


# --- the reference data ---------------------------------------------------------------


@dataclass
class Cast:
    """The people and reference data of a prefecture congress's current session."""

    session: Session
    deputy: User  # 王建国, the lead deputy
    cosigner: User  # 李秀英, invited to co-sign
    namesake: User  # 李明, another 李 for the picker to filter out
    staff: User
    lead_unit: HandlingUnit
    co_unit: HandlingUnit
    other_unit: HandlingUnit
    lead_clerk: User
    co_clerk: User
    other_clerk: User
    category: Category


def _deputy(username: str, name: str, delegation) -> User:
    user = UserFactory(username=username, name=name)
    DeputyFactory(user=user, name=name, delegation=delegation)
    return user


@pytest.fixture
def cast(transactional_db) -> Cast:
    congress = CongressFactory()
    HandlingRulesFactory(congress=congress)
    year = timezone.localdate().year
    SessionFactory(congress=congress, ordinal=1, year=year - 1)
    session = SessionFactory(congress=congress, ordinal=2, year=year, is_current=True)
    changji = DelegationFactory(congress=congress, name="昌吉市代表团")
    fukang = DelegationFactory(congress=congress, name="阜康市代表团")
    units = {
        name: HandlingUnitFactory(name=name)
        for name in ("州发展和改革委员会", "州财政局", "州教育局")
    }
    CategoryFactory(name="教育科技", position=2)
    return Cast(
        session=session,
        deputy=_deputy("wangjianguo", "王建国", changji),
        cosigner=_deputy("lixiuying", "李秀英", fukang),
        namesake=_deputy("liming", "李明", changji),
        staff=StaffFactory(username="office", name="人大常委会办公室"),
        lead_unit=units["州发展和改革委员会"],
        co_unit=units["州财政局"],
        other_unit=units["州教育局"],
        lead_clerk=UnitMemberFactory(
            username="fgw", name="发改委经办人", unit=units["州发展和改革委员会"]
        ),
        co_clerk=UnitMemberFactory(
            username="czj", name="财政局经办人", unit=units["州财政局"]
        ),
        other_clerk=UnitMemberFactory(
            username="jyj", name="教育局经办人", unit=units["州教育局"]
        ),
        category=CategoryFactory(name="城乡建设", position=1),
    )

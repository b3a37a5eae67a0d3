"""The congress staff's pages: filing, rejecting, merging and assigning suggestions,
key supervision and publication from the detail panel, the merge search, the queue of
the units' requests with approve and deny, and the staff lists with their filters.

Wiring, permissions and status codes only; the rules themselves are tested at the
service level. Pages are fetched in English so that the assertions read the source
strings whatever translations exist.
"""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from congress.models import UnitKind
from suggestions import services
from suggestions.models import (
    AdjustmentKind,
    AdjustmentRequest,
    Assignment,
    AssignmentRole,
    Complexity,
    Decision,
    Disposition,
    Status,
    Suggestion,
)
from tests.forms import FormClient

from ..factories import (
    AdjustmentRequestFactory,
    AssignmentFactory,
    CategoryFactory,
    CongressFactory,
    DelegationFactory,
    DeputyFactory,
    HandlingUnitFactory,
    LeaderFactory,
    SessionFactory,
    StaffFactory,
    SuggestionFactory,
)

pytestmark = pytest.mark.django_db

# The journey's clock (tests/conftest.py NOW): assigned on 10 March 2026, a normal
# reply is due three months later and no deadline may pass six months after that.
ASSIGNED_ON = dt.date(2026, 3, 10)
DUE = dt.date(2026, 6, 10)
COMPLEX_DUE = dt.date(2026, 9, 10)
LIMIT = dt.date(2026, 9, 10)


def client_for(user=None) -> FormClient:
    client = FormClient(headers={"accept-language": "en"})
    if user is not None:
        client.force_login(user)
    return client


def url(name: str, *args, query: str = "") -> str:
    return reverse(f"suggestions:{name}", args=args) + (f"?{query}" if query else "")


def messages_of(response) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def error_of(response, field: str) -> str:
    """The error shown next to ``field`` (form_fields.html renders it with this id)."""
    html = response.content.decode()
    marker = f'id="id_{field}_error">'
    assert marker in html, f"no error next to {field}"
    return html.split(marker, 1)[1].split("</div>", 1)[0]


# --- the cast -------------------------------------------------------------------------


@pytest.fixture
def submitted(journey):
    """The journey's suggestion, submitted and waiting for review."""
    return journey.to(Status.SUBMITTED)


@pytest.fixture
def registered(journey):
    return journey.to(Status.REGISTERED)


@pytest.fixture
def assigned(journey):
    """Assigned at NOW to ``journey.unit`` (due 10 June 2026)."""
    return journey.to(Status.ASSIGNED)


@pytest.fixture
def replied(journey):
    return journey.to(Status.REPLIED)


@pytest.fixture
def extension(journey, assigned):
    """The lead unit asks for an extension to 10 August 2026."""
    return services.assignment_request_extension(
        assignment_id=journey.lead_assignment().pk,
        actor=journey.clerk,
        reason="需要跨部门协调，时间较长。",
        until=dt.date(2026, 8, 10),
    )


@pytest.fixture
def reassignment(journey, assigned):
    """The lead unit asks to hand the suggestion to another unit."""
    return services.assignment_request_reassignment(
        assignment_id=journey.lead_assignment().pk,
        actor=journey.clerk,
        reason="该事项不属于本单位职责范围。",
    )


@pytest.fixture
def staff_client(journey):
    return client_for(journey.staff)


# --- who may come in ----------------------------------------------------------------


@pytest.fixture
def world(journey):
    """One object of each kind the staff pages act on, all visible to the journey's
    deputy and unit: a submitted, a registered and an assigned suggestion (the
    journey's, with a pending extension request)."""
    session = journey.session
    deputy = journey.deputy.deputy_profile
    submitted = SuggestionFactory(submitted=True, session=session, lead_deputy=deputy)
    registered = SuggestionFactory(registered=True, session=session, lead_deputy=deputy)
    journey.to(Status.ASSIGNED)
    request = services.assignment_request_extension(
        assignment_id=journey.lead_assignment().pk,
        actor=journey.clerk,
        reason="需要更多时间。",
        until=dt.date(2026, 8, 10),
    )
    return {
        "submitted": submitted,
        "registered": registered,
        "assigned": journey.suggestion,
        "request": request,
        "session": session,
    }


def page_urls(w) -> dict[str, str]:
    return {
        "register": url("register", w["submitted"].pk),
        "reject": url("reject", w["submitted"].pk),
        "merge": url("merge", w["submitted"].pk),
        "assign": url("assign", w["registered"].pk),
        "mark-key": url("mark-key", w["assigned"].pk),
        "requests": url("requests"),
        "request-detail": url("request-detail", w["request"].pk),
        "suggestion-search": url(
            "suggestion-search", query=f"session={w['session'].pk}&q=1"
        ),
    }


def action_posts(w) -> dict[str, tuple[str, dict]]:
    unit = HandlingUnitFactory()
    return {
        "register": (
            url("register", w["submitted"].pk),
            {"category": CategoryFactory().pk},
        ),
        "reject": (url("reject", w["submitted"].pk), {"reason": "个人诉求"}),
        "merge": (url("merge", w["submitted"].pk), {"into": w["assigned"].pk}),
        "assign": (
            url("assign", w["registered"].pk),
            {"lead_unit": unit.pk, "complexity": "normal"},
        ),
        "mark-key": (url("mark-key", w["assigned"].pk), {"key_supervised": "true"}),
        "publish": (url("publish", w["assigned"].pk), {"is_public": "true"}),
        "approve": (url("approve", w["request"].pk), {}),
        "deny": (url("deny", w["request"].pk), {"reason": "不同意"}),
    }


PAGES = [
    "register",
    "reject",
    "merge",
    "assign",
    "mark-key",
    "requests",
    "request-detail",
    "suggestion-search",
]
ACTIONS = [
    "register",
    "reject",
    "merge",
    "assign",
    "mark-key",
    "publish",
    "approve",
    "deny",
]


@pytest.mark.parametrize("page", PAGES)
def test_staff_pages_answer(journey, world, page):
    """Each staff page answers 200 for congress staff."""
    response = client_for(journey.staff).get(page_urls(world)[page])
    assert response.status_code == 200


def other_roles(journey) -> dict:
    return {
        "deputy": journey.deputy,
        "unit": journey.clerk,
        "leader": LeaderFactory(),
    }


@pytest.mark.parametrize("role", ["deputy", "unit", "leader"])
@pytest.mark.parametrize("page", PAGES)
def test_other_roles_find_no_staff_page(journey, world, role, page):
    """A deputy, a unit clerk or a leader who may see the suggestion still gets 404
    for the staff pages, as for anything out of reach."""
    user = other_roles(journey)[role]
    response = client_for(user).get(page_urls(world)[page])
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["deputy", "unit", "leader"])
@pytest.mark.parametrize("action", ACTIONS)
def test_other_roles_cannot_act(journey, world, unchanged, role, action):
    """The staff actions answer 404 to every other role and change nothing."""
    user = other_roles(journey)[role]
    path, data = action_posts(world)[action]
    watched = (world["submitted"], world["registered"], world["assigned"])
    with unchanged(*watched, world["request"]):
        response = client_for(user).post(path, data)
    assert response.status_code == 404


@pytest.mark.parametrize("page", ["register", "requests", "suggestion-search"])
def test_the_anonymous_are_sent_to_log_in(world, page):
    """Without a login the staff pages send to the login page."""
    response = client_for().get(page_urls(world)[page])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_staff_do_not_see_drafts(journey):
    """A deputy's draft is out of staff's reach: its action pages answer 404."""
    draft = journey.create()
    client = client_for(journey.staff)
    assert client.get(url("register", draft.pk)).status_code == 404
    response = client.post(url("reject", draft.pk), {"reason": "x"})
    assert response.status_code == 404
    assert Suggestion.objects.get(pk=draft.pk).status == Status.DRAFT


def test_an_unknown_suggestion_is_404(staff_client):
    """No such suggestion, however large the id: 404, never a server error."""
    assert staff_client.get(url("register", 10**30)).status_code == 404
    assert (
        staff_client.post(url("publish", 999999), {"is_public": "true"}).status_code
        == 404
    )
    assert staff_client.get(url("request-detail", 999999)).status_code == 404


# --- register -------------------------------------------------------------------------


class TestRegister:
    def test_the_page_shows_the_suggestion_and_the_categories(
        self, journey, submitted, staff_client
    ):
        """The page shows the summary and a category select; the button says
        register."""
        response = staff_client.get(url("register", submitted.pk))
        html = response.content.decode()
        assert submitted.title in html
        assert 'name="category"' in html
        assert journey.category.name in html
        assert 'data-action="register"' in html

    def test_filing_gives_the_number_and_says_it(
        self, journey, submitted, staff_client
    ):
        """Registering files the suggestion with the next number of the session and
        the message states that number."""
        SuggestionFactory(registered=True, session=journey.session, number=16)
        response = staff_client.post(
            url("register", submitted.pk), {"category": journey.category.pk}
        )
        assert response.status_code == 302
        assert response["Location"] == submitted.get_absolute_url()
        submitted.refresh_from_db()
        assert submitted.status == Status.REGISTERED
        assert submitted.number == 17
        assert submitted.category == journey.category
        assert messages_of(response) == [("success", "Filed as No. 17.")]

    def test_without_a_category_the_form_comes_back(
        self, submitted, staff_client, unchanged
    ):
        """No category: 400, the error next to the field, nothing written."""
        with unchanged(submitted):
            response = staff_client.post(url("register", submitted.pk), {})
        assert response.status_code == 400
        assert error_of(response, "category")

    def test_a_filed_suggestion_cannot_be_filed_again(
        self, journey, registered, staff_client, unchanged
    ):
        """Registering twice: a message saying why, back to the suggestion."""
        with unchanged(registered):
            response = staff_client.post(
                url("register", registered.pk), {"category": journey.category.pk}
            )
        assert response.status_code == 302
        assert response["Location"] == registered.get_absolute_url()
        [(level, text)] = messages_of(response)
        assert level == "error"
        assert "Cannot file this suggestion" in text

    def test_the_page_of_a_filed_suggestion_sends_back(self, registered, staff_client):
        """The register page is not offered once the state forbids it."""
        response = staff_client.get(url("register", registered.pk))
        assert response.status_code == 302
        assert messages_of(response)[0][0] == "error"


# --- reject ---------------------------------------------------------------------------


class TestReject:
    def test_the_page_shows_the_intake_guidance(self, submitted, staff_client):
        """The page reminds staff what is not a suggestion and offers the three
        dispositions."""
        html = staff_client.get(url("reject", submitted.pk)).content.decode()
        assert "personal affairs" in html
        assert "complaints" in html
        assert "pending" in html
        assert "outside the competence" in html
        assert "several unrelated matters" in html
        for value in Disposition.values:
            assert f'value="{value}"' in html

    def test_rejecting_records_reason_and_disposition(self, submitted, staff_client):
        """The suggestion is not accepted, with the reason and the disposition."""
        response = staff_client.post(
            url("reject", submitted.pk),
            {"reason": "属于个人诉求。", "disposition": Disposition.LETTER},
        )
        assert response.status_code == 302
        submitted.refresh_from_db()
        assert submitted.status == Status.REJECTED
        assert submitted.rejection_reason == "属于个人诉求。"
        assert submitted.disposition == Disposition.LETTER
        [(level, text)] = messages_of(response)
        assert level == "success"
        assert "Handled as a deputy's letter" in text

    @pytest.mark.parametrize(
        ("data", "field"),
        [
            ({"reason": "", "disposition": "returned"}, "reason"),
            ({"reason": "   ", "disposition": "returned"}, "reason"),
            ({"reason": "x", "disposition": "shredded"}, "disposition"),
        ],
    )
    def test_invalid_input_comes_back(
        self, submitted, staff_client, unchanged, data, field
    ):
        """A missing reason or an unknown disposition: 400, the error next to the
        field, nothing written."""
        with unchanged(submitted):
            response = staff_client.post(url("reject", submitted.pk), data)
        assert response.status_code == 400
        assert error_of(response, field)

    def test_a_filed_suggestion_cannot_be_rejected(
        self, registered, staff_client, unchanged
    ):
        """Rejecting after filing: a message, back to the suggestion."""
        with unchanged(registered):
            response = staff_client.post(
                url("reject", registered.pk), {"reason": "x", "disposition": "returned"}
            )
        assert response.status_code == 302
        assert messages_of(response)[0][0] == "error"


# --- merge and the search -------------------------------------------------------------


@pytest.fixture
def merge_targets(journey):
    """Suggestions of the journey's session: two that can take others in, a closed
    one that cannot; and one of another session."""
    session = journey.session
    return {
        "road": SuggestionFactory(
            assigned=True, session=session, number=7, title="关于修建乡村道路的建议"
        ),
        "school": SuggestionFactory(
            registered=True, session=session, number=8, title="关于新建学校的建议"
        ),
        "closed": SuggestionFactory(
            closed=True, session=session, number=9, title="关于道路照明的建议"
        ),
        "elsewhere": SuggestionFactory(
            assigned=True, number=7, title="关于修建城市道路的建议"
        ),
    }


class TestMerge:
    def test_the_select_lists_the_candidates_of_the_session(
        self, submitted, merge_targets, staff_client
    ):
        """Without a search the select lists the suggestions that can take this one
        in: same session, still alive, not itself."""
        html = staff_client.get(url("merge", submitted.pk)).content.decode()
        select = html.split('name="into"', 1)[1].split("</select>", 1)[0]
        assert f'value="{merge_targets["road"].pk}"' in select
        assert f'value="{merge_targets["school"].pk}"' in select
        assert f'value="{merge_targets["closed"].pk}"' not in select
        assert f'value="{merge_targets["elsewhere"].pk}"' not in select
        assert f'value="{submitted.pk}"' not in select

    @pytest.mark.parametrize("q", ["7", "No. 7", "第7号", "乡村道路"])
    def test_the_search_narrows_the_select_without_javascript(
        self, submitted, merge_targets, staff_client, q
    ):
        """``?q=`` by number or title leaves only the matches in the select."""
        response = staff_client.get(url("merge", submitted.pk), {"q": q})
        select = response.content.decode().split('name="into"', 1)[1]
        select = select.split("</select>", 1)[0]
        assert f'value="{merge_targets["road"].pk}"' in select
        assert f'value="{merge_targets["school"].pk}"' not in select

    def test_the_page_loads_the_search_script(self, submitted, staff_client):
        """The live search is a static script, no inline code."""
        html = staff_client.get(url("merge", submitted.pk)).content.decode()
        assert "js/suggestion-search.js" in html
        assert 'data-search-url="/suggestions/search/"' in html
        assert "<script>" not in html

    def test_merging_joins_the_other_suggestion(
        self, submitted, merge_targets, staff_client
    ):
        """The suggestion is merged into the chosen one; the message names it."""
        target = merge_targets["road"]
        response = staff_client.post(url("merge", submitted.pk), {"into": target.pk})
        assert response.status_code == 302
        submitted.refresh_from_db()
        assert submitted.status == Status.MERGED
        assert submitted.merged_into == target
        assert messages_of(response) == [
            ("success", f"Merged into No. 7 “{target.title}”.")
        ]

    @pytest.mark.parametrize("target", ["closed", "elsewhere"])
    def test_a_target_that_cannot_take_it_in_is_refused(
        self, submitted, merge_targets, staff_client, unchanged, target
    ):
        """A closed suggestion or one of another session: 400, the error next to
        the field, nothing written."""
        with unchanged(submitted, merge_targets[target]):
            response = staff_client.post(
                url("merge", submitted.pk), {"into": merge_targets[target].pk}
            )
        assert response.status_code == 400
        assert error_of(response, "into")

    def test_a_chosen_target_stays_in_the_list_when_the_form_comes_back(
        self, submitted, merge_targets, staff_client
    ):
        """After an error the choice is still offered, whatever the search."""
        target = merge_targets["school"]
        response = staff_client.post(
            url("merge", submitted.pk) + "?q=乡村", {"into": f"{target.pk}x"}
        )
        assert response.status_code == 400
        response = staff_client.post(
            url("merge", submitted.pk) + "?q=乡村", {"into": str(target.pk)}
        )
        assert response.status_code == 302

    def test_the_page_names_those_that_go_along(
        self, submitted, merge_targets, staff_client
    ):
        """Merging a suggestion that others joined: the page lists them, since they
        go along to the new target; a suggestion no other joined shows no list."""
        school = merge_targets["school"]
        page = staff_client.get(url("merge", school.pk)).content.decode()
        assert 'data-testid="merge-joined"' not in page
        staff_client.post(url("merge", submitted.pk), {"into": school.pk})

        page = staff_client.get(url("merge", school.pk)).content.decode()
        joined = page.split('data-testid="merge-joined"', 1)[1].split("</div>", 1)[0]
        assert "One suggestion was merged into this one" in joined
        assert f'href="/suggestions/{submitted.pk}/"' in joined

        staff_client.post(url("merge", school.pk), {"into": merge_targets["road"].pk})
        submitted.refresh_from_db()
        assert submitted.merged_into == merge_targets["road"]

    def test_an_assigned_suggestion_cannot_be_merged(
        self, assigned, merge_targets, staff_client, unchanged
    ):
        """Merging once the units work on it: a message, back to the suggestion."""
        with unchanged(assigned):
            response = staff_client.post(
                url("merge", assigned.pk), {"into": merge_targets["road"].pk}
            )
        assert response.status_code == 302
        assert messages_of(response)[0][0] == "error"


class TestSearch:
    def get(self, client, **params):
        response = client.get(url("suggestion-search"), params)
        return response.status_code, response.json()

    def test_by_number_or_title_within_the_session(
        self, journey, merge_targets, staff_client
    ):
        """Matches by number or title, only from the session asked for, with id,
        number, title and status."""
        status, data = self.get(staff_client, session=journey.session.pk, q="7")
        assert status == 200
        road = merge_targets["road"]
        assert data["results"] == [
            {
                "id": road.pk,
                "number": 7,
                "title": road.title,
                "status": "assigned",
                "status_display": "Assigned",
                "label": f"No. 7 · {road.title} (Assigned)",
            }
        ]
        _, data = self.get(staff_client, session=journey.session.pk, q="道路")
        assert {r["id"] for r in data["results"]} == {
            merge_targets["road"].pk,
            merge_targets["closed"].pk,
        }

    def test_statuses_and_exclude_narrow_it(self, journey, merge_targets, staff_client):
        """``status`` (repeatable) and ``exclude`` leave out what cannot be a
        target."""
        _, data = self.get(
            staff_client,
            session=journey.session.pk,
            q="道路",
            status=["assigned", "registered"],
            exclude=merge_targets["school"].pk,
        )
        assert [r["id"] for r in data["results"]] == [merge_targets["road"].pk]

    def test_at_most_twenty(self, journey, staff_client):
        """However many match, the answer holds 20."""
        for n in range(25):
            SuggestionFactory(
                registered=True, session=journey.session, number=n + 1, title="同题"
            )
        _, data = self.get(staff_client, session=journey.session.pk, q="同题")
        assert len(data["results"]) == 20
        assert [r["number"] for r in data["results"]] == list(range(1, 21))

    @pytest.mark.parametrize("session", ["", "abc", "-1", "9" * 30])
    def test_a_bad_session_is_a_400(self, staff_client, session):
        """No usable session: 400 with a detail, never a server error."""
        status, data = self.get(staff_client, session=session, q="x")
        assert status == 400
        assert "detail" in data

    def test_drafts_are_not_found(self, journey, staff_client):
        """Staff never see a deputy's draft, not even through the search."""
        draft = journey.create()
        _, data = self.get(staff_client, session=journey.session.pk, q=draft.title)
        assert data["results"] == []


# --- assign ---------------------------------------------------------------------------


@pytest.fixture
def units():
    return {
        "education": HandlingUnitFactory(name="州教育局"),
        "transport": HandlingUnitFactory(name="州交通运输局"),
        "court": HandlingUnitFactory(name="州中级人民法院", kind=UnitKind.COURT),
        "closed_down": HandlingUnitFactory(name="已撤销单位", active=False),
    }


class TestAssign:
    def test_the_page_shows_active_units_by_kind_and_the_due_dates(
        self, registered, units, staff_client
    ):
        """Active units only, grouped by kind; the due date rule (3 months, 6 when
        complex) with the dates it gives today."""
        html = staff_client.get(url("assign", registered.pk)).content.decode()
        lead = html.split('name="lead_unit"', 1)[1].split("</select>", 1)[0]
        assert '<optgroup label="Government department">' in lead
        assert '<optgroup label="Court">' in lead
        assert lead.index("Government department") < lead.index("Court")
        assert f'value="{units["court"].pk}"' in lead
        assert f'value="{units["closed_down"].pk}"' not in lead
        assert "within 3 months of assignment" in html
        assert "within 6 months" in html
        assert "June 10, 2026" in html
        assert "Sept. 10, 2026" in html

    def test_only_leaders_can_be_chosen_to_supervise(
        self, journey, registered, staff_client, leader
    ):
        """The supervising leader select offers the leaders group only."""
        html = staff_client.get(url("assign", registered.pk)).content.decode()
        select = html.split('name="supervising_leader"', 1)[1].split("</select>")[0]
        assert f'value="{leader.pk}"' in select
        assert f'value="{journey.staff.pk}"' not in select

    def test_assigning_starts_the_clock(
        self, journey, registered, units, staff_client, leader
    ):
        """Lead unit, co-units, complexity and key supervision are saved; a complex
        matter is due in six months; the message names the unit and the date."""
        response = staff_client.post(
            url("assign", registered.pk),
            {
                "lead_unit": units["education"].pk,
                "co_units": [units["transport"].pk, units["court"].pk],
                "complexity": Complexity.COMPLEX,
                "key_supervised": "on",
                "supervising_leader": leader.pk,
            },
        )
        assert response.status_code == 302
        registered.refresh_from_db()
        assert registered.status == Status.ASSIGNED
        assert registered.lead_unit == units["education"]
        assert registered.due_at == COMPLEX_DUE
        assert registered.key_supervised
        assert registered.supervising_leader == leader
        roles = set(registered.assignments.values_list("unit__name", "role").order_by())
        assert roles == {
            ("州教育局", AssignmentRole.LEAD),
            ("州交通运输局", AssignmentRole.CO),
            ("州中级人民法院", AssignmentRole.CO),
        }
        assert messages_of(response) == [
            ("success", "Assigned to 州教育局; reply due Sept. 10, 2026.")
        ]

    def test_a_normal_matter_is_due_in_three_months(
        self, registered, units, staff_client
    ):
        response = staff_client.post(
            url("assign", registered.pk),
            {"lead_unit": units["education"].pk, "complexity": "normal"},
        )
        assert response.status_code == 302
        registered.refresh_from_db()
        assert registered.due_at == DUE
        assert not registered.key_supervised

    @pytest.mark.parametrize(
        ("case", "field"),
        [
            ("lead_also_co", "co_units"),
            ("inactive_lead", "lead_unit"),
            ("no_lead", "lead_unit"),
            ("bad_complexity", "complexity"),
            ("leader_not_key", "supervising_leader"),
            ("not_a_leader", "supervising_leader"),
        ],
    )
    def test_invalid_input_comes_back(
        self, registered, units, staff_client, unchanged, leader, case, field
    ):
        """Bad input (among others the lead unit also named a co-unit): 400, the
        error next to the field, nothing written."""
        data = {"lead_unit": units["education"].pk, "complexity": "normal"}
        data.update(
            {
                "lead_also_co": {"co_units": [units["education"].pk]},
                "inactive_lead": {"lead_unit": units["closed_down"].pk},
                "no_lead": {"lead_unit": ""},
                "bad_complexity": {"complexity": "trivial"},
                "leader_not_key": {"supervising_leader": leader.pk},
                "not_a_leader": {
                    "key_supervised": "on",
                    "supervising_leader": StaffFactory().pk,
                },
            }[case]
        )
        with unchanged(registered):
            response = staff_client.post(url("assign", registered.pk), data)
        assert response.status_code == 400
        assert error_of(response, field)

    def test_an_assigned_suggestion_cannot_be_assigned_again(
        self, assigned, units, staff_client, unchanged
    ):
        """Assigning twice: a message saying why, nothing written."""
        with unchanged(assigned):
            response = staff_client.post(
                url("assign", assigned.pk),
                {"lead_unit": units["education"].pk, "complexity": "normal"},
            )
        assert response.status_code == 302
        [(level, text)] = messages_of(response)
        assert level == "error"
        assert "Cannot assign" in text


# --- key supervision and publication from the panel ---------------------------------


class TestMarkKey:
    def test_the_panel_marks_it_in_one_click(self, assigned, staff_client):
        """The panel's button marks the suggestion for key supervision."""
        response = staff_client.post(
            url("mark-key", assigned.pk), {"key_supervised": "true"}
        )
        assert response.status_code == 302
        assert response["Location"] == assigned.get_absolute_url()
        assigned.refresh_from_db()
        assert assigned.key_supervised
        assert messages_of(response) == [("success", "Marked for key supervision.")]

    def test_the_page_names_the_leader(self, assigned, staff_client, leader):
        """The mark-key page sets the supervising leader too."""
        assert staff_client.get(url("mark-key", assigned.pk)).status_code == 200
        response = staff_client.post(
            url("mark-key", assigned.pk),
            {"key_supervised": "on", "supervising_leader": leader.pk},
        )
        assigned.refresh_from_db()
        assert assigned.supervising_leader == leader
        assert messages_of(response) == [
            ("success", f"Marked for key supervision by {leader}.")
        ]

    def test_removing_it(self, assigned, staff_client, leader):
        """Posting without the flag drops key supervision and the leader."""
        Suggestion.objects.filter(pk=assigned.pk).update(
            key_supervised=True, supervising_leader=leader
        )
        response = staff_client.post(url("mark-key", assigned.pk), {})
        assigned.refresh_from_db()
        assert not assigned.key_supervised
        assert assigned.supervising_leader is None
        assert messages_of(response) == [("success", "No longer key supervised.")]

    def test_not_before_filing(self, submitted, staff_client, unchanged):
        """A suggestion under review cannot be key supervised yet: a message."""
        with unchanged(submitted):
            response = staff_client.post(
                url("mark-key", submitted.pk), {"key_supervised": "true"}
            )
        assert response.status_code == 302
        assert messages_of(response)[0][0] == "error"


class TestPublish:
    def test_publishing_and_unpublishing_the_reply(self, replied, staff_client):
        """The panel's buttons make the reply public and take it back."""
        response = staff_client.post(url("publish", replied.pk), {"is_public": "true"})
        assert response.status_code == 302
        replied.refresh_from_db()
        assert replied.is_public
        assert messages_of(response) == [("success", "The reply is now public.")]
        response = staff_client.post(url("publish", replied.pk), {"is_public": "false"})
        replied.refresh_from_db()
        assert not replied.is_public
        # Messages not yet shown pile up: the last one is this action's.
        assert messages_of(response)[-1] == (
            "success",
            "The reply is no longer public.",
        )

    def test_not_before_a_reply(self, assigned, staff_client, unchanged):
        """Nothing to publish while the unit works on it: a message, no change."""
        with unchanged(assigned):
            response = staff_client.post(
                url("publish", assigned.pk), {"is_public": "true"}
            )
        assert response.status_code == 302
        assert response["Location"] == assigned.get_absolute_url()
        assert messages_of(response)[0][0] == "error"

    def test_a_garbage_value_is_a_message(self, replied, staff_client, unchanged):
        """An unknown value: a message next to nothing, back to the page."""
        with unchanged(replied):
            response = staff_client.post(url("publish", replied.pk), {"is_public": "x"})
        assert response.status_code == 302
        assert messages_of(response)[0][0] == "error"

    def test_there_is_no_publish_page(self, replied, staff_client):
        assert staff_client.get(url("publish", replied.pk)).status_code == 404


# --- the detail panel -----------------------------------------------------------------


def actions_on(html: str) -> set[str]:
    panel = html.split('data-testid="staff-panel"', 1)[1].split("</section>", 1)[0]
    return {part.split('"', 1)[0] for part in panel.split('data-action="')[1:]}


class TestPanel:
    @pytest.mark.parametrize(
        ("status", "expected"),
        [
            (Status.SUBMITTED, {"register", "reject", "merge"}),
            (Status.REGISTERED, {"merge", "assign", "mark-key"}),
            (Status.ASSIGNED, {"mark-key"}),
            (Status.REPLIED, {"mark-key", "publish"}),
            (Status.CLOSED, {"mark-key", "publish"}),
        ],
    )
    def test_the_actions_the_status_allows(
        self, journey, staff_client, status, expected
    ):
        """The staff card offers exactly the actions allowed in the status."""
        suggestion = journey.to(status)
        response = staff_client.get(suggestion.get_absolute_url())
        assert response.status_code == 200
        assert actions_on(response.content.decode()) == expected

    def test_links_to_the_pending_requests(self, journey, extension, staff_client):
        """A pending request of the suggestion is linked from the card."""
        html = staff_client.get(journey.suggestion.get_absolute_url()).content.decode()
        assert url("request-detail", extension.pk) in html
        assert url("requests", query=f"suggestion={journey.suggestion.pk}") in html

    def test_no_card_for_others(self, journey, assigned):
        """Only staff see the card."""
        html = client_for(journey.deputy).get(assigned.get_absolute_url())
        assert 'data-testid="staff-panel"' not in html.content.decode()


# --- the queue of requests ------------------------------------------------------------


def make_requests(n: int, *, congresses=2) -> list[AdjustmentRequest]:
    """``n`` requests of both kinds and every decision, over two congresses (terms
    of the shared body, whose staff the ``staff`` fixture is)."""
    decider = StaffFactory()
    rows = []
    for i in range(n):
        congress = CongressFactory(ordinal=16 + i % congresses)
        assignment = AssignmentFactory(
            suggestion__session=SessionFactory(congress=congress)
        )
        kind = AdjustmentKind.EXTENSION if i % 2 else AdjustmentKind.REASSIGNMENT
        decision = [Decision.PENDING, Decision.APPROVED, Decision.DENIED][i % 3]
        decided = decision != Decision.PENDING
        rows.append(
            AdjustmentRequestFactory(
                assignment=assignment,
                kind=kind,
                requested_until=assignment.due_at + relativedelta(months=1)
                if kind == AdjustmentKind.EXTENSION
                else None,
                decision=decision,
                decided_by=decider if decided else None,
                decided_at=timezone.now() if decided else None,
                new_unit=HandlingUnitFactory() if decided else None,
            )
        )
    return rows


def rows_of(response) -> list[AdjustmentRequest]:
    return list(response.context["page_obj"])


class TestRequestQueue:
    def test_pending_first_the_longest_waiting_on_top(self, staff):
        """Pending requests come first, the oldest on top; then the decided ones,
        the latest decision first."""
        pending, approved, denied, older = make_requests(4)
        now = timezone.now()
        for row, field, value in [
            (older, "requested_at", now - dt.timedelta(days=3)),
            (pending, "requested_at", now - dt.timedelta(days=1)),
            (approved, "decided_at", now - dt.timedelta(hours=1)),
            (denied, "decided_at", now - dt.timedelta(hours=2)),
        ]:
            AdjustmentRequest.objects.filter(pk=row.pk).update(**{field: value})
        response = client_for(staff).get(url("requests"))
        assert [r.pk for r in rows_of(response)] == [
            older.pk,
            pending.pk,
            approved.pk,
            denied.pk,
        ]

    def test_filter_by_kind_and_decision(self, staff):
        """``kind`` and ``decision`` narrow the queue."""
        rows = make_requests(6)
        client = client_for(staff)
        response = client.get(url("requests"), {"kind": "extension"})
        assert {r.pk for r in rows_of(response)} == {
            r.pk for r in rows if r.kind == "extension"
        }
        response = client.get(
            url("requests"), {"kind": "reassignment", "decision": "pending"}
        )
        assert {r.pk for r in rows_of(response)} == {
            r.pk for r in rows if r.kind == "reassignment" and r.decision == "pending"
        }

    def test_filter_by_suggestion(self, staff):
        rows = make_requests(3)
        suggestion_id = rows[1].assignment.suggestion_id
        response = client_for(staff).get(url("requests"), {"suggestion": suggestion_id})
        assert [r.pk for r in rows_of(response)] == [rows[1].pk]

    @pytest.mark.parametrize(
        "query",
        [
            "kind=nonsense",
            "decision=maybe&kind=extension",
            "suggestion=abc",
            f"suggestion={10**30}",
            "page=-4",
            "page=zz",
        ],
    )
    def test_garbage_filters_are_ignored(self, staff, query):
        """A filter value not understood is left out, never a server error."""
        make_requests(2)
        response = client_for(staff).get(f"{url('requests')}?{query}")
        assert response.status_code == 200

    def test_a_row_shows_what_staff_decide_on(self, journey, extension, staff_client):
        """An extension row shows the suggestion, unit, reason, date asked and the
        six-month limit from assignment."""
        html = staff_client.get(url("requests")).content.decode()
        assert journey.suggestion.title in html
        assert journey.unit.name in html
        assert "需要跨部门协调" in html
        assert "Aug. 10, 2026" in html
        limit = html.split('data-testid="extension-limit">', 1)[1].split("</div>")[0]
        assert "Sept. 10, 2026" in limit
        assert f'href="{url("request-detail", extension.pk)}"' in html

    def test_the_query_count_does_not_grow_with_the_rows(self, staff):
        """2 rows or 20, the same number of queries (rules of every congress in one
        query, the rows joined)."""
        client = client_for(staff)
        make_requests(2)
        client.get(url("requests"))  # warm the session and the content types
        with CaptureQueriesContext(connection) as two:
            assert client.get(url("requests")).status_code == 200
        make_requests(18)
        with CaptureQueriesContext(connection) as twenty:
            response = client.get(url("requests"))
        assert len(rows_of(response)) == 20
        assert len(twenty) == len(two), "\n".join(q["sql"][:160] for q in twenty)


# --- approve and deny -----------------------------------------------------------------


class TestApprove:
    def test_the_extension_form_proposes_the_date_asked(self, extension, staff_client):
        """The decision page shows the date asked and the limit, the date field
        filled with the date asked."""
        response = staff_client.get(url("request-detail", extension.pk))
        html = response.content.decode()
        assert 'name="extend_to" value="2026-08-10"' in html
        assert 'name="new_unit"' not in html
        assert "Sept. 10, 2026" in html
        assert 'data-action="approve"' in html
        assert 'data-action="deny"' in html

    def test_approving_an_extension_moves_the_deadline_to_the_date_asked(
        self, journey, extension, staff_client
    ):
        """Without a date the deadline moves to the date asked; back to the queue."""
        response = staff_client.post(url("approve", extension.pk), {})
        assert response.status_code == 302
        assert response["Location"] == url("requests")
        extension.refresh_from_db()
        assert extension.decision == Decision.APPROVED
        assert journey.lead_assignment().due_at == dt.date(2026, 8, 10)
        assert messages_of(response) == [
            ("success", "Approved: the deadline is now Aug. 10, 2026.")
        ]

    def test_approving_an_extension_to_another_date(
        self, journey, extension, staff_client
    ):
        staff_client.post(url("approve", extension.pk), {"extend_to": "2026-09-01"})
        assert journey.lead_assignment().due_at == dt.date(2026, 9, 1)
        assert journey.refresh().due_at == dt.date(2026, 9, 1)

    @pytest.mark.parametrize(
        "extend_to", ["2026-09-11", "2026-06-01", "2026-02-30", "soon"]
    )
    def test_a_date_out_of_bounds_comes_back(
        self, journey, extension, staff_client, unchanged, extend_to
    ):
        """Beyond six months from assignment, before the current due date, or not a
        date: 400, the error next to the field, nothing written."""
        with unchanged(journey.suggestion, journey.lead_assignment(), extension):
            response = staff_client.post(
                url("approve", extension.pk), {"extend_to": extend_to}
            )
        assert response.status_code == 400
        assert error_of(response, "extend_to")

    def test_the_limit_is_said_next_to_the_field(
        self, journey, extension, staff_client
    ):
        response = staff_client.post(
            url("approve", extension.pk), {"extend_to": "2026-09-11"}
        )
        assert "Sept. 10, 2026" in error_of(response, "extend_to")

    def test_approving_a_reassignment_hands_it_over(
        self, journey, reassignment, staff_client
    ):
        """The old assignment ends, the new unit gets one with the same deadline."""
        new_unit = HandlingUnitFactory(name="州农业农村局")
        response = staff_client.post(
            url("approve", reassignment.pk), {"new_unit": new_unit.pk}
        )
        assert response.status_code == 302
        suggestion = journey.refresh()
        assert suggestion.lead_unit == new_unit
        lead = journey.lead_assignment()
        assert (lead.unit, lead.due_at) == (new_unit, DUE)
        assert not Assignment.objects.get(unit=journey.unit).active
        assert messages_of(response) == [
            (
                "success",
                "Approved: reassigned to 州农业农村局, reply due June 10, 2026.",
            )
        ]

    def test_the_reassignment_page_leaves_out_the_units_handling_it(
        self, journey, reassignment, staff_client
    ):
        """The new-unit select offers active units not already on the suggestion."""
        other = HandlingUnitFactory()
        html = staff_client.get(url("request-detail", reassignment.pk)).content.decode()
        select = html.split('name="new_unit"', 1)[1].split("</select>", 1)[0]
        assert f'value="{other.pk}"' in select
        assert f'value="{journey.unit.pk}"' not in select

    @pytest.mark.parametrize("case", ["no_unit", "same_unit", "late_date"])
    def test_invalid_reassignment_comes_back(
        self, journey, reassignment, staff_client, unchanged, case
    ):
        """No unit, the unit already handling it, a date beyond the limit: 400, the
        error next to the field, nothing written."""
        field, data = {
            "no_unit": ("new_unit", {}),
            "same_unit": ("new_unit", {"new_unit": journey.unit.pk}),
            "late_date": (
                "extend_to",
                {"new_unit": HandlingUnitFactory().pk, "extend_to": "2026-12-01"},
            ),
        }[case]
        with unchanged(journey.suggestion, journey.lead_assignment(), reassignment):
            response = staff_client.post(url("approve", reassignment.pk), data)
        assert response.status_code == 400
        assert error_of(response, field)

    def test_a_decided_request_cannot_be_approved(
        self, journey, extension, staff_client, unchanged
    ):
        """Approving twice: a message saying why, back to the request's page."""
        staff_client.post(url("deny", extension.pk), {"reason": "不同意"})
        with unchanged(journey.suggestion, journey.lead_assignment(), extension):
            response = staff_client.post(url("approve", extension.pk), {})
        assert response.status_code == 302
        assert response["Location"] == url("request-detail", extension.pk)
        level, text = messages_of(response)[-1]
        assert level == "error"
        assert "already been decided" in text
        page = staff_client.get(url("request-detail", extension.pk)).content.decode()
        assert 'data-action="approve"' not in page
        assert "不同意" in page

    def test_the_action_urls_send_a_get_to_the_page(self, extension, staff_client):
        response = staff_client.get(url("approve", extension.pk))
        assert response.status_code == 302
        assert response["Location"] == url("request-detail", extension.pk)


class TestDeny:
    def test_denying_records_the_reason(self, journey, extension, staff_client):
        response = staff_client.post(
            url("deny", extension.pk), {"reason": "理由不充分。"}
        )
        assert response.status_code == 302
        extension.refresh_from_db()
        assert extension.decision == Decision.DENIED
        assert extension.decision_note == "理由不充分。"
        assert journey.lead_assignment().due_at == DUE
        assert messages_of(response) == [
            ("success", "The request was denied; the unit is told why.")
        ]

    def test_a_reason_is_required(self, journey, extension, staff_client, unchanged):
        """No reason: 400, the error next to the field, nothing written."""
        with unchanged(journey.suggestion, extension):
            response = staff_client.post(url("deny", extension.pk), {"reason": ""})
        assert response.status_code == 400
        assert error_of(response, "reason")

    def test_a_decided_request_cannot_be_denied(
        self, extension, staff_client, unchanged
    ):
        staff_client.post(url("approve", extension.pk), {})
        with unchanged(extension):
            response = staff_client.post(url("deny", extension.pk), {"reason": "x"})
        assert response.status_code == 302
        assert messages_of(response)[-1][0] == "error"


# --- the review queue and the lists ---------------------------------------------------


def test_the_review_queue_query_count_does_not_grow(staff):
    """The review queue answers in the same number of queries for 2 and 20 rows."""
    client = client_for(staff)
    for i in range(2):
        SuggestionFactory(submitted=True) if i % 2 else SuggestionFactory(
            registered=True
        )
    client.get(url("review-queue"))
    with CaptureQueriesContext(connection) as two:
        assert client.get(url("review-queue")).status_code == 200
    for i in range(18):
        SuggestionFactory(submitted=True) if i % 2 else SuggestionFactory(
            registered=True
        )
    with CaptureQueriesContext(connection) as twenty:
        response = client.get(url("review-queue"))
    assert len(response.context["page_obj"]) == 20
    assert len(twenty) == len(two)


@pytest.fixture
def catalogue():
    """Suggestions of one session differing in every filtered field."""
    session = SessionFactory()
    congress = session.congress
    roads, schools = CategoryFactory(name="工交财贸"), CategoryFactory(name="科教文卫")
    east = DelegationFactory(congress=congress, name="东区代表团")
    west = DelegationFactory(congress=congress, name="西区代表团")
    transport = HandlingUnitFactory(name="交通局")
    education = HandlingUnitFactory(name="教育局")
    long_ago = timezone.now() - dt.timedelta(days=200)
    return {
        "overdue_road": SuggestionFactory(
            assigned=True,
            session=session,
            number=3,
            category=roads,
            lead_unit=transport,
            lead_deputy=DeputyFactory(delegation=east),
            key_supervised=True,
            base_time=long_ago,
            title="关于修建乡村道路的建议",
        ),
        "school": SuggestionFactory(
            assigned=True,
            session=session,
            number=1,
            category=schools,
            lead_unit=education,
            lead_deputy=DeputyFactory(delegation=west),
            title="关于新建学校的建议",
        ),
        "submitted": SuggestionFactory(
            submitted=True,
            session=session,
            lead_deputy=DeputyFactory(delegation=west),
            title="关于公交线路的建议",
            body="建议增设道路公交站点。",
        ),
        "registered": SuggestionFactory(
            registered=True,
            session=session,
            number=2,
            category=schools,
            lead_deputy=DeputyFactory(delegation=east),
            title="关于加强职业教育的建议",
        ),
        "draft": SuggestionFactory(session=session, title="草稿：关于道路的建议"),
        "units": {"transport": transport, "education": education},
        "categories": {"roads": roads, "schools": schools},
        "delegations": {"east": east, "west": west},
    }


class TestAllSuggestions:
    def rows(self, client, query: str) -> list[int]:
        response = client.get(f"{url('list')}?{query}")
        assert response.status_code == 200
        return [s.pk for s in response.context["page_obj"]]

    def pks(self, catalogue, *names) -> set[int]:
        return {catalogue[n].pk for n in names}

    def test_filters(self, staff, catalogue):
        """Each filter of API.md narrows the list to the right rows; drafts never
        show."""
        c = catalogue
        client = client_for(staff)
        everything = self.pks(c, "overdue_road", "school", "submitted", "registered")
        cases = {
            "": everything,
            "status=submitted&status=registered": self.pks(
                c, "submitted", "registered"
            ),
            f"category={c['categories']['schools'].pk}": self.pks(
                c, "school", "registered"
            ),
            f"unit={c['units']['transport'].pk}": self.pks(c, "overdue_road"),
            f"delegation={c['delegations']['west'].pk}": self.pks(
                c, "school", "submitted"
            ),
            "key_supervised=true": self.pks(c, "overdue_road"),
            "key_supervised=false": self.pks(c, "school", "submitted", "registered"),
            "overdue=true": self.pks(c, "overdue_road"),
            "overdue=false": self.pks(c, "school", "submitted", "registered"),
            "q=道路": self.pks(c, "overdue_road", "submitted"),
            "q=道路&status=assigned": self.pks(c, "overdue_road"),
        }
        for query, expected in cases.items():
            assert set(self.rows(client, query)) == expected, query

    def test_ordering(self, staff, catalogue):
        """``ordering`` sorts by number either way."""
        client = client_for(staff)
        numbered = "status=assigned&status=registered"
        by_number = [catalogue[n].pk for n in ("school", "registered", "overdue_road")]
        assert self.rows(client, f"{numbered}&ordering=number") == by_number
        assert self.rows(client, f"{numbered}&ordering=-number") == by_number[::-1]

    @pytest.mark.parametrize(
        "query",
        [
            "status=bogus",
            "category=abc",
            f"unit={10**30}",
            "delegation=-1",
            "key_supervised=perhaps",
            "overdue=maybe",
            "ordering=evil",
            "page=zz",
            "due_before=2026-13-45",
            "session=x&deputy=y",
        ],
    )
    def test_a_garbage_filter_does_not_fail(self, staff, catalogue, query):
        """A value not understood answers 200 (the filter is ignored)."""
        response = client_for(staff).get(f"{url('list')}?{query}")
        assert response.status_code == 200

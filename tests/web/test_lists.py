"""Lists that fit the work: status tabs with counts, a few primary filters and the
rest behind "More filters", the current session by default with a session column,
search on the unit's and the deputy's lists, the review queue's waiting time and
bulk filing and assigning, workbench cards that open what they count, and the detail
page's way back to its list. Pages are fetched in English."""

import datetime as dt
import re
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from suggestions.models import Assignment, CoSignature, Event, Status, Suggestion
from tests.forms import FormClient

from ..factories import (
    CategoryFactory,
    CongressBodyFactory,
    DelegationFactory,
    DeputyFactory,
    HandlingUnitFactory,
    LeaderFactory,
    SessionFactory,
    StaffFactory,
    SuggestionFactory,
    UnitMemberFactory,
    deputy_user,
)

pytestmark = pytest.mark.django_db


def client_for(user) -> FormClient:
    client = FormClient(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def url(name, *args, query=""):
    return reverse(f"suggestions:{name}", args=args) + (f"?{query}" if query else "")


@pytest.fixture
def sessions(db):
    """Two sessions of one congress, the later one current, with suggestions in
    both (numbers repeat across them)."""
    old = SessionFactory(year=2025)
    current = SessionFactory(congress=old.congress, year=2026, is_current=True)
    delegation = DelegationFactory(congress=old.congress)
    deputy = DeputyFactory(delegation=delegation)
    rows = {
        "old_assigned": SuggestionFactory(
            assigned=True, session=old, number=7, lead_deputy=deputy, title="旧道路"
        ),
        "assigned": SuggestionFactory(
            assigned=True, session=current, number=7, lead_deputy=deputy, title="新道路"
        ),
        "assigned2": SuggestionFactory(
            assigned=True,
            session=current,
            number=8,
            escalated=True,
            title="学校",
        ),
        "submitted": SuggestionFactory(submitted=True, session=current, title="公交"),
        "closed": SuggestionFactory(closed=True, session=current, number=9),
    }
    return {"old": old, "current": current, "deputy": deputy, **rows}


class TestStatusTabs:
    def test_one_tab_per_status_with_its_count_and_the_other_filters_kept(
        self, sessions
    ):
        response = client_for(StaffFactory()).get(url("list"))
        tabs = {t["key"]: t for t in response.context["tabs"]}
        # The current session by default: its suggestions, counted per status.
        assert tabs["all"]["count"] == 4
        assert tabs["assigned"]["count"] == 2
        assert tabs["submitted"]["count"] == 1
        assert tabs["closed"]["count"] == 1
        assert "rehandling" not in tabs
        assert list(tabs) == ["all", "submitted", "assigned", "closed"]
        assert f"session={sessions['current'].pk}" in tabs["assigned"]["url"]
        assert "status=assigned" in tabs["assigned"]["url"]

    def test_a_chosen_status_narrows_the_rows_not_the_tab_counts(self, sessions):
        client = client_for(StaffFactory())
        response = client.get(url("list", query="session=&status=assigned"))
        tabs = {t["key"]: t for t in response.context["tabs"]}
        assert tabs["all"]["count"] == 5
        assert tabs["assigned"]["count"] == 3
        assert tabs["assigned"]["active"] and not tabs["all"]["active"]
        assert response.context["page_obj"].paginator.count == 3

    def test_the_counts_take_one_grouped_query(self, sessions):
        client = client_for(StaffFactory())
        client.get(url("list"))  # warm up the session and the caches
        with CaptureQueriesContext(connection) as queries:
            client.get(url("list", query="session=&status=assigned"))
        grouped = [q["sql"] for q in queries if "GROUP BY" in q["sql"]]
        assert len(grouped) == 1, grouped
        assert '"status"' in grouped[0]
        few = len(queries)
        SuggestionFactory.create_batch(5, submitted=True, session=sessions["old"])
        with CaptureQueriesContext(connection) as queries:
            client.get(url("list", query="session=&status=assigned"))
        assert len(queries) == few

    @pytest.mark.parametrize(
        "who, query, expected",
        [
            ("staff", "session=&status=assigned&status=closed", 4),
            ("staff", "session=", 5),
            ("leader", "session=", 5),
            ("leader", "session=&status=submitted", 1),
        ],
    )
    def test_the_page_is_counted_by_its_tabs_not_again(
        self, sessions, who, query, expected
    ):
        """The page's count is the sum of the chosen tabs' counts: no second count
        of the same rows, and the same figure. Staff and leaders read the tabs of
        an unfiltered list from the counts the triggers keep (``StatusCount``)."""
        client = client_for(StaffFactory() if who == "staff" else LeaderFactory())
        client.get(url("list"))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url("list", query=query))
        counts = [
            q["sql"]
            for q in queries
            if "suggestions_statuscount" in q["sql"]
            or ("COUNT(" in q["sql"].upper() and "suggestions_suggestion" in q["sql"])
        ]
        assert len(counts) == 1 and "GROUP BY" in counts[0], counts
        assert "suggestions_statuscount" in counts[0]
        paginator = response.context["page_obj"].paginator
        assert paginator.count == expected == len(response.context["page_obj"])


class TestFilterPanel:
    def test_at_most_five_primary_filters_and_the_rest_behind_more_filters(
        self, sessions
    ):
        response = client_for(StaffFactory()).get(url("list"))
        panel = response.context["panel"]
        assert 0 < len(panel["primary"]) <= 5
        html = response.content.decode()
        primary = html.split('data-testid="primary-filters"', 1)[1].split(
            'data-testid="more-filters"', 1
        )[0]
        assert len(re.findall(r'data-filter="', primary)) == len(panel["primary"])
        more = html.split('data-testid="more-filters"', 1)[1][:200]
        assert " open" not in more.split(">", 1)[0]
        # No multi-select asks for Ctrl-click.
        assert not re.search(r"<select[^>]*multiple", html)

    def test_more_filters_open_when_one_of_them_is_in_use(self, sessions):
        response = client_for(StaffFactory()).get(url("list", query="escalated=true"))
        html = response.content.decode()
        tag = html.split('data-testid="more-filters"', 1)[1].split(">", 1)[0]
        assert "open" in tag
        assert response.context["panel"]["more_active"] == 1
        assert [s.pk for s in response.context["page_obj"]] == [
            sessions["assigned2"].pk
        ]

    def test_staff_of_two_bodies_see_which_body_each_choice_belongs_to(self, db):
        """Each body has its own 教育: staff of both see 教育 (昌吉州) and 教育
        (昌吉市), staff of one body the bare name."""
        prefecture = CongressBodyFactory()
        county = CongressBodyFactory(region="昌吉市", short_name="昌吉市")
        for body in (prefecture, county):
            CategoryFactory(body=body, name="教育")
            HandlingUnitFactory(body=body, name="教育局")

        def options(user, name):
            html = client_for(user).get(url("list")).content.decode()
            select = html.split(f'<select name="{name}"', 1)[1].split("</select>")[0]
            return re.findall(r"<option value=\"\d+\"[^>]*>([^<]*)</option>", select)

        both = StaffFactory(body=[prefecture, county])
        assert sorted(options(both, "category")) == ["教育 (昌吉州)", "教育 (昌吉市)"]
        assert sorted(options(both, "unit")) == ["教育局 (昌吉州)", "教育局 (昌吉市)"]
        assert options(StaffFactory(), "category") == ["教育"]

    def test_the_key_list_does_not_offer_key_supervised(self, sessions):
        response = client_for(LeaderFactory()).get(url("key-supervised"))
        assert response.status_code == 200
        assert 'name="key_supervised"' not in response.content.decode()
        assert (
            'name="key_supervised"'
            in client_for(StaffFactory()).get(url("list")).content.decode()
        )


class TestSessionDefault:
    def test_the_current_session_by_default_named_above_the_table(self, sessions):
        response = client_for(StaffFactory()).get(url("list"))
        html = response.content.decode()
        shown = {s.pk for s in response.context["page_obj"]}
        assert sessions["old_assigned"].pk not in shown
        assert sessions["assigned"].pk in shown
        assert sessions["current"].short_label in html
        assert sessions["current"].short_name in html
        assert 'href="?session="' in html
        # One session: no session column.
        assert 'data-testid="session-column"' not in html

    def test_all_sessions_show_a_session_column_and_numbers_with_their_session(
        self, sessions
    ):
        response = client_for(StaffFactory()).get(url("list", query="session="))
        html = response.content.decode()
        assert response.context["page_obj"].paginator.count == 5
        assert 'data-testid="session-column"' in html
        assert f"{sessions['old'].short_label} No. 7" in html
        assert f"{sessions['current'].short_label} No. 7" in html

    def test_paging_keeps_the_default(self, sessions):
        response = client_for(StaffFactory()).get(url("list", query="page=1"))
        assert response.context["page_obj"].paginator.count == 4

    def test_the_export_names_the_default_session(self, sessions):
        response = client_for(StaffFactory()).get(url("export"))
        assert response.status_code == 200
        assert quote(sessions["current"].short_name) in response["Content-Disposition"]


class TestSearch:
    def test_a_number_finds_the_suggestion_of_that_number(self, sessions):
        response = client_for(StaffFactory()).get(url("list", query="q=第8号"))
        assert [s.pk for s in response.context["page_obj"]] == [
            sessions["assigned2"].pk
        ]

    def test_the_unit_list_searches_title_or_number_and_a_session(self, sessions):
        unit = HandlingUnitFactory()
        for key in ("old_assigned", "assigned"):
            Assignment.objects.filter(suggestion=sessions[key]).update(unit=unit)
        client = client_for(UnitMemberFactory(unit=unit))
        everything = client.get(url("unit-assignments", query="tab=all"))
        assert everything.context["page_obj"].paginator.count == 2
        one = client.get(
            url("unit-assignments", query=f"tab=all&session={sessions['old'].pk}")
        )
        assert [a.suggestion_id for a in one.context["page_obj"]] == [
            sessions["old_assigned"].pk
        ]
        assert one.context["tabs"][-1]["count"] == 1
        titled = client.get(url("unit-assignments", query="tab=all&q=新道路"))
        assert [a.suggestion_id for a in titled.context["page_obj"]] == [
            sessions["assigned"].pk
        ]
        html = titled.content.decode()
        assert f"{sessions['current'].short_label} No. 7" in html
        bad = client.get(url("unit-assignments", query="tab=all&session=nope"))
        assert bad.status_code == 200

    def test_the_deputy_list_searches_and_filters_by_role(self, sessions):
        me = deputy_user(delegation__congress=sessions["current"].congress)
        deputy = me.deputy_profile
        mine = SuggestionFactory(session=sessions["current"], lead_deputy=deputy)
        theirs = SuggestionFactory(submitted=True, session=sessions["current"])
        CoSignature.objects.create(
            suggestion=theirs, deputy=deputy, signed_at=timezone.now()
        )
        client = client_for(me)
        rows = lambda q: {  # noqa: E731
            s.pk for s in client.get(url("my-suggestions", query=q)).context["page_obj"]
        }
        assert rows("") == {mine.pk, theirs.pk}
        assert rows("role=lead") == {mine.pk}
        assert rows("role=cosigner") == {theirs.pk}
        assert rows(f"q={theirs.title}") == {theirs.pk}
        assert rows(f"session={sessions['old'].pk}") == set()


class TestReviewQueue:
    @pytest.fixture
    def queue(self, db):
        session = SessionFactory(is_current=True)
        now = timezone.now()
        return {
            "session": session,
            "older": SuggestionFactory(
                submitted=True,
                session=session,
                base_time=now - dt.timedelta(days=5),
                category=CategoryFactory(),
            ),
            "newer": SuggestionFactory(
                submitted=True, session=session, base_time=now - dt.timedelta(days=1)
            ),
        }

    def test_oldest_first_with_the_days_waited(self, queue):
        response = client_for(StaffFactory()).get(url("review-queue"))
        rows = list(response.context["page_obj"])
        assert [s.pk for s in rows] == [queue["older"].pk, queue["newer"].pk]
        html = response.content.decode()
        assert "5 days" in html and "1 day" in html
        assert "data-confirm=" in html and 'name="form_token"' in html

    def test_bulk_filing_numbers_each_and_writes_its_timeline(self, queue):
        category = CategoryFactory()
        staff = StaffFactory()
        response = client_for(staff).post(
            url("review-bulk"),
            {
                "action": "register",
                "suggestions": [queue["older"].pk, queue["newer"].pk],
                "category": category.pk,
                "complexity": "normal",
            },
        )
        assert response.status_code == 302
        older, newer = (
            Suggestion.objects.get(pk=queue[k].pk) for k in ("older", "newer")
        )
        assert (older.status, newer.status) == (Status.REGISTERED,) * 2
        assert (older.number, newer.number) == (1, 2)
        # Each keeps its own category; the chosen one goes to those without.
        assert older.category == queue["older"].category
        assert newer.category == category
        for s in (older, newer):
            event = Event.objects.get(suggestion=s, action="register")
            assert event.data["number"] == s.number

    def test_bulk_assigning_gives_each_its_deadline(self, queue):
        staff = StaffFactory()
        client = client_for(staff)
        client.post(
            url("review-bulk"),
            {
                "action": "register",
                "suggestions": [queue["older"].pk, queue["newer"].pk],
                "category": CategoryFactory().pk,
                "complexity": "normal",
            },
        )
        unit = HandlingUnitFactory()
        response = client.post(
            url("review-bulk"),
            {
                "action": "assign",
                "suggestions": [queue["older"].pk, queue["newer"].pk],
                "lead_unit": unit.pk,
                "complexity": "normal",
            },
        )
        assert response.status_code == 302
        for key in ("older", "newer"):
            s = Suggestion.objects.get(pk=queue[key].pk)
            assert s.status == Status.ASSIGNED
            assert s.lead_unit == unit and s.due_at is not None
            assert s.assignments.filter(unit=unit).count() == 1

    def test_one_refusal_names_it_and_writes_nothing(self, queue):
        staff = StaffFactory()
        unit = HandlingUnitFactory()
        # Only "older" is filed: "newer" cannot be assigned yet.
        client = client_for(staff)
        client.post(
            url("review-bulk"),
            {
                "action": "register",
                "suggestions": [queue["older"].pk],
                "category": CategoryFactory().pk,
                "complexity": "normal",
            },
        )
        response = client.post(
            url("review-bulk"),
            {
                "action": "assign",
                "suggestions": [queue["older"].pk, queue["newer"].pk],
                "lead_unit": unit.pk,
                "complexity": "normal",
            },
            follow=True,
        )
        html = response.content.decode()
        assert queue["newer"].title in html
        assert "Nothing was done" in html
        assert Suggestion.objects.get(pk=queue["older"].pk).status == (
            Status.REGISTERED
        )
        assert not Assignment.objects.filter(unit=unit).exists()

    def test_assigning_needs_a_lead_unit_and_only_staff_may_post(self, queue):
        response = client_for(StaffFactory()).post(
            url("review-bulk"),
            {"action": "assign", "suggestions": [queue["older"].pk]},
        )
        assert response.status_code == 302
        assert Suggestion.objects.get(pk=queue["older"].pk).status == (Status.SUBMITTED)
        leader = client_for(LeaderFactory()).post(
            url("review-bulk"),
            {"action": "register", "suggestions": [queue["older"].pk]},
        )
        assert leader.status_code == 404


class TestPickers:
    def test_the_unit_search_answers_staff_only(self, db):
        HandlingUnitFactory(name="州交通运输局")
        HandlingUnitFactory(name="州教育局")
        found = client_for(StaffFactory()).get(url("unit-search", query="q=交通"))
        assert [u["name"] for u in found.json()["results"]] == ["州交通运输局"]
        assert client_for(LeaderFactory()).get(url("unit-search")).status_code == 404
        unit_member = UnitMemberFactory(unit=HandlingUnitFactory())
        assert client_for(unit_member).get(url("unit-search")).status_code == 404

    def test_staff_may_search_every_deputy_for_the_filter(self, sessions):
        found = client_for(StaffFactory()).get(
            url("deputy-search", query=f"q={sessions['deputy'].name}")
        )
        assert found.status_code == 200
        assert sessions["deputy"].pk in [d["id"] for d in found.json()["results"]]

    def test_the_assign_page_offers_the_co_unit_picker(self, sessions):
        registered = SuggestionFactory(registered=True, session=sessions["current"])
        html = (
            client_for(StaffFactory())
            .get(url("assign", registered.pk))
            .content.decode()
        )
        assert 'data-testid="picker-co_units"' in html
        assert reverse("suggestions:unit-search") in html
        assert "js/picker.js" in html


class TestWorkbenchCards:
    def test_each_card_opens_a_list_of_its_count(self, sessions):
        staff = StaffFactory()
        LeaderFactory()
        sessions["assigned"].key_supervised = True
        sessions["assigned"].save()
        sessions["old_assigned"].key_supervised = True
        sessions["old_assigned"].save()
        for user in (staff, LeaderFactory()):
            client = client_for(user)
            html = client.get(url("workbench")).content.decode()
            cards = re.findall(
                r'href="([^"]+)" data-testid="((?:staff|leader)-[\w-]+)"', html
            )
            counts = client.get(url("workbench")).context["counts"]
            checked = 0
            for href, key in cards:
                if key == "staff-requests":
                    continue
                role = key.split("-", 1)[0]
                value = counts[role][CARD_FIELDS[key]]
                listed = client.get(href.replace("&amp;", "&"))
                assert listed.status_code == 200, href
                assert listed.context["page_obj"].paginator.count == value, (key, href)
                checked += 1
            assert checked >= 4

    def test_each_deputy_card_opens_a_list_of_its_count(self, sessions):
        user = deputy_user(delegation__congress=sessions["current"].congress)
        deputy = user.deputy_profile
        current = sessions["current"]
        SuggestionFactory(session=current, lead_deputy=deputy)
        SuggestionFactory(submitted=True, session=current, lead_deputy=deputy)
        for number, state in enumerate(("assigned", "assigned", "replied")):
            SuggestionFactory(
                session=current,
                lead_deputy=deputy,
                number=101 + number,
                **{state: True},
            )
        SuggestionFactory(
            closed=True, session=sessions["old"], lead_deputy=deputy, number=101
        )
        client = client_for(user)
        page = client.get(url("workbench"))
        html = page.content.decode()
        counts = page.context["counts"]["deputy"]
        cards = {
            key: href
            for href, key in re.findall(
                r'href="([^"]+)" data-testid="(deputy-[\w-]+)"', html
            )
        }
        expected = {"drafts": 1, "in_progress": 3, "to_rate": 1, "closed": 1}
        for field, value in expected.items():
            assert counts[field] == value, field
            href = cards["deputy-" + field.replace("_", "-")]
            listed = client.get(href.replace("&amp;", "&"))
            assert listed.status_code == 200, href
            assert listed.context["page_obj"].paginator.count == value, (field, href)


CARD_FIELDS = {
    "staff-to-review": "to_review",
    "staff-to-assign": "to_assign",
    "staff-overdue": "overdue",
    "staff-escalated": "escalated",
    "leader-key": "key",
    "leader-open": "key_open",
    "leader-overdue": "key_overdue",
    "leader-closed": "key_closed",
}


class TestBackLink:
    def test_the_list_links_carry_it_and_the_detail_page_leads_back(self, sessions):
        client = client_for(StaffFactory())
        listed = client.get(url("list", query="session=&status=assigned"))
        html = listed.content.decode()
        back = quote(url("list", query="session=&status=assigned"), safe="")
        assert f"?back={back}" in html
        target = sessions["assigned"]
        detail = client.get(
            target.get_absolute_url() + "?back=" + back
        ).content.decode()
        assert 'data-action="back-to-list"' in detail
        assert 'href="/suggestions/?session=&amp;status=assigned"' in detail

    @pytest.mark.parametrize(
        "back",
        [
            "https://evil.example/",
            "//evil.example/x",
            "/\\evil.example",
            "javascript:x",
        ],
    )
    def test_a_foreign_back_link_falls_back_to_the_list(self, sessions, back):
        detail = client_for(StaffFactory()).get(
            sessions["assigned"].get_absolute_url(), {"back": back}
        )
        html = detail.content.decode()
        assert "evil" not in html.split('data-action="back-to-list"', 1)[0][-200:]
        link = re.search(r'href="([^"]*)" data-action="back-to-list"', html).group(1)
        assert link == url("list")

    def test_a_suggestion_waiting_for_review_leads_back_to_the_queue(self, sessions):
        html = (
            client_for(StaffFactory())
            .get(sessions["submitted"].get_absolute_url())
            .content.decode()
        )
        link = re.search(r'href="([^"]*)" data-action="back-to-list"', html).group(1)
        assert link == url("review-queue")

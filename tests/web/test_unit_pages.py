"""The handling unit's pages (assignment list, assignment page and its actions, the
unit card on the suggestion page), reply letter downloads, and the leader's read-only
view of key supervised suggestions.

Wiring, permissions and status codes only; the rules themselves are tested at the
service level. Pages are fetched in English so that the assertions read the source
strings whatever translations exist.
"""

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from common import clock
from suggestions import selectors, services
from suggestions.models import (
    AdjustmentKind,
    AdjustmentRequest,
    Assignment,
    AssignmentRole,
    ContactRecord,
    Outcome,
    Reply,
    Status,
)
from tests.forms import FormClient

from ..conftest import at
from ..factories import (
    AssignmentFactory,
    HandlingUnitFactory,
    SuggestionFactory,
    UnitMemberFactory,
)

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
ACTIONS = {
    "assignment-acknowledge": {},
    "assignment-request-reassignment": {"reason": "不属于本单位职责。"},
    "assignment-request-extension": {"reason": "涉及面广。", "until": "2026-08-01"},
    "assignment-contact": {
        "method": "phone",
        "contacted_at": "2026-03-10T09:00",
        "note": "电话沟通。",
    },
    "assignment-reply": {"outcome": "resolved", "body": "已解决。"},
    "assignment-fulfil": {"note": "已完成。"},
}


def client_for(user=None) -> FormClient:
    client = FormClient(headers={"accept-language": "en"})
    if user is not None:
        client.force_login(user)
    return client


def url(name: str, obj=None, **query) -> str:
    address = reverse(f"suggestions:{name}", args=[obj.pk] if obj is not None else [])
    if query:
        address += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return address


def messages_of(response) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def rows_of(response) -> set[int]:
    return {a.pk for a in response.context["page_obj"].object_list}


@pytest.fixture
def assigned(journey):
    """``journey``'s suggestion just assigned to ``journey.unit`` (at ``NOW``)."""
    journey.to(Status.ASSIGNED)
    return journey.lead_assignment()


@pytest.fixture
def acknowledged(journey, assigned):
    """Acknowledged, and the meeting the rules require before the reply recorded
    (三见面; the tests of the rule below reply without it)."""
    journey.acknowledge()
    journey.meet()
    return journey.lead_assignment()


# --- the list -------------------------------------------------------------------------


@pytest.fixture
def unit_world(db):
    """One unit's assignments in every state, dated around today, and another
    unit's assignment that must never show."""
    today = timezone.localdate()
    now = timezone.now()
    unit = HandlingUnitFactory()
    ack = now - dt.timedelta(days=1)

    def make(**fields):
        fields.setdefault("acknowledged_at", ack)
        fields.setdefault("due_at", today + dt.timedelta(days=60))
        return AssignmentFactory(unit=unit, assigned_at=now, **fields)

    rows = {
        "pending": make(acknowledged_at=None),
        "open": make(),
        "due_soon": make(due_at=today + dt.timedelta(days=5)),
        "overdue": make(due_at=today - dt.timedelta(days=3)),
        "co": make(role=AssignmentRole.CO, due_at=today + dt.timedelta(days=20)),
        "done": make(replied_at=now),
        "reassigned": make(active=False),
    }
    rows["foreign"] = AssignmentFactory(assigned_at=now)
    return unit, rows


@pytest.mark.parametrize(
    ("tab", "expected"),
    [
        ("pending", {"pending"}),
        ("open", {"pending", "open", "due_soon", "overdue", "co"}),
        ("due-soon", {"due_soon"}),
        ("overdue", {"overdue"}),
        ("co", {"co"}),
        ("done", {"done"}),
        ("all", {"pending", "open", "due_soon", "overdue", "co", "done", "reassigned"}),
    ],
)
def test_each_tab_lists_its_own_rows_of_the_users_unit_only(unit_world, tab, expected):
    """Each tab shows exactly its assignments, and only the user's unit's."""
    unit, rows = unit_world
    response = client_for(UnitMemberFactory(unit=unit)).get(
        url("unit-assignments", tab=tab)
    )
    assert response.status_code == 200
    assert rows_of(response) == {rows[key].pk for key in expected}
    assert f'data-tab="{tab}"' in response.content.decode()
    # The page's count is the tab's count, taken with the others.
    assert response.context["page_obj"].paginator.count == len(expected)


def test_tab_counts_agree_with_the_workbench(unit_world):
    """The tabs the workbench links to count what the workbench counts."""
    unit, _rows = unit_world
    clerk = UnitMemberFactory(unit=unit)
    tabs = {
        t["key"]: t["count"]
        for t in client_for(clerk).get(url("unit-assignments")).context["tabs"]
    }
    workbench = selectors.workbench_counts(user=clerk)["unit"]
    assert tabs["pending"] == workbench["to_acknowledge"] == 1
    assert tabs["open"] == workbench["in_progress"] == 5
    assert tabs["due-soon"] == workbench["due_soon"] == 1
    assert tabs["overdue"] == workbench["overdue"] == 1
    assert tabs["co"] == workbench["opinions_awaited"] == 1


def test_unknown_tab_falls_back_to_in_progress(unit_world):
    """An unknown ``tab`` shows the in-progress tab instead of failing."""
    unit, _rows = unit_world
    response = client_for(UnitMemberFactory(unit=unit)).get(
        url("unit-assignments", tab="nonsense")
    )
    assert response.status_code == 200
    assert response.context["tab"] == "open"


def test_the_list_is_for_unit_members_staff_and_leaders(other_deputy):
    """Someone without a unit (a deputy) finds no list; a visitor must log in."""
    assert client_for(other_deputy).get(url("unit-assignments")).status_code == 404
    response = client_for().get(url("unit-assignments"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_a_leader_can_read_one_units_list_but_a_clerk_cannot_pick_another(
    unit_world, leader
):
    """``?unit=`` picks a unit for staff and leaders; a clerk keeps seeing their own."""
    unit, rows = unit_world
    response = client_for(leader).get(url("unit-assignments", tab="all", unit=unit.pk))
    assert response.status_code == 200
    assert rows["foreign"].pk not in rows_of(response)
    assert rows["open"].pk in rows_of(response)
    foreign_unit = rows["foreign"].unit_id
    clerk = UnitMemberFactory(unit=unit)
    response = client_for(clerk).get(
        url("unit-assignments", tab="all", unit=foreign_unit)
    )
    assert rows["foreign"].pk not in rows_of(response)


def test_staff_pick_a_unit_to_see_its_assignments(unit_world, staff):
    """Staff see one unit's assignments with ``?unit=``, and every unit's without."""
    unit, rows = unit_world
    client = client_for(staff)
    response = client.get(url("unit-assignments", tab="all", unit=unit.pk))
    assert response.status_code == 200
    assert rows_of(response) == {r.pk for k, r in rows.items() if k != "foreign"}
    assert 'data-testid="unit-picker"' in response.content.decode()
    response = client.get(url("unit-assignments", tab="all"))
    assert rows_of(response) == {r.pk for r in rows.values()}
    assert client.get(url("unit-assignments", unit="x")).status_code == 404


def test_list_query_count_does_not_grow_with_rows(db):
    """The list page takes the same number of queries for 2 rows as for 20."""
    unit = HandlingUnitFactory()
    clerk = UnitMemberFactory(unit=unit)
    client = client_for(clerk)
    client.get(url("unit-assignments", tab="all"))  # warm the session and caches

    def measure() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url("unit-assignments", tab="all"))
        assert response.status_code == 200
        return len(queries)

    AssignmentFactory.create_batch(2, unit=unit)
    at_two = measure()
    AssignmentFactory.create_batch(18, unit=unit)
    assert measure() == at_two


# --- the assignment page --------------------------------------------------------------


def test_assignment_page_shows_the_suggestion_deadlines_and_actions(journey, assigned):
    """The page shows the text, the lead deputy's contact, the reassignment window,
    the extension limit, and the acknowledge button."""
    deputy = journey.deputy.deputy_profile
    deputy.email = "daibiao@example.org"
    deputy.save()
    response = client_for(journey.clerk).get(url("assignment-detail", assigned))
    assert response.status_code == 200
    page = response.content.decode()
    assert journey.suggestion.body in page
    assert deputy.phone in page
    assert "daibiao@example.org" in page
    window = response.context["window"]
    assert window.date == dt.date(2026, 3, 24)  # 10 working days after 10 March
    assert "Reassignment can be asked until" in page
    assert response.context["extension_limit"] == dt.date(2026, 9, 10)
    assert 'data-action="acknowledge"' in page
    assert 'data-action="reply"' not in page  # not before acknowledging


def test_the_reassignment_window_says_when_it_is_an_estimate(journey):
    """A window counted over a year with no known holiday calendar is an estimate."""
    with clock.frozen_at(at(2041, 12, 20)):
        assignment = AssignmentFactory(unit=journey.unit, assigned_at=clock.now())
        response = client_for(journey.clerk).get(url("assignment-detail", assignment))
    assert response.context["window"].is_estimate
    assert 'data-testid="window-estimate"' in response.content.decode()


def test_another_units_assignment_page_is_404(assigned, other_clerk, other_deputy):
    """Another unit's clerk and a deputy find no assignment page."""
    for user in (other_clerk, other_deputy):
        response = client_for(user).get(url("assignment-detail", assigned))
        assert response.status_code == 404


@pytest.mark.parametrize("action", ACTIONS)
def test_another_unit_gets_404_on_every_action(
    acknowledged, other_clerk, unchanged, action
):
    """A clerk of another unit POSTing any action finds nothing and changes nothing."""
    with unchanged(acknowledged, acknowledged.suggestion):
        response = client_for(other_clerk).post(
            url(action, acknowledged), ACTIONS[action]
        )
    assert response.status_code == 404


@pytest.mark.parametrize("action", ACTIONS)
def test_actions_are_post_only(acknowledged, journey, action):
    """An action URL answers GET with 405: every change is a POST."""
    response = client_for(journey.clerk).get(url(action, acknowledged))
    assert response.status_code == 405


def test_acknowledge(journey, assigned):
    """Acknowledging signs for the assignment and says so."""
    response = client_for(journey.clerk).post(url("assignment-acknowledge", assigned))
    assert response.status_code == 302
    assert response["Location"] == url("assignment-detail", assigned)
    assigned.refresh_from_db()
    assert assigned.acknowledged_at is not None
    assert messages_of(response) == [
        ("success", "The assignment has been acknowledged.")
    ]


def test_acknowledging_twice_says_why_not(journey, acknowledged, unchanged):
    """A second acknowledgement is refused with a message, not an error page."""
    with unchanged(acknowledged):
        response = client_for(journey.clerk).post(
            url("assignment-acknowledge", acknowledged)
        )
    assert response.status_code == 302
    assert messages_of(response) == [
        ("error", "The assignment has already been acknowledged.")
    ]


def test_request_reassignment_inside_the_window(journey, assigned):
    """Within the window a reassignment request goes to staff."""
    with clock.frozen_at(at(2026, 3, 24, 17)):
        response = client_for(journey.clerk).post(
            url("assignment-request-reassignment", assigned),
            {"reason": "该事项属于交通运输局职责。"},
        )
    assert response.status_code == 302
    request = AdjustmentRequest.objects.get(assignment=assigned)
    assert request.kind == AdjustmentKind.REASSIGNMENT
    assert messages_of(response)[0][0] == "success"


def test_request_reassignment_outside_the_window(journey, assigned, unchanged):
    """After the window the form is gone and a request is refused, naming the date."""
    client = client_for(journey.clerk)
    with clock.frozen_at(at(2026, 3, 25)):
        page = client.get(url("assignment-detail", assigned)).content.decode()
        assert 'data-action="request-reassignment"' not in page
        with unchanged(assigned):
            response = client.post(
                url("assignment-request-reassignment", assigned),
                {"reason": "不属于本单位职责。"},
            )
    assert response.status_code == 302
    assert messages_of(response) == [
        ("error", "Reassignment could be asked until March 24, 2026.")
    ]


def test_request_reassignment_needs_a_reason(journey, assigned, unchanged):
    """An empty reason comes back as a field error (400) and writes nothing."""
    with unchanged(assigned):
        response = client_for(journey.clerk).post(
            url("assignment-request-reassignment", assigned), {"reason": " "}
        )
    assert response.status_code == 400
    assert response.context["action_forms"]["reassignment"].errors["reason"]


def test_request_extension_within_the_limit(journey, assigned):
    """The lead unit may ask for a date up to six months from assignment."""
    response = client_for(journey.clerk).post(
        url("assignment-request-extension", assigned),
        {"reason": "涉及多个部门，需要更多时间。", "until": "2026-09-10"},
    )
    assert response.status_code == 302
    request = AdjustmentRequest.objects.get(assignment=assigned)
    assert request.kind == AdjustmentKind.EXTENSION
    assert request.requested_until == dt.date(2026, 9, 10)


def test_request_extension_beyond_the_limit_is_a_field_error(
    journey, assigned, unchanged
):
    """A date past the limit comes back next to the date field (400), nothing saved."""
    with unchanged(assigned):
        response = client_for(journey.clerk).post(
            url("assignment-request-extension", assigned),
            {"reason": "涉及多个部门。", "until": "2026-09-11"},
        )
    assert response.status_code == 400
    errors = response.context["action_forms"]["extension"].errors
    assert errors["until"] == [
        "The deadline can be extended to Sept. 10, 2026 at the latest."
    ]
    assert 'id="extend_until_error"' in response.content.decode()


def test_a_co_unit_is_not_offered_an_extension(journey_with_co_unit, unchanged):
    """Only the lead unit may ask for more time: a co-unit sees no form and is told
    why if it posts anyway."""
    journey = journey_with_co_unit
    journey.to(Status.ASSIGNED)
    co = journey.co_assignment()
    client = client_for(journey.co_clerk)
    page = client.get(url("assignment-detail", co)).content.decode()
    assert 'data-action="request-extension"' not in page
    with unchanged(co):
        response = client.post(
            url("assignment-request-extension", co),
            {"reason": "需要时间。", "until": "2026-05-01"},
        )
    assert messages_of(response) == [
        ("error", "Only the lead unit may ask for an extension.")
    ]


def test_contact_is_recorded_in_beijing_time(journey, assigned):
    """The datetime-local value is read as Beijing time."""
    with clock.frozen_at(at(2026, 3, 12)):
        response = client_for(journey.clerk).post(
            url("assignment-contact", assigned),
            {
                "stage": "before",
                "method": "meeting",
                "contacted_at": "2026-03-11T09:30",
                "note": "面商。",
            },
        )
    assert response.status_code == 302
    record = ContactRecord.objects.get(assignment=assigned)
    assert record.contacted_at == at(2026, 3, 11, 9, 30)
    assert record.method == "meeting"
    assert record.stage == "before"


def test_contact_in_the_future_is_a_field_error(journey, assigned, unchanged):
    """A contact dated after now comes back next to its field (400), nothing saved."""
    with unchanged(assigned):
        response = client_for(journey.clerk).post(
            url("assignment-contact", assigned),
            {"stage": "during", "method": "phone", "contacted_at": "2026-03-10T11:00"},
        )
    assert response.status_code == 400
    errors = response.context["action_forms"]["contact"].errors
    assert errors["contacted_at"] == ["The contact cannot be in the future."]


def test_reply_by_the_lead_unit_moves_the_suggestion_to_replied(journey, acknowledged):
    """The lead unit's reply is the answer: the suggestion becomes replied."""
    response = client_for(journey.clerk).post(
        url("assignment-reply", acknowledged),
        {"outcome": "resolved", "body": "已完成改造。", "signed_by": "张局长"},
    )
    assert response.status_code == 302
    assert journey.refresh().status == Status.REPLIED
    reply = Reply.objects.get(assignment=acknowledged)
    assert (reply.is_lead, reply.signed_by, reply.letter) == (True, "张局长", "")


def test_reply_by_a_co_unit_is_an_opinion_the_lead_unit_reads(journey_with_co_unit):
    """A co-unit's reply is an opinion: the status stays, the lead unit sees it."""
    journey = journey_with_co_unit
    journey.to(Status.ASSIGNED)
    co = journey.co_assignment()
    client = client_for(journey.co_clerk)
    page = client.get(url("assignment-detail", co)).content.decode()
    assert 'data-action="acknowledge"' in page
    client.post(url("assignment-acknowledge", co))
    page = client.get(url("assignment-detail", co)).content.decode()
    assert "Send opinion to the lead unit" in page
    response = client.post(
        url("assignment-reply", co), {"outcome": "resolved", "body": "同意主办意见。"}
    )
    assert response.status_code == 302
    assert messages_of(response) == [
        ("success", "Your opinion has been sent to the lead unit.")
    ]
    assert journey.refresh().status == Status.ASSIGNED
    assert Reply.objects.get(assignment=co).is_lead is False
    lead_page = client_for(journey.clerk).get(
        url("assignment-detail", journey.lead_assignment())
    )
    assert "同意主办意见。" in lead_page.content.decode()


def test_reply_before_acknowledging_says_why_not(journey, assigned, unchanged):
    """Replying before acknowledging is refused with the reason."""
    with unchanged(assigned, assigned.suggestion):
        response = client_for(journey.clerk).post(
            url("assignment-reply", assigned), {"outcome": "resolved", "body": "答复。"}
        )
    assert messages_of(response) == [
        ("error", "Acknowledge the assignment before replying.")
    ]


def test_reply_offers_only_the_rules_classes(journey, acknowledged, unchanged):
    """The outcome choices are the congress's offered classes; another is refused."""
    client = client_for(journey.clerk)
    form = client.get(url("assignment-detail", acknowledged)).context["action_forms"][
        "reply"
    ]
    assert [v for v, _label in form.fields["outcome"].choices] == [
        "resolved",
        "in_progress",
        "explained",
    ]
    with unchanged(acknowledged, acknowledged.suggestion):
        response = client.post(
            url("assignment-reply", acknowledged),
            {"outcome": "reference", "body": "留作参考。"},
        )
    assert response.status_code == 400
    assert response.context["action_forms"]["reply"].errors["outcome"]


def test_reply_with_a_png_letter(journey, acknowledged):
    """A PNG letter is stored with the reply and the deputy can download it."""
    letter = SimpleUploadedFile("答复函.png", PNG, content_type="image/png")
    response = client_for(journey.clerk).post(
        url("assignment-reply", acknowledged),
        {"outcome": "resolved", "body": "见附件。", "letter": letter},
    )
    assert response.status_code == 302
    reply = Reply.objects.get(assignment=acknowledged)
    assert reply.letter.name.endswith(".png")
    assert reply.letter_name == "答复函.png"
    download = client_for(journey.deputy).get(url("reply-letter", reply))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG


def test_reply_with_a_fake_pdf_is_refused(journey, acknowledged, unchanged, settings):
    """A file that only claims to be a PDF is refused next to the letter field (400)
    and nothing is written, not even the file."""
    fake = SimpleUploadedFile(
        "letter.pdf", b"MZ not a pdf", content_type="application/pdf"
    )
    with unchanged(acknowledged, acknowledged.suggestion):
        response = client_for(journey.clerk).post(
            url("assignment-reply", acknowledged),
            {"outcome": "resolved", "body": "见附件。", "letter": fake},
        )
    assert response.status_code == 400
    assert response.context["action_forms"]["reply"].errors["letter"] == [
        "The letter must be a PDF, Word document, JPEG or PNG image."
    ]
    assert 'id="reply_letter_error"' in response.content.decode()
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_fulfil_reports_a_promise_kept(journey, assigned):
    """A lead reply classed in progress can be reported kept, once."""
    journey.reply(outcome=Outcome.IN_PROGRESS)
    assignment = journey.lead_assignment()
    client = client_for(journey.clerk)
    page = client.get(url("assignment-detail", assignment)).content.decode()
    assert 'data-action="fulfil"' in page
    response = client.post(
        url("assignment-fulfil", assignment), {"note": "道路已全部完工。"}
    )
    assert response.status_code == 302
    reply = Reply.objects.get(assignment=assignment)
    assert reply.fulfilled_at is not None
    assert reply.fulfilment_note == "道路已全部完工。"
    page = client.get(url("assignment-detail", assignment)).content.decode()
    assert 'data-action="fulfil"' not in page


def test_a_resolved_reply_is_no_promise(journey, assigned, unchanged):
    """Fulfil is offered only for in-progress replies; otherwise it says why not."""
    journey.reply(outcome=Outcome.RESOLVED)
    assignment = journey.lead_assignment()
    with unchanged(assignment.reply):
        response = client_for(journey.clerk).post(
            url("assignment-fulfil", assignment), {"note": "完成。"}
        )
    assert messages_of(response) == [
        ("error", "Only a lead reply classed in progress is a promise.")
    ]


# --- the unit card on the suggestion page ---------------------------------------------


def test_suggestion_page_shows_the_units_card(journey, assigned, other_clerk):
    """The unit sees its assignment card with the deadline light and a link to the
    assignment page; nobody else does."""
    response = client_for(journey.clerk).get(url("detail", journey.suggestion))
    page = response.content.decode()
    assert 'data-testid="unit-panel"' in page
    assert url("assignment-detail", assigned) in page
    assert 'data-deadline="' in page
    page = client_for(journey.deputy).get(url("detail", journey.suggestion))
    assert 'data-testid="unit-panel"' not in page.content.decode()


# --- reply letters --------------------------------------------------------------------


@pytest.fixture
def lettered(journey_with_co_unit):
    """A replied suggestion whose lead reply and co-unit opinion both have letters."""
    journey = journey_with_co_unit
    journey.to(Status.ASSIGNED)
    co = journey.co_assignment()
    services.assignment_acknowledge(assignment_id=co.pk, actor=journey.co_clerk)
    opinion = services.assignment_reply(
        assignment_id=co.pk,
        actor=journey.co_clerk,
        outcome="resolved",
        body="意见。",
        letter=SimpleUploadedFile("opinion.png", PNG),
    )
    reply = journey.reply(letter=SimpleUploadedFile("reply.png", PNG))
    return journey, reply, opinion


def test_letters_reach_the_deputies_and_the_units_only(
    lettered, other_clerk, other_deputy
):
    """The deputies and the units handling it download the reply letter; another
    unit and another deputy get 404; the co-unit's opinion is for the units only."""
    journey, reply, opinion = lettered
    for user in (journey.deputy, journey.clerk, journey.co_clerk):
        assert client_for(user).get(url("reply-letter", reply)).status_code == 200
    for user in (other_clerk, other_deputy, None):
        assert client_for(user).get(url("reply-letter", reply)).status_code == 404
    assert (
        client_for(journey.clerk).get(url("reply-letter", opinion)).status_code == 200
    )
    assert (
        client_for(journey.deputy).get(url("reply-letter", opinion)).status_code == 404
    )


def test_anyone_downloads_a_published_reply_letter(lettered, other_deputy):
    """Once staff publish the reply, anyone may download its letter, not the
    co-unit's opinion."""
    journey, reply, opinion = lettered
    services.suggestion_publish(
        suggestion_id=journey.suggestion.pk, actor=journey.staff, is_public=True
    )
    for user in (None, other_deputy):
        response = client_for(user).get(url("reply-letter", reply))
        assert response.status_code == 200
        assert response["X-Content-Type-Options"] == "nosniff"
    assert client_for().get(url("reply-letter", opinion)).status_code == 404


# --- leaders --------------------------------------------------------------------------


def test_leader_navigation_and_workbench(leader):
    """A leader's header links to the key supervised list and the workbench shows
    the key suggestions' progress, each link answering."""
    SuggestionFactory(assigned=True, key_supervised=True)
    client = client_for(leader)
    response = client.get(reverse("suggestions:workbench"))
    page = response.content.decode()
    key_url = url("key-supervised")
    assert f'href="{key_url}"' in page
    assert 'data-testid="leader-key"' in page
    assert response.context["counts"]["leader"]["key"] == 1
    for query in ("", "?status=assigned&status=rehandling", "?overdue=true"):
        assert client.get(key_url + query).status_code == 200


def test_key_supervised_list_shows_only_key_suggestions(leader):
    """The key list holds the key supervised filed suggestions and nothing else."""
    key = SuggestionFactory(assigned=True, key_supervised=True)
    SuggestionFactory(assigned=True)
    SuggestionFactory(submitted=True, key_supervised=True)  # not filed: not counted
    response = client_for(leader).get(url("key-supervised"))
    assert response.status_code == 200
    assert [s.pk for s in response.context["page_obj"]] == [key.pk]


def test_leader_reads_but_cannot_act(journey, assigned, leader, unchanged):
    """A leader opens the suggestion and the assignment pages read-only; a unit
    action is refused with a message and changes nothing."""
    client = client_for(leader)
    assert client.get(url("detail", journey.suggestion)).status_code == 200
    response = client.get(url("assignment-detail", assigned))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="read-only"' in page
    # The page's own tools (sign out, text size, print) are not actions on it.
    for tool in ("logout", "text-size", "print"):
        page = page.replace(f'data-action="{tool}"', "")
    assert "data-action=" not in page
    with unchanged(assigned):
        response = client.post(url("assignment-acknowledge", assigned))
    assert response.status_code == 302
    assert messages_of(response) == [("error", "Only the handling unit may do this.")]


def test_round_two_page_shows_the_earlier_reply_and_rating(journey):
    """In re-handling the unit reads the first reply and why the deputy was not
    satisfied."""
    journey.to(Status.REHANDLING)
    second = journey.lead_assignment()
    assert second.round == 2
    first = Assignment.objects.get(suggestion=journey.suggestion, round=1)
    response = client_for(journey.clerk).get(url("assignment-detail", second))
    page = response.content.decode()
    assert response.context["earlier_replies"] == [first.reply]
    assert "问题没有解决。" in page
    assert 'data-action="acknowledge"' in page

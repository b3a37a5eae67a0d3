"""The admin site: every model has a working changelist and detail page, changelists
take a fixed number of queries whatever the number of rows, and the workflow models
cannot be changed around the services."""

import datetime as dt
import itertools

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from congress.models import HandlingRules, Session
from suggestions import services
from suggestions.intake import index as intake_index
from suggestions.models import (
    AdjustmentKind,
    AdjustmentRequest,
    ContactMethod,
    Event,
    Outcome,
    PublishedCount,
    Reply,
    Status,
    Suggestion,
    SupervisionKind,
)
from tests import factories as f

OUR_APPS = ("accounts", "congress", "suggestions")


def our_models():
    return [m for app in OUR_APPS for m in apps.get_app_config(app).get_models()]


def url(model, view: str, *args) -> str:
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


def build_world() -> dict:
    """One key suggestion through the real services from draft to closed (with a
    co-unit, a contact, an extension request, its leaders and a supervision visit,
    and a published reply), plus the reference data that has no suggestion: rules, a
    calendar day, a heartbeat, a leader, a sealed session."""
    journey = f.Journey(co_unit=True)
    f.HandlingRulesFactory(congress=journey.session.congress)
    journey.create()
    journey.submit()
    journey.register()
    leader = f.LeaderFactory()
    journey.assign(key_supervised=True, supervising_leader=leader)
    services.suggestion_set_leaders(
        suggestion_id=journey.suggestion.pk,
        actor=journey.staff,
        leading_leader_name="王建华",
        leading_leader_post="州人民政府副州长",
        supervising_leader=leader,
    )
    services.suggestion_record_supervision(
        suggestion_id=journey.suggestion.pk,
        actor=leader,
        kind=SupervisionKind.VISIT,
        held_on=timezone.localdate(),
        place="奇台县",
        participants="州人大常委会领导",
        notes="实地查看",
    )
    lead = journey.lead_assignment()
    services.assignment_acknowledge(assignment_id=lead.pk, actor=journey.clerk)
    services.assignment_record_contact(
        assignment_id=lead.pk,
        actor=journey.clerk,
        method=ContactMethod.VISIT,
        contacted_at=timezone.now(),
        note="上门面商",
    )
    services.assignment_file_plan(
        assignment_id=lead.pk,
        actor=journey.clerk,
        responsible_leader="王副局长",
        officer="李明",
        officer_phone="0994-2345678",
        measures="实地调研。",
        milestones=[{"title": "完成实地调研", "due_on": timezone.localdate()}],
        complete_by=lead.due_at,
    )
    services.assignment_report_progress(
        assignment_id=lead.pk, actor=journey.clerk, note="已完成实地调研。"
    )
    request = services.assignment_request_extension(
        assignment_id=lead.pk,
        actor=journey.clerk,
        reason="涉及多个部门，需要更多时间。",
        until=lead.due_at + dt.timedelta(days=20),
    )
    services.adjustment_approve(request_id=request.pk, actor=journey.staff)
    co = journey.co_assignment()
    services.assignment_acknowledge(assignment_id=co.pk, actor=journey.co_clerk)
    services.assignment_reply(
        assignment_id=co.pk,
        actor=journey.co_clerk,
        outcome=Outcome.RESOLVED,
        body="协办意见",
    )
    journey.reply(
        outcome=Outcome.IN_PROGRESS,
        promises=[{"text": "年内完工", "due_on": dt.date(2030, 6, 30)}],
    )
    # Rated on site at an evaluation meeting (现场测评), from the signed form.
    meeting = services.evaluation_meeting_create(
        actor=journey.staff,
        session=journey.session,
        held_on=timezone.localdate(),
        place="常委会会议室",
        deputies=[journey.deputy.deputy_profile.pk],
        units=[journey.unit.pk],
    )
    services.evaluation_meeting_rate(
        meeting_id=meeting.pk,
        actor=journey.staff,
        suggestion_id=journey.suggestion.pk,
        deputy_id=journey.deputy.deputy_profile.pk,
        attitude="satisfied",
        result="satisfied",
        form_scan=SimpleUploadedFile(
            "征询意见表.png",
            b"\x89PNG\r\n\x1a\n" + b"\x00" * 25,
            content_type="image/png",
        ),
    )
    services.suggestion_publish(
        suggestion_id=journey.suggestion.pk, actor=journey.staff, is_public=True
    )
    f.CalendarDayFactory()
    f.WorkerHeartbeatFactory()
    # A past session, sealed once its review was final.
    past = f.SessionFactory(congress=journey.session.congress, year=2025)
    services.session_seal(session_id=past.pk, actor=journey.staff)
    # The smart intake's index of the body, as its first question builds it.
    intake_index.build(journey.session.congress.body_id)
    return {"journey": journey, "suggestion": journey.refresh()}


@pytest.fixture
def world(db):
    return build_world()


def test_every_model_of_ours_is_registered():
    """No model of the three apps is missing from the admin."""
    missing = [m.__name__ for m in our_models() if not admin.site.is_registered(m)]
    assert missing == []


@pytest.mark.parametrize("model", our_models(), ids=lambda m: m.__name__)
def test_changelist_and_detail_page_answer(admin_client, world, model):
    """As a superuser, the changelist, a search and an object's page answer 200."""
    assert admin_client.get(url(model, "changelist")).status_code == 200
    assert admin_client.get(url(model, "changelist"), {"q": "1"}).status_code == 200
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None, f"the test world has no {model.__name__}"
    response = admin_client.get(url(model, "change", obj.pk))
    assert response.status_code == 200


def test_suggestion_filters_answer(admin_client, world):
    suggestion = world["suggestion"]
    for params in [
        {"session": suggestion.session_id},
        {"status__exact": "closed", "deadline": "overdue"},
        {"deadline": "open"},
        {"q": str(suggestion.number)},
        {"submitted_at__year": suggestion.submitted_at.year},
    ]:
        response = admin_client.get(url(Suggestion, "changelist"), params)
        assert response.status_code == 200, params
    response = admin_client.get(url(Suggestion, "changelist"), {"q": suggestion.number})
    assert suggestion.title in response.content.decode()


def test_suggestion_page_shows_the_timeline(admin_client, world):
    suggestion = world["suggestion"]
    response = admin_client.get(url(Suggestion, "change", suggestion.pk))
    content = response.content.decode()
    actions = list(suggestion.events.values_list("action", flat=True))
    assert {"submit", "register", "assign", "reply", "evaluate"} <= set(actions)
    for action in ("register", "evaluate"):
        assert action in content
    # The inlines are read-only: no inline form fields to post.
    assert 'name="events-0-note"' not in content
    assert 'name="assignments-0-due_at"' not in content


def test_drafts_stay_with_their_deputy(admin_client, db):
    """A deputy's draft is not shown even to a superuser (DESIGN.md §2)."""
    draft = f.SuggestionFactory(title="草稿：不给别人看")
    response = admin_client.get(url(Suggestion, "changelist"))
    assert draft.title not in response.content.decode()
    response = admin_client.get(url(Suggestion, "change", draft.pk))
    assert response.status_code == 302  # the admin's "no such object" redirect
    response = admin_client.get(url(Event, "changelist"))
    assert draft.title not in response.content.decode()


def test_users_are_listed_with_their_roles(admin_client, world):
    """The role filter and column follow what each account is linked to."""
    journey = world["journey"]
    leader = User.objects.filter(memberships__role="leader").get()
    changelist = url(User, "changelist")
    for role, member, outsider in [
        ("staff", journey.staff, journey.clerk),
        ("leader", leader, journey.staff),
        ("unit", journey.clerk, journey.deputy),
        ("deputy", journey.deputy, journey.clerk),
    ]:
        response = admin_client.get(changelist, {"role": role})
        listed = set(response.context["cl"].result_list)
        assert member in listed, role
        assert outsider not in listed, role
    model_admin = admin.site._registry[User]
    rows = {u.pk: u for u in admin_client.get(changelist).context["cl"].result_list}
    for user, role in [(journey.deputy, Role.DEPUTY), (journey.clerk, Role.UNIT)]:
        assert model_admin.role_list(rows[user.pk]) == str(role.label)


# --- the workflow cannot be bypassed ------------------------------------------------


WORKFLOW_MODELS = [
    "Suggestion",
    "CoSignature",
    "Assignment",
    "AdjustmentRequest",
    "ContactRecord",
    "HandlingPlan",
    "PlanMilestone",
    "ProgressReport",
    "Evaluation",
    "Event",
    "HandlingLeader",
    "SupervisionActivity",
    "Promise",
]


@pytest.mark.parametrize("name", WORKFLOW_MODELS)
def test_workflow_models_are_view_only(admin_client, world, name):
    """No add, change or delete page for the models the services write."""
    model = apps.get_model("suggestions", name)
    model_admin = admin.site._registry[model]
    request = admin_client.get(url(model, "changelist")).wsgi_request
    obj = model._default_manager.order_by("pk").first()
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, obj)
    assert not model_admin.has_delete_permission(request, obj)
    assert admin_client.get(url(model, "add")).status_code == 403
    assert admin_client.get(url(model, "delete", obj.pk)).status_code == 403
    assert admin_client.post(url(model, "change", obj.pk), {}).status_code == 403


def test_suggestion_status_cannot_be_posted(admin_client, world):
    suggestion = world["suggestion"]
    response = admin_client.post(
        url(Suggestion, "change", suggestion.pk),
        {"status": Status.DRAFT, "title": "改掉"},
    )
    assert response.status_code == 403
    suggestion.refresh_from_db()
    assert suggestion.status == Status.CLOSED


def test_reply_allows_only_its_public_summary(admin_client, world):
    """Staff may word a reply's public summary; nothing else of it changes."""
    reply = Reply.objects.get(is_lead=True)
    response = admin_client.post(
        url(Reply, "change", reply.pk),
        {
            "public_summary": "已完成改造。",
            "outcome": Outcome.EXPLAINED,
            "body": "改写",
            "is_public": "",
        },
    )
    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.public_summary == "已完成改造。"
    assert reply.outcome == Outcome.IN_PROGRESS
    assert reply.body != "改写"
    assert reply.is_public is True
    assert admin_client.get(url(Reply, "add")).status_code == 403
    assert admin_client.get(url(Reply, "delete", reply.pk)).status_code == 403


def test_publish_action_goes_through_the_service(admin_client, world):
    suggestion = world["suggestion"]
    events_before = suggestion.events.count()
    response = admin_client.post(
        url(Suggestion, "changelist"),
        {"action": "unpublish_replies", "_selected_action": [suggestion.pk]},
        follow=True,
    )
    assert response.status_code == 200
    suggestion.refresh_from_db()
    assert suggestion.is_public is False
    assert not Reply.objects.filter(is_lead=True, is_public=True).exists()
    assert suggestion.events.count() == events_before + 1
    assert suggestion.events.order_by("-pk").first().action == "publish"


def test_publish_action_reports_a_wrong_state(admin_client, db):
    """An action on a suggestion the workflow forbids it for says so, changes nothing."""
    submitted = f.SuggestionFactory(submitted=True)
    response = admin_client.post(
        url(Suggestion, "changelist"),
        {"action": "publish_replies", "_selected_action": [submitted.pk]},
        follow=True,
    )
    assert response.status_code == 200
    submitted.refresh_from_db()
    assert submitted.is_public is False
    shown = [str(m) for m in response.context["messages"]]
    assert len(shown) == 1
    assert str(submitted.pk) in shown[0]


def test_adjustment_requests_cannot_be_decided_in_the_admin(admin_client, db):
    request = f.AdjustmentRequestFactory(kind=AdjustmentKind.REASSIGNMENT)
    response = admin_client.post(
        url(AdjustmentRequest, "change", request.pk), {"decision": "approved"}
    )
    assert response.status_code == 403
    request.refresh_from_db()
    assert request.decision == "pending"


# --- reference data is editable, with the model's validation --------------------------


def rules_form(rules: HandlingRules, **changes) -> dict:
    data = {
        "congress": rules.congress_id,
        "reply_months": rules.reply_months,
        "complex_reply_months": rules.complex_reply_months,
        "max_extension_months": rules.max_extension_months,
        "co_unit_opinion_months": rules.co_unit_opinion_months,
        "rehandling_reply_months": rules.rehandling_reply_months,
        "reassignment_window_working_days": rules.reassignment_window_working_days,
        "rating_window_working_days": rules.rating_window_working_days,
        "contact_reminder_working_days": rules.contact_reminder_working_days,
        "max_rehandling_rounds": rules.max_rehandling_rounds,
        "lead_reply_before_co_opinions": rules.lead_reply_before_co_opinions,
        "rating_sends_back": rules.rating_sends_back,
        "offered_outcomes": list(rules.offered_outcomes),
    }
    data.update(changes)
    return data


def test_handling_rules_are_editable(admin_client, db):
    rules = f.HandlingRulesFactory()
    response = admin_client.post(
        url(HandlingRules, "change", rules.pk),
        rules_form(
            rules,
            reply_months=2,
            rating_sends_back="either",
            offered_outcomes=["resolved", "in_progress", "explained", "reference"],
        ),
    )
    assert response.status_code == 302
    rules.refresh_from_db()
    assert rules.reply_months == 2
    assert rules.rating_sends_back == "either"
    assert rules.offered_outcomes == [
        "resolved",
        "in_progress",
        "explained",
        "reference",
    ]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"offered_outcomes": ["in_progress", "explained"]}, "offered_outcomes"),
        ({"offered_outcomes": []}, "offered_outcomes"),
        ({"reply_months": 0}, "reply_months"),
        ({"reply_months": 6, "max_extension_months": 3}, None),
    ],
)
def test_handling_rules_are_validated(admin_client, db, changes, field):
    """The model's clean (reply classes) and its constraints run on the admin form."""
    rules = f.HandlingRulesFactory()
    response = admin_client.post(
        url(HandlingRules, "change", rules.pk), rules_form(rules, **changes)
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert not form.is_valid()
    if field:
        assert field in form.errors
    rules.refresh_from_db()
    assert rules.reply_months == 3
    assert rules.offered_outcomes == ["resolved", "in_progress", "explained"]


# --- query counts -----------------------------------------------------------------------


def count_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


TRAITS = itertools.cycle(
    ["submitted", "registered", "assigned", "replied", "closed", "rehandling"]
)


def add_suggestions(n: int) -> None:
    for _ in range(n):
        trait = next(TRAITS)
        deputy = f.DeputyFactory()
        f.SuggestionFactory(
            **{trait: True},
            session__congress=deputy.delegation.congress,
            lead_deputy=deputy,
            key_supervised=trait == "closed",
        )


def test_suggestion_changelist_queries_do_not_grow_with_rows(admin_client, db):
    """2 rows or 20: the same number of queries (each row's session, congress,
    category, lead deputy and unit come joined, not one query per row)."""
    path = url(Suggestion, "changelist")
    add_suggestions(2)
    admin_client.get(path)  # warm the session and content-type caches
    few = count_queries(admin_client, path)
    add_suggestions(18)
    assert Suggestion.objects.exclude(status=Status.DRAFT).count() == 20
    many = count_queries(admin_client, path)
    assert many == few


def test_every_changelist_queries_do_not_grow_with_rows(admin_client, db):
    """One world or three: each changelist asks the same number of queries."""
    paths = {m.__name__: url(m, "changelist") for m in our_models()}
    build_world()
    for path in paths.values():
        admin_client.get(path)  # warm the caches
    one = {name: count_queries(admin_client, path) for name, path in paths.items()}
    build_world()
    build_world()
    three = {name: count_queries(admin_client, path) for name, path in paths.items()}
    assert three == one


def test_marking_a_session_current_in_the_admin_moves_the_mark(admin_client, db):
    """The admin keeps "one current session per congress" by the same service as the
    API: the other session is unmarked, not refused by the database's constraint."""
    old = f.SessionFactory(is_current=True)
    new = f.SessionFactory(congress=old.congress, year=2027, is_current=False)
    response = admin_client.post(
        url(Session, "change", new.pk),
        {
            "congress": new.congress_id,
            "ordinal": new.ordinal,
            "year": new.year,
            "opened_on": new.opened_on.isoformat(),
            "is_current": "on",
        },
    )
    assert response.status_code == 302, response.content[:500]
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.is_current, new.is_current) == (False, True)


# --- nobody locks the administration out ---------------------------------------------


def _user_form_data(client, user: User, **changes) -> dict:
    """The user's change form as the admin shows it, with ``changes``; a false
    checkbox is left out, as a browser does."""
    form = client.get(url(User, "change", user.pk)).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = changes.get(name, form.initial.get(name))
        if value is None or value is False:
            continue
        if isinstance(value, list | tuple) or hasattr(value, "all"):
            data[name] = [getattr(v, "pk", v) for v in value]
        else:
            data[name] = getattr(value, "pk", value)
    return data


@pytest.fixture
def staff_admin(db, client):
    """An admin-site user who may change accounts but is no superuser."""
    from django.contrib.auth.models import Permission

    user = f.StaffFactory(is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="accounts",
            codename__in=["view_user", "change_user"],
        )
    )
    client.force_login(user)
    return client


def test_a_staff_admin_cannot_change_a_superuser(staff_admin, db):
    # A superuser who is staff of the admin user's body too (so found there).
    root = f.StaffFactory(is_superuser=True, is_staff=True)
    response = staff_admin.post(url(User, "change", root.pk), {"username": "x"})
    assert response.status_code == 403
    root.refresh_from_db()
    assert root.is_active and root.username != "x"
    # Nor makes a superuser: the switch is read-only for them.
    clerk = f.UnitMemberFactory()
    form = staff_admin.get(url(User, "change", clerk.pk)).context["adminform"].form
    assert "is_superuser" not in form.fields


def test_a_staff_admin_can_deactivate_an_ordinary_account(staff_admin, db):
    clerk = f.UnitMemberFactory()
    data = _user_form_data(staff_admin, clerk, is_active=False)
    response = staff_admin.post(url(User, "change", clerk.pk), data)
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert not clerk.is_active


def test_the_admin_keeps_the_last_superuser(admin_client, db):
    root = User.objects.get(is_superuser=True)
    data = _user_form_data(admin_client, root, is_active=False)
    response = admin_client.post(url(User, "change", root.pk), data)
    assert response.status_code == 200
    assert "is_active" in response.context["adminform"].form.errors
    assert "最后一个启用的超级用户" in response.content.decode()
    root.refresh_from_db()
    assert root.is_active


def test_an_admin_user_who_is_no_congress_staff_administers_no_account(client, db):
    """An admin-site user who is congress staff of no body (only ``is_staff`` and
    the permission) finds no account to change: accounts are administered per body
    (the last congress staff account is kept by the service's rule, asked by the
    form: tests/api/test_errors.py)."""
    from django.contrib.auth.models import Permission

    keeper = f.UserFactory(is_staff=True)
    keeper.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="accounts",
            codename__in=["view_user", "change_user"],
        )
    )
    client.force_login(keeper)
    lone = f.StaffFactory()
    assert client.get(url(User, "changelist")).context["cl"].result_count == 0
    response = client.post(url(User, "change", lone.pk), {"is_active": ""})
    assert response.status_code == 302  # "not found", back to the index
    lone.refresh_from_db()
    assert lone.is_active


# --- an admin user of one congress body ------------------------------------------------


@pytest.fixture
def county_admin(db, client):
    """An ``is_staff`` user who is congress staff of the county only, with every
    permission of the two apps (what the rows are limited by is the body), plus a
    row of each model in the prefecture and in the county."""
    from django.contrib.auth.models import Permission

    from accounts.models import BodyRole, Membership
    from congress.models import CongressLevel

    prefecture = f.CongressBodyFactory()
    county = f.CongressBodyFactory(
        region="玛纳斯县", level=CongressLevel.COUNTY, parent=prefecture
    )
    user = f.UserFactory(is_staff=True)
    Membership.objects.create(user=user, body=county, role=BodyRole.STAFF)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["congress", "suggestions"]
        )
    )
    rows = {}
    for name, body in (("theirs", prefecture), ("ours", county)):
        session = f.SessionFactory(congress=f.CongressFactory(body=body))
        rows[name] = {
            "body": body,
            "congress": session.congress,
            "session": session,
            "unit": f.HandlingUnitFactory(body=body, name=f"{body.region}教育局"),
            "category": f.CategoryFactory(body=body, name=f"{body.region}类别"),
            "suggestion": f.SuggestionFactory(session=session, registered=True),
            "day": f.CalendarDayFactory(
                date=dt.date(2026, 5, 27), body=body, name=f"{body.region}假日"
            ),
        }
        # Rows reached by a one-to-one key: the published count, the index.
        f.SuggestionFactory(session=session, closed=True, is_public=True)
        rows[name]["published"] = PublishedCount.objects.get(session=session)
        rows[name]["index"] = intake_index.build(body.pk)
    client.force_login(user)
    return client, rows


@pytest.mark.parametrize(
    "key",
    [
        "body",
        "congress",
        "session",
        "unit",
        "category",
        "suggestion",
        "day",
        "published",
        "index",
    ],
)
def test_an_admin_user_sees_only_their_bodys_rows(county_admin, key):
    """The changelist lists the county's row, not the prefecture's; the
    prefecture's change page is "not found" (the admin's redirect)."""
    client, rows = county_admin
    ours, theirs = rows["ours"][key], rows["theirs"][key]
    model = type(ours)
    response = client.get(url(model, "changelist"))
    assert response.status_code == 200
    shown = {obj.pk for obj in response.context["cl"].result_list}
    assert ours.pk in shown
    assert theirs.pk not in shown
    assert client.get(url(model, "change", ours.pk)).status_code == 200
    response = client.get(url(model, "change", theirs.pk))
    assert response.status_code == 302
    assert response.url == reverse("admin:index")


def test_an_admin_user_chooses_only_their_bodys_rows(county_admin):
    """A session's congress, a unit's body and a calendar day's body are chosen
    among the county's; the national days are shown but not changed."""
    client, rows = county_admin
    ours, theirs = rows["ours"], rows["theirs"]
    for model, field, row in (
        (Session, "congress", "congress"),
        (type(ours["unit"]), "body", "body"),
        (type(ours["day"]), "body", "body"),
    ):
        form = client.get(url(model, "add")).context["adminform"].form
        choices = set(form.fields[field].queryset.values_list("pk", flat=True))
        assert choices == {ours[row].pk}, model
        assert theirs[row].pk not in choices
    national = f.CalendarDayFactory(date=dt.date(2026, 10, 1), name="国庆节")
    response = client.get(url(type(national), "changelist"))
    assert national.pk in {obj.pk for obj in response.context["cl"].result_list}
    response = client.post(
        url(type(national), "change", national.pk),
        {"date": "2026-10-02", "is_working_day": "on", "name": "改"},
    )
    assert response.status_code == 403
    national.refresh_from_db()
    assert national.date == dt.date(2026, 10, 1)

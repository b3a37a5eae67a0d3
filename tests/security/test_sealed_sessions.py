"""Closed sessions stay closed (issue 13, item 1).

Only the session open for intake (the congress's current one, unless sealed) takes
new suggestions: the form offers only it, the API refuses any other with 400 on
``session``. Once staff seal a session, every change to its suggestions is refused
with 409 ``session_sealed`` through the API and with a message on the pages, the
pages and ``allowed_actions`` stop offering them, and its figures stay as they
were; reopening needs a reason, is recorded, and makes the actions work again.
"""

import datetime as dt

import pytest
from django.contrib.messages import get_messages

from common import clock
from congress.models import SealingAction, Session, SessionSealing
from congress.services import session_save
from dashboard.engine import Scope, compute
from suggestions import services
from suggestions.actions import (
    assignment_actions,
    request_actions,
    suggestion_actions,
)
from suggestions.models import (
    AdjustmentRequest,
    Assignment,
    CoSignature,
    Decision,
    Evaluation,
    Event,
    Reply,
    Suggestion,
)
from tests.forms import FormClient

from ..api.conftest import client_as
from ..api.test_allowed_actions import (
    ROLES,
    _assignment_body,
    _build,
    _suggestion_body,
)
from ..conftest import NOW
from ..factories import (
    CongressFactory,
    SessionFactory,
    StaffFactory,
    deputy_user,
)

pytestmark = pytest.mark.django_db

# Publishing a reviewed reply changes no counted figure; editing a draft is how its
# deputy moves it to the open session. Every other action is refused when sealed.
STILL_ALLOWED = {"publish", "edit"}


def _next_session(session: Session) -> Session:
    """A newer session of the same congress made current: ``session`` closes."""
    newer = SessionFactory(congress=session.congress, year=2027)
    newer.is_current = True
    session_save(session=newer)
    session.refresh_from_db()
    return newer


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- the intake window ---------------------------------------------------------


@pytest.fixture
def sessions(db, now):
    """A past session (2022) and the current one, of the shared congress, and a
    deputy of that congress."""
    congress = CongressFactory()
    past = SessionFactory(congress=congress, year=2022, opened_on=dt.date(2022, 1, 4))
    current = SessionFactory(congress=congress, is_current=True)
    deputy = deputy_user(delegation__congress=congress)
    return past, current, deputy


def test_the_new_suggestion_form_offers_only_the_open_session(sessions):
    """The form lists the current session alone, preselected, and a post into the
    past session is refused at the field, writing nothing."""
    past, current, deputy = sessions
    client = FormClient(headers={"accept-language": "en"})
    client.force_login(deputy)
    response = client.get("/suggestions/new/")
    field = response.context["form"]["session"]
    assert [s.pk for s in field.field.queryset] == [current.pk]
    assert field.value() == current.pk
    assert f'value="{past.pk}"' not in str(field)
    response = client.post(
        "/suggestions/new/",
        {"session": past.pk, "title": "关于修路的建议", "body": "请修路。"},
    )
    assert response.status_code == 400
    assert "session" in response.context["form"].errors
    assert not Suggestion.objects.exists()


def test_the_api_refuses_a_suggestion_for_a_session_not_open(sessions):
    """POST into 2022 → 400 on ``session``; into the current session → 201."""
    past, current, deputy = sessions
    client = client_as(deputy)
    body = {"title": "关于修路的建议", "body": "请修路。"}
    response = client.post(
        "/api/v1/suggestions/", {**body, "session": past.pk}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["session"]
    assert not Suggestion.objects.exists()
    response = client.post(
        "/api/v1/suggestions/", {**body, "session": current.pk}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["session"]["id"] == current.pk


def test_a_sealed_current_session_takes_no_suggestion(sessions):
    """A session marked current but sealed is not open for intake either."""
    _past, current, deputy = sessions
    Session.objects.filter(pk=current.pk).update(
        sealed_at=NOW, sealed_by=StaffFactory()
    )
    current.refresh_from_db()
    assert current.accepts_suggestions is False
    assert not Session.objects.accepting_suggestions().filter(pk=current.pk).exists()
    response = client_as(deputy).post(
        "/api/v1/suggestions/",
        {"session": current.pk, "title": "关于修路的建议", "body": "请修路。"},
        format="json",
    )
    assert response.status_code == 400
    assert "session" in response.json()


def test_a_draft_moves_only_to_the_open_session(sessions):
    """PATCH with a session that takes no suggestions → 400 on ``session``; with
    the open one, the draft moves."""
    past, current, deputy = sessions
    draft = services.suggestion_create(
        actor=deputy, session=current, title="关于修路的建议", body="请修路。"
    )
    client = client_as(deputy)
    url = f"/api/v1/suggestions/{draft.pk}/"
    response = client.patch(url, {"session": past.pk}, format="json")
    assert response.status_code == 400
    assert "session" in response.json()
    draft.refresh_from_db()
    assert draft.session_id == current.pk
    # The draft's session closes: submitting is refused until the draft moves.
    newer = _next_session(current)
    response = client.post(f"{url}submit/", format="json")
    assert response.status_code == 409
    assert "no longer accepts" in response.json()["detail"]
    assert client.patch(url, {"session": newer.pk}, format="json").status_code == 200
    assert client.post(f"{url}submit/", format="json").status_code == 200
    draft.refresh_from_db()
    assert draft.session_id == newer.pk


def test_the_edit_page_moves_a_stale_draft_to_the_open_session(sessions):
    """A draft whose session closed: its edit page offers only the open session,
    and saving moves it there."""
    _past, current, deputy = sessions
    draft = services.suggestion_create(
        actor=deputy, session=current, title="关于修路的建议", body="请修路。"
    )
    newer = _next_session(current)
    client = FormClient(headers={"accept-language": "en"})
    client.force_login(deputy)
    url = f"/suggestions/{draft.pk}/edit/"
    field = client.get(url).context["form"]["session"]
    assert [s.pk for s in field.field.queryset] == [newer.pk]
    response = client.post(
        url, {"session": current.pk, "title": "关于修路的建议", "body": "请修路。"}
    )
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.session_id == current.pk
    response = client.post(
        url, {"session": newer.pk, "title": "关于修路的建议", "body": "请修路。"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.session_id == newer.pk


def test_the_refusal_to_submit_is_said_in_chinese(sessions):
    """A draft whose session stopped taking suggestions: a clear Chinese reason."""
    _past, current, deputy = sessions
    draft = services.suggestion_create(
        actor=deputy, session=current, title="关于修路的建议", body="请修路。"
    )
    _next_session(current)
    client = client_as(deputy)
    response = client.post(
        f"/api/v1/suggestions/{draft.pk}/submit/",
        format="json",
        headers={"accept-language": "zh-hans"},
    )
    assert response.status_code == 409
    assert "不再接收建议" in response.json()["detail"]


# --- sealing ------------------------------------------------------------------------


def _fingerprint(session) -> dict:
    """Everything a change to the session's suggestions would touch."""
    suggestions = Suggestion.objects.filter(session=session)
    return {
        "suggestions": list(
            suggestions.order_by("pk").values_list(
                "pk",
                "status",
                "round",
                "number",
                "category_id",
                "lead_unit_id",
                "due_at",
                "outcome",
                "rating",
                "key_supervised",
                "merged_into_id",
                "is_public",
            )
        ),
        "events": Event.objects.filter(suggestion__session=session).count(),
        "assignments": list(
            Assignment.objects.filter(suggestion__session=session)
            .order_by("pk")
            .values_list("pk", "active", "acknowledged_at", "replied_at", "due_at")
        ),
        "requests": list(
            AdjustmentRequest.objects.filter(assignment__suggestion__session=session)
            .order_by("pk")
            .values_list("pk", "decision")
        ),
        "replies": Reply.objects.filter(assignment__suggestion__session=session)
        .exclude(fulfilled_at=None)
        .count(),
        "all_replies": Reply.objects.filter(
            assignment__suggestion__session=session
        ).count(),
        "evaluations": Evaluation.objects.filter(suggestion__session=session).count(),
        "cosigned": CoSignature.objects.filter(suggestion__session=session)
        .exclude(signed_at=None)
        .count(),
    }


def _figures(session) -> dict:
    return compute(Scope.of_session(session), NOW.date())["totals"]


@pytest.fixture
def world(now):
    """A suggestion in every status (``tests/api/test_allowed_actions``), all of
    the congress's current session."""
    return _build()


def _close(world) -> Session:
    """A newer session becomes current, so that the world's one can be sealed."""
    session = world.journey.session
    _next_session(session)
    return session


def _seal(world) -> Session:
    session = _close(world)
    services.session_seal(session_id=session.pk, actor=world.journey.staff)
    return session


def _allowed_everywhere(world) -> list[tuple[str, str, object]]:
    """(role, action, object) for every action someone may take now."""
    found = []
    for role in ROLES:
        user = world.users[role]
        if user is None:
            continue
        for suggestion in world.suggestions.values():
            s = Suggestion.objects.get(pk=suggestion.pk)
            found += [(role, a, s) for a in suggestion_actions(user, s)]
            for a in Assignment.objects.filter(suggestion=s).select_related(
                "suggestion"
            ):
                found += [(role, x, a) for x in assignment_actions(user, a)]
                for r in AdjustmentRequest.objects.filter(
                    assignment=a, decision=Decision.PENDING
                ).select_related("assignment__suggestion"):
                    found += [(role, x, r) for x in request_actions(user, r)]
    return found


def _api_call(world, action, obj):
    if isinstance(obj, Suggestion):
        base = f"/api/v1/suggestions/{obj.pk}/"
        if action == "edit":
            return "patch", base, _suggestion_body(world, action, obj)
        return "post", f"{base}{action}/", _suggestion_body(world, action, obj)
    if isinstance(obj, Assignment):
        return (
            "post",
            f"/api/v1/assignments/{obj.pk}/{action}/",
            _assignment_body(action, obj),
        )
    body = {"reason": "不同意。"} if action == "deny" else {}
    if action == "approve" and obj.kind == "reassignment":
        from ..factories import HandlingUnitFactory

        body = {"new_unit": HandlingUnitFactory().pk}
    return "post", f"/api/v1/adjustment-requests/{obj.pk}/{action}/", body


def test_sealing_refuses_every_change_through_the_api(world):
    """After the seal, each action that was allowed (but publication and editing a
    draft) answers 409 ``session_sealed`` with the date in its reason, none is
    offered any more, and neither the records nor the figures move."""
    before = _allowed_everywhere(world)
    session = _close(world)
    actions_before = {action for _, action, _ in before}
    # The world is rich enough: every action but key supervision (web only) is
    # allowed to someone before the seal.
    assert actions_before >= {
        "submit",
        "withdraw",
        "cosign",
        "register",
        "reject",
        "merge",
        "assign",
        "evaluate",
        "acknowledge",
        "request-reassignment",
        "request-extension",
        "contact",
        "reply",
        "fulfil",
        "approve",
        "deny",
    }
    staff = client_as(world.users["staff"])
    response = staff.post(f"/api/v1/sessions/{session.pk}/seal/", format="json")
    assert response.status_code == 200, response.content
    assert response.json()["sealed_at"] is not None
    assert response.json()["accepts_suggestions"] is False
    fingerprint, figures = _fingerprint(session), _figures(session)

    refused = set()
    failures = []
    for role, action, obj in before:
        if action in STILL_ALLOWED or action == "mark-key":
            continue
        method, url, body = _api_call(world, action, obj)
        response = getattr(client_as(world.users[role]), method)(
            url, body, format="json"
        )
        data = response.json()
        if response.status_code != 409 or data.get("code") != "session_sealed":
            failures.append(f"{role} {action} {url}: {response.status_code} {data}")
            continue
        assert "sealed on" in data["detail"]
        refused.add(action)
    assert failures == []
    assert refused == actions_before - STILL_ALLOWED - {"mark-key"}
    assert {a for _, a, _ in _allowed_everywhere(world)} <= STILL_ALLOWED
    assert _fingerprint(session) == fingerprint
    assert _figures(session) == figures


def test_sealing_refuses_changes_on_the_pages(world):
    """The web's forms meet the same refusal: a message naming the seal, nothing
    written; the detail page offers no action but publication."""
    session = _seal(world)
    j = world.journey
    fingerprint = _fingerprint(session)
    s = world.suggestions
    assigned = Assignment.objects.get(suggestion=s["assigned"], unit=j.unit)
    pending = AdjustmentRequest.objects.filter(
        assignment__suggestion=s["acknowledged, reassignment asked, opinion sent"],
        decision=Decision.PENDING,
    ).first()
    attempts = [
        (j.deputy, f"/suggestions/{s['draft'].pk}/submit/", {}),
        (j.deputy, f"/suggestions/{s['submitted'].pk}/withdraw/", {}),
        (
            j.staff,
            f"/suggestions/{s['submitted'].pk}/register/",
            {"category": j.category.pk},
        ),
        (
            j.staff,
            f"/suggestions/{s['submitted'].pk}/reject/",
            {"reason": "属于个人诉求。", "disposition": "returned"},
        ),
        (
            j.staff,
            f"/suggestions/{s['registered'].pk}/assign/",
            {"lead_unit": j.unit.pk, "complexity": "normal"},
        ),
        (j.clerk, f"/assignments/{assigned.pk}/acknowledge/", {}),
        (j.staff, f"/requests/{pending.pk}/deny/", {"reason": "不同意。"}),
        (
            j.deputy,
            f"/suggestions/{s['replied with a promise'].pk}/evaluate/",
            {"rating": "satisfied"},
        ),
    ]
    for user, url, data in attempts:
        client = FormClient(headers={"accept-language": "en"})
        client.force_login(user)
        response = client.post(url, data)
        assert response.status_code in (302, 400), (url, response.status_code)
        said = " ".join(_messages(response))
        if response.status_code == 400:
            said += response.content.decode()
        assert "sealed on" in said, (url, said)
    assert _fingerprint(session) == fingerprint
    client = FormClient(headers={"accept-language": "en"})
    client.force_login(j.staff)
    page = client.get(f"/suggestions/{s['submitted'].pk}/").content.decode()
    assert 'data-action="register"' not in page
    assert 'data-action="reject"' not in page


def test_publication_stays_possible_on_a_sealed_session(world):
    """Publishing a reviewed reply changes no counted figure: allowed when sealed."""
    _seal(world)
    closed = world.suggestions["closed"]
    response = client_as(world.users["staff"]).post(
        f"/api/v1/suggestions/{closed.pk}/publish/", {"is_public": True}, format="json"
    )
    assert response.status_code == 200


def test_reopen_needs_a_reason_is_recorded_and_actions_work_again(world):
    """Sealing twice → 409; reopening without a reason → 400; with one, both steps
    are on record (who, when, why) and the refused action is accepted again."""
    session = _close(world)
    j = world.journey
    staff = client_as(j.staff)
    seal_url = f"/api/v1/sessions/{session.pk}/seal/"
    reopen_url = f"/api/v1/sessions/{session.pk}/reopen/"
    with clock.frozen_at(NOW):
        assert (
            staff.post(seal_url, {"reason": "报告已定稿"}, format="json").status_code
            == 200
        )
    again = staff.post(seal_url, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "session_sealed"
    submitted = world.suggestions["submitted"]
    register = f"/api/v1/suggestions/{submitted.pk}/register/"
    body = {"category": j.category.pk}
    assert staff.post(register, body, format="json").status_code == 409
    for empty in ({}, {"reason": ""}, {"reason": "   "}):
        response = staff.post(reopen_url, empty, format="json")
        assert response.status_code == 400
        assert "reason" in response.json()
    session.refresh_from_db()
    assert session.sealed_at is not None
    response = staff.post(reopen_url, {"reason": "更正一件建议的分类。"}, format="json")
    assert response.status_code == 200
    assert response.json()["sealed_at"] is None
    records = list(SessionSealing.objects.filter(session=session).order_by("at", "pk"))
    assert [(r.action, r.actor, r.reason) for r in records] == [
        (SealingAction.SEAL, j.staff, "报告已定稿"),
        (SealingAction.REOPEN, j.staff, "更正一件建议的分类。"),
    ]
    assert records[0].at == NOW
    assert staff.post(register, body, format="json").status_code == 200
    assert (
        staff.post(reopen_url, {"reason": "再次启封"}, format="json").status_code == 409
    )


def test_the_current_session_cannot_be_sealed(db, now):
    """A session still taking suggestions has no final figures: 409."""
    session = SessionFactory(is_current=True)
    response = client_as(StaffFactory()).post(
        f"/api/v1/sessions/{session.pk}/seal/", format="json"
    )
    assert response.status_code == 409
    session.refresh_from_db()
    assert session.sealed_at is None


def test_only_staff_seal_and_reopen(db, now):
    """Deputies, units and leaders get 403 through the API and on the page;
    an unknown session is 404; nothing is sealed or recorded."""
    from ..factories import LeaderFactory, UnitMemberFactory

    session = SessionFactory()
    for user in (deputy_user(), UnitMemberFactory(), LeaderFactory()):
        client = client_as(user)
        assert (
            client.post(
                f"/api/v1/sessions/{session.pk}/seal/", format="json"
            ).status_code
            == 403
        )
        web = FormClient()
        web.force_login(user)
        assert (
            web.post(
                f"/dashboard/sessions/{session.pk}/seal/", {"confirm": "on"}
            ).status_code
            == 403
        )
    staff = client_as(StaffFactory())
    assert staff.post("/api/v1/sessions/999999/seal/", format="json").status_code == 404
    session.refresh_from_db()
    assert session.sealed_at is None
    assert not SessionSealing.objects.exists()


# --- pages ------------------------------------------------------------------------


def test_staff_seal_and_reopen_from_the_review_and_the_pages_say_so(db, now):
    """The review page's form seals (confirmation required) and reopens (reason
    required); the dashboard, the review and its .docx say 已封存 with the date."""
    import io

    from docx import Document

    staff = StaffFactory()
    past = SessionFactory(year=2025)
    client = FormClient()  # Chinese, the default
    client.force_login(staff)
    review = f"/dashboard/review/?session={past.pk}"
    page = client.get(review).content.decode()
    assert 'data-testid="seal-form"' in page
    assert "csrfmiddlewaretoken" in page
    # Without the confirmation nothing happens.
    client.post(f"/dashboard/sessions/{past.pk}/seal/", {})
    past.refresh_from_db()
    assert past.sealed_at is None
    with clock.frozen_at(dt.datetime(2026, 12, 4, 10, tzinfo=dt.UTC)):
        response = client.post(
            f"/dashboard/sessions/{past.pk}/seal/", {"confirm": "on"}
        )
    assert response.status_code == 302
    past.refresh_from_db()
    assert past.sealed_by == staff
    for url in (review, f"/dashboard/?session={past.pk}"):
        page = client.get(url).content.decode()
        assert 'data-testid="sealed"' in page
        assert "已封存" in page
        assert "本届次数据已于2026年12月4日封存" in page
    docx = client.get(f"/dashboard/review.docx?session={past.pk}")
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "本届次数据已于2026年12月4日封存" in text
    page = client.get(review).content.decode()
    assert 'data-testid="reopen-form"' in page
    client.post(f"/dashboard/sessions/{past.pk}/reopen/", {"reason": ""})
    past.refresh_from_db()
    assert past.sealed_at is not None
    client.post(f"/dashboard/sessions/{past.pk}/reopen/", {"reason": "更正分类"})
    past.refresh_from_db()
    assert past.sealed_at is None
    assert 'data-testid="sealed"' not in client.get(review).content.decode()
    assert SessionSealing.objects.filter(
        session=past, action=SealingAction.REOPEN, reason="更正分类"
    ).exists()


def test_sessions_in_the_api_say_whether_they_take_suggestions(sessions):
    """``accepts_suggestions`` and ``sealed_at`` on every session."""
    past, current, deputy = sessions
    rows = {
        r["id"]: r for r in client_as(deputy).get("/api/v1/sessions/").json()["results"]
    }
    assert rows[current.pk]["accepts_suggestions"] is True
    assert rows[current.pk]["sealed_at"] is None
    assert rows[past.pk]["accepts_suggestions"] is False

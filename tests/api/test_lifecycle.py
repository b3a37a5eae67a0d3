"""The whole life of a suggestion driven through the API alone, re-handling included,
and the dashboard's figures afterwards."""

import datetime as dt

import pytest

from common import clock
from suggestions.models import Reply

from ..conftest import at
from ..factories import (
    CategoryFactory,
    HandlingUnitFactory,
    Journey,
    LeaderFactory,
    UnitMemberFactory,
    open_for_intake,
)
from .conftest import client_as, png_letter

pytestmark = pytest.mark.django_db


def ok(response, status=200):
    assert response.status_code == status, response.content[:500]
    return response.json()


def test_draft_to_closed_with_rehandling_through_the_api(db):
    """Every step answers the updated object, the status walks the workflow, the
    co-unit's opinion and the PNG letter arrive, and the dashboard counts it all."""
    cast = Journey(co_unit=True)
    open_for_intake(cast.session)
    leader = LeaderFactory()
    category = CategoryFactory(name="工交财贸")
    deputy = client_as(cast.deputy)
    cosigner = client_as(cast.cosigner)
    staff = client_as(cast.staff)
    clerk = client_as(cast.clerk)
    co_clerk = client_as(cast.co_clerk)

    with clock.frozen_at(at(2026, 3, 2, 9)):
        draft = ok(
            deputy.post(
                "/api/v1/suggestions/",
                {
                    "session": cast.session.pk,
                    "title": "关于加快老旧小区改造的建议",
                    "body": "建议加大财政投入，分批推进老旧小区改造。",
                    "co_signers": [cast.cosigner.deputy_profile.pk],
                },
                format="json",
            ),
            201,
        )
        pk = draft["id"]
        assert draft["status"] == "draft"
        assert draft["lead_deputy"]["id"] == cast.deputy.deputy_profile.pk
        assert [d["id"] for d in draft["invited"]] == [cast.cosigner.deputy_profile.pk]
        assert draft["co_signers"] == []
        edited = ok(
            deputy.patch(
                f"/api/v1/suggestions/{pk}/",
                {"title": "关于加快推进老旧小区改造的建议"},
                format="json",
            )
        )
        assert edited["title"] == "关于加快推进老旧小区改造的建议"

    with clock.frozen_at(at(2026, 3, 3, 9)):
        assert ok(deputy.post(f"/api/v1/suggestions/{pk}/submit/"))["status"] == (
            "submitted"
        )
        signed = ok(cosigner.post(f"/api/v1/suggestions/{pk}/cosign/"))
        assert [d["id"] for d in signed["co_signers"]] == [
            cast.cosigner.deputy_profile.pk
        ]
        assert signed["invited"] == []

    with clock.frozen_at(at(2026, 3, 4, 9)):
        registered = ok(
            staff.post(
                f"/api/v1/suggestions/{pk}/register/",
                {"category": category.pk},
                format="json",
            )
        )
        assert registered["status"] == "registered"
        assert registered["number"] == 1
        assigned = ok(
            staff.post(
                f"/api/v1/suggestions/{pk}/assign/",
                {
                    "lead_unit": cast.unit.pk,
                    "co_units": [cast.co_unit.pk],
                    "complexity": "normal",
                    "key_supervised": True,
                },
                format="json",
            )
        )
        assert assigned["status"] == "assigned"
        assert assigned["due_at"] == "2026-06-04"
        by_role = {a["role"]: a for a in assigned["assignments"]}
        lead_id, co_id = by_role["lead"]["id"], by_role["co"]["id"]

    with clock.frozen_at(at(2026, 3, 5, 9)):
        mine = ok(clerk.get("/api/v1/assignments/?acknowledged=false"))
        assert [a["id"] for a in mine["results"]] == [lead_id]
        ack = ok(clerk.post(f"/api/v1/assignments/{lead_id}/acknowledge/"))
        assert ack["acknowledged_at"] is not None
        ok(co_clerk.post(f"/api/v1/assignments/{co_id}/acknowledge/"))
        contacted = ok(
            clerk.post(
                f"/api/v1/assignments/{lead_id}/contact/",
                {
                    "method": "meeting",
                    "contacted_at": "2026-03-05T08:30:00+08:00",
                    "note": "与代表面商，明确改造范围。",
                },
                format="json",
            )
        )
        assert [c["method"] for c in contacted["contacts"]] == ["meeting"]

    with clock.frozen_at(at(2026, 3, 20, 9)):
        opinion = ok(
            co_clerk.post(
                f"/api/v1/assignments/{co_id}/reply/",
                {"outcome": "resolved", "body": "协办意见：同意主办单位方案。"},
                format="json",
            )
        )
        assert opinion["replies"][0]["is_lead"] is False
        # The opinion changes no status; the lead unit reads it on the suggestion.
        seen_by_lead = ok(clerk.get(f"/api/v1/suggestions/{pk}/"))
        assert seen_by_lead["status"] == "assigned"
        assert [r["is_lead"] for r in seen_by_lead["replies"]] == [False]
        # The deputy does not read the co-unit's opinion.
        assert ok(deputy.get(f"/api/v1/suggestions/{pk}/"))["replies"] == []

    with clock.frozen_at(at(2026, 4, 1, 9)):
        replied = ok(
            clerk.post(
                f"/api/v1/assignments/{lead_id}/reply/",
                {
                    "outcome": "explained",
                    "body": "因资金限制，拟于明年实施。",
                    "letter": png_letter(),
                },
                format="multipart",
            )
        )
        letter_url = replied["replies"][0]["letter"]
        assert letter_url.endswith("/letter/")
        stored = Reply.objects.get(assignment_id=lead_id)
        assert stored.letter.name.endswith(".png")
        assert "答复函" not in stored.letter.name  # stored under a random name
        detail = ok(deputy.get(f"/api/v1/suggestions/{pk}/"))
        assert detail["status"] == "replied"
        assert [r["outcome"] for r in detail["replies"]] == ["explained"]
        download = deputy.get(letter_url)
        assert download.status_code == 200
        assert b"".join(download.streaming_content).startswith(b"\x89PNG")

    with clock.frozen_at(at(2026, 4, 3, 9)):
        rehandling = ok(
            deputy.post(
                f"/api/v1/suggestions/{pk}/evaluate/",
                {"rating": "dissatisfied", "comment": "问题没有解决，希望今年实施。"},
                format="json",
            )
        )
        assert rehandling["status"] == "rehandling"
        assert rehandling["round"] == 2
        assert rehandling["due_at"] == "2026-05-03"
        second = next(
            a
            for a in rehandling["assignments"]
            if a["round"] == 2 and a["role"] == "lead"
        )

    with clock.frozen_at(at(2026, 4, 20, 9)):
        acknowledged = ok(
            clerk.post(f"/api/v1/assignments/{second['id']}/acknowledge/")
        )
        # The new round meets the deputy again before its reply (三见面): the first
        # round's contact was the first assignment's.
        assert acknowledged["missing_contact_stages"] == ["before_reply"]
        met = ok(
            clerk.post(
                f"/api/v1/assignments/{second['id']}/contact/",
                {
                    "method": "visit",
                    "stage": "before_reply",
                    "contacted_at": "2026-04-20T08:30:00+08:00",
                },
                format="json",
            )
        )
        assert met["missing_contact_stages"] == []
        assert [c["stage"] for c in met["contacts"]] == ["before_reply"]
        ok(
            clerk.post(
                f"/api/v1/assignments/{second['id']}/reply/",
                {"outcome": "resolved", "body": "已调整计划，今年完成改造。"},
                format="multipart",
            )
        )
        assert ok(deputy.get(f"/api/v1/suggestions/{pk}/"))["status"] == "replied"

    with clock.frozen_at(at(2026, 4, 22, 9)):
        closed = ok(
            deputy.post(
                f"/api/v1/suggestions/{pk}/evaluate/",
                {"rating": "satisfied"},
                format="json",
            )
        )
        assert closed["status"] == "closed"
        assert [e["rating"] for e in closed["evaluations"]] == [
            "dissatisfied",
            "satisfied",
        ]
        published = ok(
            staff.post(
                f"/api/v1/suggestions/{pk}/publish/",
                {"is_public": True},
                format="json",
            )
        )
        assert published["is_public"] is True
        actions = [e["action"] for e in published["events"]]
        assert actions[:6] == [
            "create",
            "edit",
            "submit",
            "cosign",
            "register",
            "assign",
        ]
        assert actions[-2:] == ["evaluate", "publish"]

        figures = ok(
            client_as(leader).get(f"/api/v1/dashboard/?session={cast.session.pk}")
        )
    assert figures["session"] == cast.session.pk
    assert figures["suggestions"] == 1
    assert figures["outcomes"] == {
        "resolved": 1,
        "in_progress": 0,
        "explained": 0,
        "reference": 0,
    }
    assert figures["completion_rate"] == 100.0
    assert figures["ratings"] == {
        "satisfied": 1,
        "basically_satisfied": 0,
        "dissatisfied": 0,
    }
    assert figures["satisfaction_rate"] == 100.0
    assert figures["first_round_satisfaction_rate"] == 0.0
    assert figures["reply_rate"] == 100.0
    assert figures["on_time_rate"] == 100.0
    assert figures["contact_rate"] == 100.0
    assert figures["rehandled"] == 1
    assert figures["key_supervised"] == 1
    assert figures["by_handler_group"][0] == {
        "group": "government",
        "count": 1,
        "share": 100.0,
    }
    assert figures["by_unit"] == [
        {
            "unit": {"id": cast.unit.pk, "name": cast.unit.name, "kind": "government"},
            "count": 1,
            "share": 100.0,
        }
    ]
    assert figures["rating_shares"] == {
        "satisfied": 100.0,
        "basically_satisfied": 0.0,
        "dissatisfied": 0.0,
    }
    assert {c["category"]: c["count"] for c in figures["by_category"]}["工交财贸"] == 1


def test_dashboard_defaults_to_the_current_session(cast):
    """Without ``?session`` the dashboard is the current session's."""
    cast.session.is_current = True
    cast.session.save()
    data = ok(client_as(cast.staff).get("/api/v1/dashboard/"))
    assert data["session"] == cast.session.pk


def test_reassignment_and_extension_through_the_api(cast):
    """A unit asks, staff approve: the new unit takes over; the extension moves the
    due date."""
    cast.state("assigned")
    assignment = cast.lead_assignment()
    clerk, staff = client_as(cast.clerk), client_as(cast.staff)
    asked = ok(
        clerk.post(
            f"/api/v1/assignments/{assignment.pk}/request-reassignment/",
            {"reason": "不属于本单位职责。"},
            format="json",
        )
    )
    request_id = asked["adjustment_requests"][0]["id"]
    pending = ok(staff.get("/api/v1/adjustment-requests/?decision=pending"))
    assert [r["id"] for r in pending["results"]] == [request_id]
    new_unit = HandlingUnitFactory()
    approved = ok(
        staff.post(
            f"/api/v1/adjustment-requests/{request_id}/approve/",
            {"new_unit": new_unit.pk},
            format="json",
        )
    )
    assert approved["decision"] == "approved"
    assert approved["new_unit"]["id"] == new_unit.pk
    # The old unit keeps seeing its retired assignment; the new one takes over.
    new_clerk = client_as(UnitMemberFactory(unit=new_unit))
    theirs = ok(new_clerk.get("/api/v1/assignments/"))["results"]
    assert len(theirs) == 1
    new_id = theirs[0]["id"]
    ok(new_clerk.post(f"/api/v1/assignments/{new_id}/acknowledge/"))
    extended = ok(
        new_clerk.post(
            f"/api/v1/assignments/{new_id}/request-extension/",
            {"reason": "需要协调多个部门。", "until": "2026-08-10"},
            format="json",
        )
    )
    extension_id = next(
        r["id"] for r in extended["adjustment_requests"] if r["kind"] == "extension"
    )
    ok(staff.post(f"/api/v1/adjustment-requests/{extension_id}/approve/", {}))
    detail = ok(staff.get(f"/api/v1/suggestions/{cast.suggestion.pk}/"))
    assert detail["due_at"] == "2026-08-10"
    assert detail["lead_unit"]["id"] == new_unit.pk
    assert dt.date.fromisoformat(detail["due_at"]) > assignment.due_at

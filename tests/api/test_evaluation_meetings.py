"""The API of the two ratings and of on-site evaluation (API.md, "The practice of
handling"): ``evaluate`` takes ``attitude`` and ``result`` (``rating`` still the
result); staff record evaluation meetings and enter on-site ratings as multipart
with the signed form's scan; the refusals answer 400/403/404/409, never a 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from suggestions import services
from suggestions.models import Evaluation, Status

from ..conftest import NOW
from .conftest import PNG, client_as, png_letter

pytestmark = pytest.mark.django_db


def evaluate(cast, body, user=None):
    return client_as(user or cast.deputy).post(
        f"/api/v1/suggestions/{cast.suggestion.pk}/evaluate/", body, format="json"
    )


def test_evaluate_takes_both_ratings(cast):
    cast.state("replied")
    response = evaluate(
        cast,
        {"attitude": "satisfied", "result": "basically_satisfied", "comment": "好"},
    )
    assert response.status_code == 200, response.json()
    [rated] = response.json()["evaluations"]
    assert {k: rated[k] for k in ("attitude", "result", "rating", "channel")} == {
        "attitude": "satisfied",
        "result": "basically_satisfied",
        "rating": "basically_satisfied",
        "channel": "online",
    }
    assert rated["entered_by"]["id"] == cast.deputy.pk
    assert rated["form_scan"] is None
    assert response.json()["status"] == "closed"


def test_evaluate_still_takes_rating_as_the_result(cast):
    """Backward compatible: a client of before sends ``rating`` alone; the
    attitude reads null (not asked)."""
    cast.state("replied")
    response = evaluate(cast, {"rating": "satisfied"})
    assert response.status_code == 200
    [rated] = response.json()["evaluations"]
    assert (rated["result"], rated["attitude"]) == ("satisfied", None)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "result"),
        ({"result": "satisfied"}, "attitude"),
        ({"attitude": "satisfied", "result": "great"}, "result"),
        ({"attitude": "dissatisfied", "result": "satisfied"}, "comment"),
    ],
)
def test_evaluate_bad_input_is_a_400_naming_the_field(cast, body, field):
    cast.state("replied")
    response = evaluate(cast, body)
    assert response.status_code == 400
    assert field in response.json()
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize("role", ["staff", "unit"])
def test_nobody_but_the_deputy_rates_online(cast, role):
    cast.state("replied")
    response = evaluate(
        cast, {"attitude": "satisfied", "result": "satisfied"}, cast.user(role)
    )
    assert response.status_code == 403
    assert not Evaluation.objects.exists()


# --- evaluation meetings --------------------------------------------------------------


def meeting_body(cast, **change):
    return {
        "session": cast.session.pk,
        "held_on": "2026-05-20",
        "place": "常委会会议室",
        "deputies": [cast.deputy.deputy_profile.pk],
        "units": [cast.unit.pk],
    } | change


def test_staff_record_list_and_read_a_meeting(cast):
    cast.state("replied")
    staff = client_as(cast.staff)
    created = staff.post(
        "/api/v1/evaluation-meetings/", meeting_body(cast), format="json"
    )
    assert created.status_code == 201, created.json()
    meeting = created.json()
    assert (meeting["held_on"], meeting["deputies"], meeting["units"]) == (
        "2026-05-20",
        [cast.deputy.deputy_profile.pk],
        [cast.unit.pk],
    )
    assert meeting["evaluations"] == []
    listed = staff.get(f"/api/v1/evaluation-meetings/?session={cast.session.pk}")
    assert [m["id"] for m in listed.json()["results"]] == [meeting["id"]]
    assert staff.get(f"/api/v1/evaluation-meetings/{meeting['id']}/").status_code == 200


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"deputies": []}, "deputies"),
        ({"held_on": "20 May"}, "held_on"),
        ({"session": 999999}, "session"),
        ({"place": ""}, "place"),
    ],
)
def test_a_meeting_without_its_facts_is_a_400(cast, change, field):
    cast.state("replied")
    response = client_as(cast.staff).post(
        "/api/v1/evaluation-meetings/", meeting_body(cast, **change), format="json"
    )
    assert response.status_code == 400
    assert field in response.json()


def rate(cast, user=None, **change):
    body = {
        "suggestion": cast.suggestion.pk,
        "deputy": cast.deputy.deputy_profile.pk,
        "attitude": "satisfied",
        "result": "satisfied",
        "form_scan": png_letter("征询意见表.png"),
    } | change
    return client_as(user or cast.staff).post(
        f"/api/v1/evaluation-meetings/{cast.meeting.pk}/ratings/",
        body,
        format="multipart",
    )


def test_staff_enter_an_on_site_rating_with_the_scan(cast):
    cast.state("meeting")
    response = rate(cast, result="basically_satisfied")
    assert response.status_code == 201, response.json()
    rated = response.json()
    assert (rated["channel"], rated["entered_by"]["id"], rated["meeting"]) == (
        "on_site",
        cast.staff.pk,
        cast.meeting.pk,
    )
    assert rated["suggestion"]["id"] == cast.suggestion.pk
    scan = client_as(cast.deputy).get(rated["form_scan"])
    assert scan.status_code == 200
    assert b"".join(scan.streaming_content) == PNG
    assert scan["X-Content-Type-Options"] == "nosniff"
    detail = client_as(cast.staff).get(f"/api/v1/suggestions/{cast.suggestion.pk}/")
    assert detail.json()["status"] == "closed"
    assert detail.json()["evaluations"][0]["channel"] == "on_site"
    event = detail.json()["events"][-1]
    assert (event["action"], event["actor"]["id"], event["data"]["channel"]) == (
        "evaluate",
        cast.staff.pk,
        "on_site",
    )


@pytest.mark.parametrize("role", ["unit", "leader", "lead"])
def test_only_staff_use_the_meeting_endpoints(cast, role):
    """A unit clerk (and anyone but staff) is refused on every meeting endpoint."""
    cast.state("meeting")
    client = client_as(cast.user(role))
    assert client.get("/api/v1/evaluation-meetings/").status_code == 403
    assert (
        client.get(f"/api/v1/evaluation-meetings/{cast.meeting.pk}/").status_code == 403
    )
    assert (
        client.post(
            "/api/v1/evaluation-meetings/", meeting_body(cast), format="json"
        ).status_code
        == 403
    )
    assert rate(cast, cast.user(role)).status_code == 403
    assert not Evaluation.objects.exists()


def test_a_deputy_not_present_is_a_400(cast):
    cast.state("replied")
    cast.meeting = services.evaluation_meeting_create(
        actor=cast.staff,
        session=cast.session,
        held_on=NOW.date(),
        place="会议室",
        deputies=[cast.cosigner.deputy_profile.pk],
    )
    response = rate(cast)
    assert response.status_code == 400
    assert "deputy" in response.json()
    assert not Evaluation.objects.exists()


def test_a_suggestion_not_rateable_is_a_409(cast):
    cast.state("meeting")
    assert rate(cast).status_code == 201
    again = rate(cast)
    assert again.status_code == 409
    assert again.json()["code"] == "invalid_transition"
    assert Evaluation.objects.count() == 1


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("表.docx", b"PK\x03\x04 not a scan"),
        SimpleUploadedFile("表.png", b"not an image at all"),
    ],
)
def test_a_bad_scan_is_a_400(cast, upload):
    cast.state("meeting")
    response = rate(cast, form_scan=upload)
    assert response.status_code == 400
    assert "form_scan" in response.json()
    assert cast.refresh().status == Status.REPLIED


def test_another_bodys_meeting_is_a_404(cast):
    from tests.factories import CongressBodyFactory, StaffFactory

    cast.state("meeting")
    outsider = StaffFactory(body=CongressBodyFactory(region="伊犁"))
    assert (
        client_as(outsider)
        .get(f"/api/v1/evaluation-meetings/{cast.meeting.pk}/")
        .status_code
        == 404
    )
    assert rate(cast, outsider).status_code == 404


def test_the_schema_documents_the_scan_as_a_file(db):
    schema = client_as().get("/api/v1/schema/?format=json").json()
    post = schema["paths"]["/api/v1/evaluation-meetings/{id}/ratings/"]["post"]
    body = post["requestBody"]["content"]["multipart/form-data"]["schema"]
    ref = body["$ref"].rsplit("/", 1)[-1]
    props = schema["components"]["schemas"][ref]["properties"]
    assert props["form_scan"]["format"] == "binary"
    evaluate_body = schema["paths"]["/api/v1/suggestions/{id}/evaluate/"]["post"]
    assert "requestBody" in evaluate_body

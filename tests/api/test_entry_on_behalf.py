"""``POST /api/v1/suggestions/`` by staff (代录, issue 16): multipart with
``lead_deputy``, ``co_signers`` and the scanned ``original`` → 201, submitted,
``entered_by`` set; a deputy's JSON draft works as before; the scan downloads only
for those who take part in the suggestion."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from notifications.models import Notification
from suggestions.models import CoSignature, Event, Status, Suggestion
from tests.factories import (
    CongressFactory,
    DeputyFactory,
    StaffFactory,
    UnitMemberFactory,
    deputy_user,
    open_for_intake,
)

from .conftest import PNG, client_as

pytestmark = pytest.mark.django_db

URL = "/api/v1/suggestions/"


@pytest.fixture
def paper(journey):
    open_for_intake(journey.session)
    return journey


def form(paper, **fields):
    data = {
        "session": paper.session.pk,
        "lead_deputy": paper.deputy.deputy_profile.pk,
        "co_signers": [paper.cosigner.deputy_profile.pk],
        "title": "关于加快老旧小区改造的建议",
        "body": "建议加大财政投入，分批推进老旧小区改造。",
        "category": paper.category.pk,
        "original": SimpleUploadedFile("原件.png", PNG, content_type="image/png"),
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def post(user, data):
    return client_as(user).post(URL, data, format="multipart")


def test_staff_enter_a_suggestion_on_behalf(paper):
    """201: submitted, led by the deputy, the co-signer signed, ``entered_by`` the
    staff member, the scan's download link, one 代录 entry on the timeline."""
    response = post(paper.staff, form(paper))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == Status.SUBMITTED
    assert body["lead_deputy"]["id"] == paper.deputy.deputy_profile.pk
    assert [c["id"] for c in body["co_signers"]] == [paper.cosigner.deputy_profile.pk]
    assert body["invited"] == []
    assert body["entered_by"] == {"id": paper.staff.pk, "name": str(paper.staff)}
    assert body["number"] is None
    assert body["submitted_at"] is not None
    assert body["original"].endswith(f"/api/v1/suggestions/{body['id']}/original/")
    assert body["original_name"] == "原件.png"
    assert [e["action"] for e in body["events"]] == ["enter-on-behalf"]
    assert body["events"][0]["actor"]["id"] == paper.staff.pk
    s = Suggestion.objects.get(pk=body["id"])
    assert s.original.read() == PNG
    assert set(
        Notification.objects.filter(suggestion=s).values_list("recipient", flat=True)
    ) == {paper.deputy.pk, paper.cosigner.pk}


def test_the_deputies_read_it_as_their_own(paper):
    """The lead deputy lists it and reads ``entered_by``; the scan downloads."""
    pk = post(paper.staff, form(paper)).json()["id"]
    deputy = client_as(paper.deputy)
    listed = deputy.get(URL).json()["results"]
    assert [row["id"] for row in listed] == [pk]
    assert listed[0]["entered_by"]["id"] == paper.staff.pk
    download = deputy.get(f"{URL}{pk}/original/")
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PNG


def test_the_scan_is_for_those_who_take_part(paper):
    """Staff, the lead deputy and the co-signer download it; a deputy with no part
    in it, another body's staff, a clerk without an assignment and the public find
    nothing (and the detail names no link for those who do not take part)."""
    pk = post(paper.staff, form(paper)).json()["id"]
    url = f"{URL}{pk}/original/"
    for user in (paper.staff, paper.deputy, paper.cosigner):
        assert client_as(user).get(url).status_code == 200
    outsider_staff = StaffFactory(body=CongressFactory(body__region="伊犁").body)
    bystander = deputy_user(delegation__congress=paper.session.congress)
    clerk = UnitMemberFactory(unit=paper.unit)
    for user in (outsider_staff, bystander, clerk):
        assert client_as(user).get(url).status_code == 404
    assert client_as().get(url).status_code in (401, 404)


def test_a_deputys_post_is_still_a_draft(paper):
    """A deputy's JSON POST makes a draft led by the caller, with invitations."""
    response = client_as(paper.deputy).post(
        URL,
        {
            "session": paper.session.pk,
            "title": "关于修建公园的建议",
            "body": "建议修建公园。",
            "co_signers": [paper.cosigner.deputy_profile.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == Status.DRAFT
    assert body["entered_by"] is None
    assert body["original"] is None
    assert [i["id"] for i in body["invited"]] == [paper.cosigner.deputy_profile.pk]


def test_a_deputy_cannot_enter_on_behalf(paper):
    """A deputy who names a lead deputy or sends a scan is refused (403): entry on
    behalf is staff's; nothing written."""
    for extra in ({"original": None}, {"lead_deputy": None}):
        response = post(paper.cosigner, form(paper, **extra))
        assert response.status_code == 403
    assert not Suggestion.objects.exists()


@pytest.mark.parametrize(
    ("missing", "field"), [("lead_deputy", "lead_deputy"), ("original", "original")]
)
def test_staff_must_name_the_lead_deputy_and_send_the_scan(paper, missing, field):
    """400 on the missing field; nothing written."""
    response = post(paper.staff, form(paper, **{missing: None}))
    assert response.status_code == 400
    assert field in response.json()
    assert not Suggestion.objects.exists()


def test_a_program_renamed_pdf_is_refused(paper):
    """The scan is judged by its bytes: 400 on ``original``, nothing written."""
    exe = SimpleUploadedFile("原件.pdf", b"MZ\x90\x00" * 8, "application/pdf")
    response = post(paper.staff, form(paper, original=exe))
    assert response.status_code == 400
    assert "original" in response.json()
    assert not Suggestion.objects.exists()
    assert not CoSignature.objects.exists() and not Event.objects.exists()


def test_a_deputy_of_another_body_cannot_lead(paper):
    foreign = DeputyFactory(delegation__congress=CongressFactory(body__region="伊犁"))
    response = post(paper.staff, form(paper, lead_deputy=foreign.pk))
    assert response.status_code == 400
    assert "lead_deputy" in response.json()
    assert not Suggestion.objects.exists()


def test_staff_of_another_body_are_refused(paper):
    outsider = StaffFactory(body=CongressFactory(body__region="伊犁").body)
    response = post(outsider, form(paper))
    assert response.status_code == 400
    assert "session" in response.json()
    assert not Suggestion.objects.exists()


def test_a_clerk_may_not_create_suggestions(paper):
    """A role that may never create one: 403."""
    clerk = UnitMemberFactory(unit=paper.unit)
    assert post(clerk, form(paper)).status_code == 403
    assert not Suggestion.objects.exists()

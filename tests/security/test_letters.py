"""Uploaded reply letters: checked by content and size, stored under random names,
served only through views that check access, as typed attachments with nosniff."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from common.errors import InvalidInput
from suggestions import services
from suggestions.letters import MAX_LETTER_BYTES
from suggestions.models import Reply, Status, letter_upload_to
from tests.api.contract import ContractClient
from tests.downloads import download_name
from tests.suggestions.test_letters import PDF, PNG


@pytest.fixture
def assigned(journey):
    journey.to(Status.ASSIGNED)
    journey.acknowledge()
    journey.meet()
    return journey


def _reply(journey, name, content):
    return services.assignment_reply(
        assignment_id=journey.lead_assignment().pk,
        actor=journey.clerk,
        outcome="resolved",
        body="答复。",
        letter=SimpleUploadedFile(name, content),
    )


def test_html_named_as_a_pdf_is_refused(assigned):
    with pytest.raises(InvalidInput) as error:
        _reply(assigned, "reply.pdf", b"<html><script>alert(1)</script></html>")
    assert error.value.field == "letter"
    assert not Reply.objects.exists()


def test_a_letter_over_the_limit_is_refused(assigned):
    big = PDF + b"0" * (MAX_LETTER_BYTES - len(PDF) + 1)
    with pytest.raises(InvalidInput):
        _reply(assigned, "big.pdf", big)
    assert not Reply.objects.exists()


def test_the_stored_name_is_random_and_keeps_only_the_checked_kind(assigned):
    reply = _reply(assigned, "../../etc/答复函.html", PDF)
    assert re.fullmatch(r"letters/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", reply.letter.name)
    names = {letter_upload_to(reply, "letter.pdf") for _ in range(3)}
    assert len(names) == 3


def test_the_download_is_a_typed_attachment_with_nosniff(assigned):
    reply = _reply(assigned, "答复函.html", PDF)
    client = Client()
    client.force_login(assigned.deputy)
    response = client.get(f"/replies/{reply.pk}/letter/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert ".pdf" in disposition and ".html" not in disposition
    # Named by the session and the suggestion's number, not by the uploaded file.
    name = download_name(response)
    assert name.startswith(assigned.suggestion.session.short_name + "_")
    assert f"第{assigned.suggestion.number}号建议" in name
    assert name.endswith("答复函.pdf") and "答复函.html" not in name
    assert b"".join(response.streaming_content) == PDF


def test_the_api_download_is_the_same(assigned):
    reply = _reply(assigned, "scan", PNG)
    api = ContractClient()
    api.force_authenticate(assigned.clerk)
    response = api.get(f"/api/v1/replies/{reply.pk}/letter/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    name = download_name(response)
    number = assigned.suggestion.number
    assert name == f"{assigned.suggestion.session.short_name}_第{number}号建议_" + (
        f"{assigned.lead_assignment().unit}答复函.png"
    )
    assert (
        f'filename="{assigned.suggestion.session.year}-'
        in (response["Content-Disposition"])
    )


def test_letters_are_never_served_from_the_media_url(assigned, settings):
    reply = _reply(assigned, "a.pdf", PDF)
    client = Client()
    client.force_login(assigned.staff)
    assert client.get(f"/{settings.MEDIA_URL}{reply.letter.name}").status_code == 404


def test_other_users_get_404(assigned, other_clerk, other_deputy):
    reply = _reply(assigned, "a.pdf", PDF)
    for user in (other_clerk, other_deputy):
        client = Client()
        client.force_login(user)
        assert client.get(f"/replies/{reply.pk}/letter/").status_code == 404
        api = ContractClient()
        api.force_authenticate(user)
        assert api.get(f"/api/v1/replies/{reply.pk}/letter/").status_code == 404
    assert Client().get(f"/replies/{reply.pk}/letter/").status_code == 404

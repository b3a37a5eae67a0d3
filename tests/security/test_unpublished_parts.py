"""What is not public of a suggestion — a reply staff have not published, the
contact records (面商) — is read only by those who take part in it
(``models.involvement_of``: staff, leaders, its deputies, its units), on the pages,
in the API and through the letter downloads alike."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from suggestions import services
from suggestions.models import Rating, Reply, Status
from tests.api.contract import ContractClient
from tests.suggestions.test_letters import PDF


def _letter(name="答复函.pdf"):
    return SimpleUploadedFile(name, PDF)


def _publish(journey, is_public=True):
    services.suggestion_publish(
        suggestion_id=journey.suggestion.pk, actor=journey.staff, is_public=is_public
    )


@pytest.fixture
def rehandled(journey):
    """Round 1 replied and published, rated dissatisfied, round 2 replied: the
    journey with ``first`` and ``second``, the two lead replies."""
    journey.to(Status.ASSIGNED)
    journey.first = journey.reply(letter=_letter())
    _publish(journey)
    journey.evaluate(Rating.DISSATISFIED)
    journey.second = journey.reply(letter=_letter())
    return journey


def _reads(user, suggestion, reply) -> dict:
    """What ``user`` gets of ``reply``: on the detail page, in the API's detail and
    from both letter downloads (``None`` for a page that answered 404)."""
    client = Client()
    client.force_login(user)
    api = ContractClient()
    api.force_authenticate(user)
    page = client.get(f"/suggestions/{suggestion.pk}/")
    detail = api.get(f"/api/v1/suggestions/{suggestion.pk}/")
    return {
        "page": (
            None
            if page.status_code == 404
            else f'data-testid="reply-{reply.pk}"' in page.content.decode()
        ),
        "api": (
            None
            if detail.status_code == 404
            else reply.pk in {r["id"] for r in detail.json()["replies"]}
        ),
        "letter": client.get(f"/replies/{reply.pk}/letter/").status_code,
        "api_letter": api.get(f"/api/v1/replies/{reply.pk}/letter/").status_code,
    }


HIDDEN = {"page": None, "api": None, "letter": 404, "api_letter": 404}
SHOWN = {"page": True, "api": True, "letter": 200, "api_letter": 200}


def test_a_new_rounds_reply_is_not_public_before_staff_publish_it(
    rehandled, other_clerk, other_deputy
):
    suggestion = rehandled.refresh()
    assert suggestion.status == Status.REPLIED
    for outsider in (other_clerk, other_deputy):
        assert _reads(outsider, suggestion, rehandled.second) == HIDDEN
    # The new round took the suggestion off the public pages; its reply waits.
    assert not suggestion.is_public
    assert not Reply.objects.get(pk=rehandled.second.pk).is_public
    assert Client().get(suggestion.get_public_url()).status_code == 404
    assert Client().get(suggestion.get_public_url()).status_code == 404
    for insider in (rehandled.deputy, rehandled.cosigner, rehandled.staff):
        assert _reads(insider, suggestion, rehandled.second) == SHOWN
        assert _reads(insider, suggestion, rehandled.first) == SHOWN
    assert _reads(rehandled.clerk, suggestion, rehandled.second) == SHOWN


def test_publishing_again_publishes_the_new_reply(rehandled, other_clerk, other_deputy):
    _publish(rehandled)
    suggestion = rehandled.refresh()
    for outsider in (other_clerk, other_deputy):
        for reply in (rehandled.first, rehandled.second):
            assert _reads(outsider, suggestion, reply) == SHOWN
    public = Client().get(suggestion.get_public_url())
    assert public.content.decode().count('data-testid="public-reply"') == 2


def test_a_published_suggestion_shows_outsiders_only_its_published_replies(
    rehandled, other_clerk, other_deputy
):
    """The rule is the reply's own: should a suggestion be listed as published
    with a reply that is not (an older row, an edit in the admin), outsiders
    still read only the published ones."""
    _publish(rehandled)
    Reply.objects.filter(pk=rehandled.second.pk).update(is_public=False)
    suggestion = rehandled.refresh()
    for outsider in (other_clerk, other_deputy):
        assert _reads(outsider, suggestion, rehandled.first) == SHOWN
        assert _reads(outsider, suggestion, rehandled.second) == {
            "page": False,
            "api": False,
            "letter": 404,
            "api_letter": 404,
        }
    public = Client().get(suggestion.get_public_url()).content.decode()
    assert public.count('data-testid="public-reply"') == 1
    assert Client().get(f"/replies/{rehandled.second.pk}/letter/").status_code == 404
    assert _reads(rehandled.deputy, suggestion, rehandled.second) == SHOWN


# --- contact records ----------------------------------------------------------------


@pytest.fixture
def contacted(journey, now):
    """A published suggestion whose lead unit recorded a contact with the deputy."""
    journey.to(Status.ASSIGNED)
    journey.acknowledge()
    journey.contact = services.assignment_record_contact(
        assignment_id=journey.lead_assignment().pk,
        actor=journey.clerk,
        method="meeting",
        contacted_at=now,
        note="与代表面商，代表同意分步实施。",
    )
    journey.reply()
    _publish(journey)
    return journey


def _contacts(user, suggestion) -> tuple[list, bool]:
    """The contact ids in the API's detail and whether the page shows them."""
    api = ContractClient()
    api.force_authenticate(user)
    data = api.get(f"/api/v1/suggestions/{suggestion.pk}/").json()
    client = Client()
    client.force_login(user)
    page = client.get(f"/suggestions/{suggestion.pk}/").content.decode()
    ids = [c["id"] for a in data["assignments"] for c in a["contacts"]]
    return ids, "与代表面商" in page


def test_contact_records_only_for_those_taking_part(
    contacted, other_clerk, other_deputy, leader
):
    suggestion = contacted.refresh()
    for outsider in (other_clerk, other_deputy):
        assert _contacts(outsider, suggestion) == ([], False)
    for insider in (
        contacted.deputy,
        contacted.cosigner,
        contacted.staff,
        leader,
        contacted.clerk,
    ):
        assert _contacts(insider, suggestion) == ([contacted.contact.pk], True)

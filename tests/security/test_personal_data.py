"""Deputies' phone numbers and e-mail addresses: shown to staff and to the units
handling the deputy's suggestion; never on public pages, to other deputies, to units
not assigned, or in public API output."""

import pytest
from django.urls import reverse

from congress.models import Deputy
from suggestions.models import Reply, Status, Suggestion
from tests.api.contract import ContractClient

PHONE = "13912345678"
EMAIL = "lead.deputy@example.org"


@pytest.fixture
def handled(journey):
    """A closed suggestion with a public reply; its lead deputy has contact data."""
    Deputy.objects.filter(pk=journey.deputy.deputy_profile.pk).update(
        phone=PHONE, email=EMAIL
    )
    suggestion = journey.to(Status.CLOSED)
    Suggestion.objects.filter(pk=suggestion.pk).update(is_public=True)
    Reply.objects.filter(assignment__suggestion=suggestion).update(is_public=True)
    return journey


def _page(client, user, url):
    if user is not None:
        client.force_login(user)
    return client.get(url)


def _shows_contact(response) -> bool:
    text = response.content.decode()
    return PHONE in text or EMAIL in text


def test_the_assigned_unit_sees_the_contact_on_its_assignment(client, handled):
    url = reverse("suggestions:assignment-detail", args=[handled.lead_assignment().pk])
    response = _page(client, handled.clerk, url)
    assert response.status_code == 200
    assert _shows_contact(response)


def test_a_unit_not_assigned_does_not(client, handled, other_clerk):
    url = reverse("suggestions:assignment-detail", args=[handled.lead_assignment().pk])
    assert _page(client, other_clerk, url).status_code == 404


def test_public_pages_never_show_the_contact(client, handled):
    suggestion = handled.suggestion
    for url in (
        reverse("suggestions:public-list", args=[suggestion.session.congress.body_id]),
        suggestion.get_public_url(),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert suggestion.title in response.content.decode()
        assert not _shows_contact(response)


@pytest.mark.parametrize("who", ["cosigner", "other_deputy", "leader"])
def test_other_readers_of_the_suggestion_do_not_see_the_contact(
    client, handled, other_deputy, leader, who
):
    user = {
        "cosigner": handled.cosigner,
        "other_deputy": other_deputy,
        "leader": leader,
    }[who]
    response = _page(client, user, handled.suggestion.get_absolute_url())
    assert response.status_code in (200, 404)
    assert not _shows_contact(response)


def _api_deputy(user, deputy_id):
    api = ContractClient()
    if user is not None:
        api.force_authenticate(user)
    return api.get(f"/api/v1/deputies/{deputy_id}/")


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("staff", True),
        ("clerk", True),
        ("other_clerk", False),
        ("cosigner", False),
        ("other_deputy", False),
        ("leader", False),
    ],
)
def test_the_api_shows_the_contact_to_staff_and_the_handling_unit_only(
    handled, other_clerk, other_deputy, leader, who, sees
):
    user = {
        "staff": handled.staff,
        "clerk": handled.clerk,
        "other_clerk": other_clerk,
        "cosigner": handled.cosigner,
        "other_deputy": other_deputy,
        "leader": leader,
    }[who]
    response = _api_deputy(user, handled.deputy.deputy_profile.pk)
    assert response.status_code == 200
    body = response.json()
    assert ("phone" in body and body["phone"] == PHONE) is sees
    assert ("email" in body and body["email"] == EMAIL) is sees


def test_the_api_refuses_anonymous_readers(handled):
    assert _api_deputy(None, handled.deputy.deputy_profile.pk).status_code == 401


def test_suggestion_api_output_carries_no_contact(handled):
    api = ContractClient()
    api.force_authenticate(handled.cosigner)
    response = api.get(f"/api/v1/suggestions/{handled.suggestion.pk}/")
    assert response.status_code == 200
    assert PHONE not in response.content.decode()
    assert EMAIL not in response.content.decode()

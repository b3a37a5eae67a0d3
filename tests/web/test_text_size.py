"""The header's 大字版 (large text) switch: kept on the account for signed-in users,
in the session for visitors, shown as a class on <html>, and sending the reader back
only to a page of this site."""

import pytest
from django.test import Client
from django.urls import reverse

from ..factories import UserFactory, deputy_user

pytestmark = pytest.mark.django_db

SWITCH = reverse("accounts:text-size")


def english_client(user=None) -> Client:
    client = Client(headers={"accept-language": "en"})
    if user is not None:
        client.force_login(user)
    return client


def html_tag(response) -> str:
    text = response.content.decode()
    start = text.index("<html")
    return text[start : text.index(">", start) + 1]


def test_a_signed_in_user_turns_large_text_on_and_off_on_the_account():
    user = deputy_user()
    client = english_client(user)
    assert "large-text" not in html_tag(client.get(reverse("suggestions:workbench")))

    response = client.post(SWITCH, {"size": "large", "next": "/suggestions/mine/"})
    assert response.status_code == 302
    assert response["Location"] == "/suggestions/mine/"
    user.refresh_from_db()
    assert user.large_text is True
    assert 'class="large-text"' in html_tag(client.get("/suggestions/mine/"))

    # A new sign-in elsewhere keeps the choice: it is on the account.
    assert 'class="large-text"' in html_tag(
        english_client(user).get(reverse("suggestions:workbench"))
    )

    client.post(SWITCH, {"size": "standard"})
    user.refresh_from_db()
    assert user.large_text is False
    assert "large-text" not in html_tag(client.get(reverse("suggestions:workbench")))


def test_the_header_offers_the_other_size():
    user = UserFactory(large_text=True)
    page = english_client(user).get(reverse("accounts:profile")).content.decode()
    assert 'name="size" value="standard"' in page
    assert 'name="size" value="large"' not in page
    # The profile shows the choice too.
    assert 'name="large_text"' in page


def test_a_visitor_keeps_the_choice_in_the_session():
    client = english_client()
    public = reverse("suggestions:public-home")
    assert "large-text" not in html_tag(client.get(public))
    response = client.post(SWITCH, {"size": "large", "next": public})
    assert response.status_code == 302
    assert response["Location"] == public
    assert 'class="large-text"' in html_tag(client.get(public))
    # Another visitor is not affected.
    assert "large-text" not in html_tag(english_client().get(public))


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/path", "javascript:alert(1)", ""],
)
def test_next_outside_the_site_goes_home(next_url):
    response = english_client().post(SWITCH, {"size": "large", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


@pytest.mark.parametrize("data", [{}, {"size": "huge"}])
def test_an_unknown_size_is_a_clear_400(data):
    user = deputy_user()
    response = english_client(user).post(SWITCH, data)
    assert response.status_code == 400
    assert "large or the standard text size" in response.content.decode()
    user.refresh_from_db()
    assert user.large_text is False


def test_only_post_changes_the_size():
    assert english_client().get(SWITCH).status_code == 405

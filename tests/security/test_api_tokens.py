"""API tokens end: after an idle working day, when the caller revokes one, when staff
revoke a user's, and whenever the password changes or the account is switched off,
whatever path did it. Signing in again issues a new token."""

import datetime as dt
from contextlib import contextmanager
from unittest import mock

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

from audit.models import SecurityEvent
from tests.api.contract import ContractClient
from tests.factories import PASSWORD, StaffFactory, UnitMemberFactory, UserFactory

TOKEN = "/api/v1/auth/token/"
ME = "/api/v1/me/"
NEW_PASSWORD = "a-new-passphrase-91"

pytestmark = pytest.mark.django_db


def sign_in(user, password=PASSWORD) -> str:
    response = ContractClient().post(
        TOKEN, {"username": user.username, "password": password}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def api(token=None) -> ContractClient:
    client = ContractClient(headers={"accept-language": "en"})
    if token:
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def me_status(token) -> int:
    return api(token).get(ME).status_code


@contextmanager
def later(delta: dt.timedelta):
    """Every clock that reads ``timezone.now`` (knox's included) moved by ``delta``."""
    moment = timezone.now() + delta
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


@pytest.fixture
def clerk():
    return UnitMemberFactory(username="clerk-t")


def test_each_sign_in_issues_a_new_token_stored_only_as_a_hash(clerk):
    """Two sign-ins give two different tokens, both working; the database keeps
    neither in clear."""
    first, second = sign_in(clerk), sign_in(clerk)
    assert first != second
    assert me_status(first) == me_status(second) == 200
    stored = set(AuthToken.objects.filter(user=clerk).values_list("digest", flat=True))
    assert len(stored) == 2
    assert not {first, second} & stored


def test_the_answer_says_when_the_token_ends():
    clerk = UnitMemberFactory()
    response = ContractClient().post(
        TOKEN, {"username": clerk.username, "password": PASSWORD}, format="json"
    )
    expiry = dt.datetime.fromisoformat(response.json()["expiry"])
    expected = timezone.now() + settings.API_TOKEN_IDLE
    assert abs((expiry - expected).total_seconds()) < 60


def test_a_password_change_ends_the_old_token_and_a_new_sign_in_works(clerk):
    """set_password + save, as a service or a command does: the old token is
    refused; the new password gives a new token."""
    old = sign_in(clerk)
    clerk.set_password(NEW_PASSWORD)
    clerk.save()
    assert me_status(old) == 401
    new = sign_in(clerk, NEW_PASSWORD)
    assert new != old
    assert me_status(new) == 200


def test_the_password_change_page_ends_the_tokens(clerk):
    old = sign_in(clerk)
    browser = Client()
    browser.force_login(clerk)
    response = browser.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert me_status(old) == 401


def test_the_admin_password_form_ends_the_tokens(clerk):
    old = sign_in(clerk)
    admin = StaffFactory(is_staff=True, is_superuser=True)
    browser = Client()
    browser.force_login(admin)
    response = browser.post(
        reverse("admin:auth_user_password_change", args=[clerk.pk]),
        {
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content
    assert me_status(old) == 401


def test_saving_other_fields_keeps_the_tokens(clerk):
    """A change of name, or a sign-in writing last_login, is not a reason."""
    token = sign_in(clerk)
    clerk.name = "王芳"
    clerk.save()
    sign_in(clerk)
    assert me_status(token) == 200


def test_deactivation_ends_the_tokens_for_good(clerk):
    """Switched off through the API and on again: the old token stays dead."""
    token = sign_in(clerk)
    staff = StaffFactory()
    path = f"/api/v1/accounts/{clerk.pk}/"
    assert api(sign_in(staff)).patch(path, {"is_active": False}).status_code == 200
    assert not AuthToken.objects.filter(user=clerk).exists()
    assert me_status(token) == 401
    assert api(sign_in(staff)).patch(path, {"is_active": True}).status_code == 200
    assert me_status(token) == 401


def test_an_idle_token_expires_and_use_keeps_it_alive(clerk):
    """Used within the idle time, a token lives on past its first expiry; left
    unused longer than the idle time, it is refused."""
    idle = settings.API_TOKEN_IDLE
    token = sign_in(clerk)
    with later(idle - dt.timedelta(minutes=30)):
        assert me_status(token) == 200
    with later(idle + dt.timedelta(minutes=30)):
        assert me_status(token) == 200  # the use above moved the expiry on
    with later(2 * idle + dt.timedelta(hours=1)):
        assert me_status(token) == 401
    assert not AuthToken.objects.filter(user=clerk).exists()


def test_an_unused_token_is_refused_after_the_idle_time(clerk):
    token = sign_in(clerk)
    with later(settings.API_TOKEN_IDLE + dt.timedelta(minutes=1)):
        assert me_status(token) == 401


def test_delete_revokes_the_callers_token_only(clerk):
    token, other = sign_in(clerk), sign_in(clerk)
    response = api(token).delete(TOKEN)
    assert response.status_code == 204
    assert me_status(token) == 401
    assert me_status(other) == 200
    assert SecurityEvent.objects.filter(
        action="logout", actor_username=clerk.username
    ).exists()


def test_delete_needs_a_token():
    assert api().delete(TOKEN).status_code == 401
    assert api("not-a-token").delete(TOKEN).status_code == 401


def test_staff_revoke_every_token_of_an_account(clerk):
    tokens = [sign_in(clerk), sign_in(clerk)]
    staff = StaffFactory()
    response = api(sign_in(staff)).post(f"/api/v1/accounts/{clerk.pk}/revoke-tokens/")
    assert response.status_code == 200
    assert response.json()["id"] == clerk.pk
    assert [me_status(t) for t in tokens] == [401, 401]
    event = SecurityEvent.objects.get(action="tokens_revoked")
    assert (event.actor_username, event.target) == (staff.username, clerk.username)
    assert event.details["tokens"] == 2
    assert me_status(sign_in(clerk)) == 200


def test_only_staff_revoke_tokens_and_unknown_accounts_are_404(clerk):
    victim = sign_in(StaffFactory())
    path = "/api/v1/accounts/{}/revoke-tokens/"
    other_clerk = sign_in(UnitMemberFactory())
    assert api(other_clerk).post(path.format(clerk.pk)).status_code == 403
    assert me_status(victim) == 200
    assert api().post(path.format(clerk.pk)).status_code == 401
    staff = sign_in(StaffFactory())
    assert api(staff).post(path.format(10**9)).status_code == 404


def test_staff_cannot_revoke_a_superusers_tokens():
    # A superuser who is staff of the body too (one the staff member sees).
    root = StaffFactory(is_superuser=True, is_staff=True)
    root_token = sign_in(root)
    response = api(sign_in(StaffFactory())).post(
        f"/api/v1/accounts/{root.pk}/revoke-tokens/"
    )
    assert response.status_code == 403
    assert me_status(root_token) == 200
    other_root = UserFactory(is_superuser=True, is_staff=True)
    response = api(sign_in(other_root)).post(
        f"/api/v1/accounts/{root.pk}/revoke-tokens/"
    )
    assert response.status_code == 200
    assert me_status(root_token) == 401

"""Login throttling (django-axes) for the form and the token endpoint, unlocking,
idle session expiry, and the optional TOTP two-factor sign-in."""

import time

import pytest
from axes.models import AccessAttempt
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import SecurityEvent
from tests.api.contract import ContractClient
from tests.factories import PASSWORD, StaffFactory, UnitMemberFactory

LOGIN = "/accounts/login/"
TOKEN = "/api/v1/auth/token/"


def _fail_form(client, username, times):
    for _ in range(times):
        response = client.post(LOGIN, {"username": username, "password": "wrong-pass"})
    return response


@pytest.fixture
def clerk(db):
    return UnitMemberFactory(username="clerk-a")


def test_five_failures_lock_the_form_login_with_a_clear_message(client, clerk):
    response = _fail_form(client, "clerk-a", 4)
    assert response.status_code == 200  # still the ordinary "wrong password"
    response = _fail_form(client, "clerk-a", 1)
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "15 minutes" in response.content.decode()
    # Even the right password is refused while locked.
    response = client.post(LOGIN, {"username": "clerk-a", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    actions = list(SecurityEvent.objects.values_list("action", flat=True))
    assert actions.count("login_failed") >= 5
    assert "lockout" in actions


def test_the_lock_holds_the_username_ip_pair_only(client, clerk):
    UnitMemberFactory(username="clerk-b")
    _fail_form(client, "clerk-a", 5)
    # Another account from the same address signs in.
    response = client.post(LOGIN, {"username": "clerk-b", "password": PASSWORD})
    assert response.status_code == 302
    # The same account from another address signs in.
    other = Client(REMOTE_ADDR="10.0.0.9")
    response = other.post(LOGIN, {"username": "clerk-a", "password": PASSWORD})
    assert response.status_code == 302


def test_the_lock_expires_after_the_cool_off(client, clerk):
    _fail_form(client, "clerk-a", 5)
    AccessAttempt.objects.update(attempt_time="2000-01-01T00:00:00Z")
    response = client.post(LOGIN, {"username": "clerk-a", "password": PASSWORD})
    assert response.status_code == 302


def test_a_success_resets_the_count(client, clerk):
    _fail_form(client, "clerk-a", 4)
    assert (
        client.post(LOGIN, {"username": "clerk-a", "password": PASSWORD}).status_code
        == 302
    )
    client.post("/accounts/logout/")
    response = _fail_form(client, "clerk-a", 4)
    assert response.status_code == 200


def test_staff_unlock_in_the_admin(client, clerk):
    _fail_form(client, "clerk-a", 5)
    attempt = AccessAttempt.objects.get(username="clerk-a")
    admin = StaffFactory(is_staff=True, is_superuser=True)
    admin_client = Client()
    admin_client.force_login(admin)
    url = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    unlock = SecurityEvent.objects.get(action="unlock")
    assert unlock.actor_username == admin.username
    assert unlock.target == "clerk-a"
    response = client.post(LOGIN, {"username": "clerk-a", "password": PASSWORD})
    assert response.status_code == 302


def test_the_token_endpoint_locks_with_a_json_429(clerk):
    api = ContractClient(headers={"accept-language": "en"})
    for _ in range(4):
        response = api.post(
            TOKEN, {"username": "clerk-a", "password": "wrong"}, format="json"
        )
        assert response.status_code == 400
    response = api.post(
        TOKEN, {"username": "clerk-a", "password": "wrong"}, format="json"
    )
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"
    response = api.post(
        TOKEN, {"username": "clerk-a", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 429
    assert "Too many failed" in response.json()["detail"]


def test_form_and_token_failures_count_together(client, clerk):
    _fail_form(client, "clerk-a", 3)
    api = ContractClient(headers={"accept-language": "en"})
    for _ in range(2):
        response = api.post(
            TOKEN, {"username": "clerk-a", "password": "x"}, format="json"
        )
    assert response.status_code == 429


def _spray(client, settings, per_username=2):
    """Fail from one address over many usernames, each below the pair's limit,
    until the address's own limit is reached; the last answer."""
    assert per_username < settings.AXES_FAILURE_LIMIT
    response = None
    for n in range(settings.AXES_IP_FAILURE_LIMIT // per_username):
        response = _fail_form(client, f"guess{n}", per_username)
    return response


def test_one_address_failing_over_many_usernames_is_locked_for_all(
    client, clerk, settings
):
    response = _spray(client, settings)
    assert response.status_code == 429
    assert "from your address" in response.content.decode()
    # Even the right password of an account never tried from here is refused.
    response = client.post(LOGIN, {"username": "clerk-a", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # And the token endpoint from the same address.
    api = ContractClient(headers={"accept-language": "en"})
    response = api.post(
        TOKEN, {"username": "clerk-a", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"
    assert "from your address" in response.json()["detail"]
    # Another address is not locked.
    other = Client(REMOTE_ADDR="10.0.0.9")
    response = other.post(LOGIN, {"username": "clerk-a", "password": PASSWORD})
    assert response.status_code == 302


def test_token_spraying_locks_the_address(clerk, settings):
    api = ContractClient(headers={"accept-language": "en"})
    per_username = 2
    for n in range(settings.AXES_IP_FAILURE_LIMIT // per_username):
        for _ in range(per_username):
            response = api.post(
                TOKEN, {"username": f"guess{n}", "password": "x"}, format="json"
            )
    assert response.status_code == 429
    response = api.post(
        TOKEN, {"username": "clerk-a", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 429
    other = ContractClient(REMOTE_ADDR="10.0.0.9")
    response = other.post(
        TOKEN, {"username": "clerk-a", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200


def test_below_the_address_limit_other_accounts_sign_in(client, clerk, settings):
    settings.AXES_IP_FAILURE_LIMIT = 8
    _fail_form(client, "guess1", 3)
    _fail_form(client, "guess2", 4)
    response = client.post(LOGIN, {"username": "clerk-a", "password": PASSWORD})
    assert response.status_code == 302


def test_a_token_sign_in_is_logged(clerk):
    response = ContractClient(headers={"accept-language": "en"}).post(
        TOKEN, {"username": "clerk-a", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    event = SecurityEvent.objects.get(action="login")
    assert event.actor_username == "clerk-a"
    assert event.ip == "127.0.0.1"


# --- sessions -------------------------------------------------------------------------


def test_sessions_last_a_working_day_at_most(settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert not settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_COOKIE_HTTPONLY


def test_an_idle_session_ends(client, clerk, monkeypatch):
    client.force_login(clerk)
    assert client.get("/").status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200
    later = time.time() + 61 * 60
    monkeypatch.setattr(time, "time", lambda: later)
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_an_active_session_stays(client, clerk, monkeypatch):
    client.force_login(clerk)
    start = time.time()
    for minutes in (0, 40, 80, 120):
        monkeypatch.setattr(time, "time", lambda m=minutes: start + m * 60)
        assert client.get(reverse("accounts:profile")).status_code == 200


def test_a_busy_session_still_ends_after_eight_hours(client, clerk, monkeypatch):
    client.force_login(clerk)
    start = time.time()
    for minutes in range(0, 8 * 60, 50):  # never idle for an hour
        monkeypatch.setattr(time, "time", lambda m=minutes: start + m * 60)
        assert client.get(reverse("accounts:profile")).status_code == 200
    monkeypatch.setattr(time, "time", lambda: start + 8 * 60 * 60 + 5)
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_password_validators_are_on(client, clerk):
    client.force_login(clerk)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "12345678",
            "new_password2": "12345678",
        },
    )
    assert response.status_code == 200
    assert (
        "too common" in response.content.decode() or "常见" in response.content.decode()
    )


# --- two-factor sign-in ---------------------------------------------------------------


def _code(device: TOTPDevice, at: float | None = None) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():06d}"


@pytest.fixture(autouse=True)
def _no_device_throttle(settings):
    """django-otp makes a device wait 2^(n-1) s after n wrong codes; the tests give a
    wrong code and then the right one at once."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


@pytest.fixture
def staff_user(db):
    return StaffFactory(username="officer")


@pytest.fixture
def enrolled(staff_user):
    return TOTPDevice.objects.create(user=staff_user, name="phone", confirmed=True)


def test_staff_enrol_with_a_qr_code_and_a_code(client, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("accounts:two-factor"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'src="data:image/svg+xml;base64,' in page
    device = TOTPDevice.objects.get(user=staff_user)
    assert not device.confirmed
    wrong = client.post(reverse("accounts:two-factor"), {"code": "000000"})
    if _code(device) == "000000":  # one chance in a million
        pytest.skip("the wrong code happened to be right")
    assert wrong.status_code == 400
    device.refresh_from_db()
    assert not device.confirmed
    response = client.post(reverse("accounts:two-factor"), {"code": _code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert SecurityEvent.objects.filter(
        action="otp_enrolled", actor_id=staff_user.pk
    ).exists()
    assert "otp-enrolled" in client.get(reverse("accounts:two-factor")).content.decode()


def test_only_staff_enrol(client, clerk):
    client.force_login(clerk)
    assert client.get(reverse("accounts:two-factor")).status_code == 403


@override_settings(LANGUAGE_CODE="en")
def test_an_enrolled_user_signs_in_with_password_then_code(client, enrolled):
    response = client.post(
        LOGIN, {"username": "officer", "password": PASSWORD, "next": "/public/"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login-otp")
    assert "_auth_user_id" not in client.session  # not signed in yet
    assert client.get("/accounts/profile/").status_code == 302

    wrong = client.post(reverse("accounts:login-otp"), {"code": "123456"})
    if _code(enrolled) != "123456":
        assert wrong.status_code == 400
        assert "_auth_user_id" not in client.session
        assert SecurityEvent.objects.filter(action="otp_failed").exists()

    enrolled.refresh_from_db()
    response = client.post(reverse("accounts:login-otp"), {"code": _code(enrolled)})
    assert response.status_code == 302
    assert response["Location"] == "/public/"
    assert client.session["_auth_user_id"] == str(enrolled.user_id)
    assert client.get("/accounts/profile/").status_code == 200


def test_wrong_codes_lead_to_the_lockout(client, enrolled):
    client.post(LOGIN, {"username": "officer", "password": PASSWORD})
    right = _code(enrolled)
    wrong = "000001" if right != "000001" else "000002"
    statuses = [
        client.post(reverse("accounts:login-otp"), {"code": wrong}).status_code
        for _ in range(5)
    ]
    assert statuses == [400, 400, 400, 400, 429]
    assert (
        client.post(reverse("accounts:login-otp"), {"code": right}).status_code == 429
    )
    assert "_auth_user_id" not in client.session


def test_the_code_step_needs_the_password_step(client, enrolled):
    response = client.post(reverse("accounts:login-otp"), {"code": _code(enrolled)})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


def test_the_admin_login_goes_through_the_two_factor_step(client, enrolled):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"


def test_the_token_endpoint_asks_enrolled_users_for_the_code(enrolled):
    api = ContractClient(headers={"accept-language": "en"})
    credentials = {"username": "officer", "password": PASSWORD}
    response = api.post(TOKEN, credentials, format="json")
    assert response.status_code == 400
    assert "otp" in response.json()
    right = _code(enrolled)
    wrong = "000001" if right != "000001" else "000002"
    response = api.post(TOKEN, {**credentials, "otp": wrong}, format="json")
    assert response.status_code == 400
    assert response.json()["otp"] == ["The code is wrong or has expired."]
    response = api.post(TOKEN, {**credentials, "otp": right}, format="json")
    assert response.status_code == 200
    assert response.json()["token"]


def test_an_enrolled_user_turns_two_factor_off_with_a_code(client, enrolled):
    client.force_login(enrolled.user)
    response = client.post(reverse("accounts:two-factor"), {"code": _code(enrolled)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=enrolled.user).exists()
    assert SecurityEvent.objects.filter(action="otp_removed").exists()


def test_congress_staff_unlock_on_their_page(client, clerk):
    _fail_form(client, "clerk-a", 5)
    staff = StaffFactory()  # congress staff, no admin access
    staff_client = Client(headers={"accept-language": "en"})
    staff_client.force_login(staff)
    page = staff_client.get(reverse("audit:lockouts"))
    assert page.content.decode().count('data-testid="lockout-row"') == 1
    attempt = AccessAttempt.objects.get()
    response = staff_client.post(reverse("audit:lockout-lift", args=[attempt.pk]))
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert SecurityEvent.objects.get(action="unlock").actor_id == staff.pk
    assert (
        client.post(LOGIN, {"username": "clerk-a", "password": PASSWORD}).status_code
        == 302
    )
    # A second lift of the same lock: 404, not an error.
    assert (
        staff_client.post(reverse("audit:lockout-lift", args=[attempt.pk])).status_code
        == 404
    )


def test_only_staff_lift_locks(client, clerk):
    _fail_form(client, "clerk-a", 5)
    attempt = AccessAttempt.objects.get()
    client.force_login(UnitMemberFactory())
    assert client.get(reverse("audit:lockouts")).status_code == 403
    assert (
        client.post(reverse("audit:lockout-lift", args=[attempt.pk])).status_code == 403
    )
    assert AccessAttempt.objects.exists()

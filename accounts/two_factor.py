"""Optional TOTP two-factor sign-in (django-otp) for staff who enrol a device.

A user with a confirmed TOTP device signs in in two steps: the password, then a
six-digit code. A wrong code counts as a failed sign-in for the lockout (axes)."""

import base64
import io

import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.services import record_event


def confirmed_totp(user) -> TOTPDevice | None:
    if user is None or not user.pk:
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def requires_otp(user) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


def is_locked(request, username: str) -> bool:
    return AxesProxyHandler.is_locked(request, {"username": username})


def check_code(request, user, code: str) -> TOTPDevice | None:
    """The user's device if ``code`` is right now; otherwise None, and the attempt
    counts as a failed sign-in (towards the username/IP lockout)."""
    device = confirmed_totp(user)
    if device is not None and code and device.verify_token(code.strip()):
        return device
    record_event(
        "otp_failed",
        actor=user,
        ip=_ip(request),
        target=user.get_username(),
    )
    user_login_failed.send(
        sender=__name__,
        credentials={"username": user.get_username()},
        request=request,
    )
    return None


def _ip(request):
    from audit.services import client_ip

    return client_ip(request)


@transaction.atomic
def pending_device(user) -> TOTPDevice:
    """The unconfirmed device being enrolled (a new secret on first call)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name="authenticator", confirmed=False
        )
    return device


@transaction.atomic
def confirm_device(request, device: TOTPDevice, code: str) -> bool:
    if not device.verify_token(code.strip()):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    record_event(
        "otp_enrolled",
        actor=device.user,
        ip=_ip(request),
        target=device.user.get_username(),
    )
    return True


@transaction.atomic
def remove_devices(request, user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    record_event("otp_removed", actor=user, ip=_ip(request), target=user.get_username())


def secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def qr_data_uri(device: TOTPDevice) -> str:
    """The device's otpauth:// URL as a QR code: an SVG made here, as a data: URI
    (no external service sees the secret; the CSP allows data: images)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()

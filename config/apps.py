"""The third-party apps under the names the admin shows: Chinese verbose names instead
of their package labels ("AXES", "OTP_TOTP"). Listed in ``INSTALLED_APPS`` in place
of the packages themselves; the labels (and so the tables) stay theirs."""

from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.apps import DefaultConfig as TotpAppConfig


class Axes(AxesAppConfig):
    verbose_name = _("Sign-in attempts and lockouts")


class Otp(AppConfig):
    name = "django_otp"
    verbose_name = _("Two-factor authentication")


class Totp(TotpAppConfig):
    verbose_name = _("Authenticator app devices")


class Knox(AppConfig):
    name = "knox"
    verbose_name = _("API tokens")


class Admin(AdminConfig):
    """The admin site under the system's own name (``config.admin.Site``)."""

    default_site = "config.admin.Site"

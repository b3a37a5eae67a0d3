from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import tokens
        from .middleware import mark_session_active

        tokens.connect()

        user_logged_in.connect(mark_session_active, dispatch_uid="accounts_last_seen")

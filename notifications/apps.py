from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from suggestions.signals import announced

        from .events import on_announced

        announced.connect(on_announced, dispatch_uid="notifications-announced")

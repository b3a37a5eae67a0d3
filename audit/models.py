"""The security log: an append-only record of sign-ins, denials, exports and changes.

Rows are only ever inserted. ``save()`` refuses to update, ``delete()`` refuses, the
queryset refuses bulk updates and deletes, and the database refuses too (a trigger on
PostgreSQL for UPDATE and DELETE, on SQLite for UPDATE; see migration 0002).
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """A security event was about to be changed or deleted."""


class Action(models.TextChoices):
    LOGIN = "login", _("Signed in")
    LOGIN_FAILED = "login_failed", _("Sign-in failed")
    LOCKOUT = "lockout", _("Locked out")
    UNLOCK = "unlock", _("Lockout lifted")
    LOGOUT = "logout", _("Signed out")
    OTP_FAILED = "otp_failed", _("Wrong two-factor code")
    OTP_ENROLLED = "otp_enrolled", _("Two-factor device enrolled")
    OTP_REMOVED = "otp_removed", _("Two-factor device removed")
    PERMISSION_DENIED = "permission_denied", _("Permission denied")
    NOT_FOUND = "not_found", _("Object not found")
    EXPORT = "export", _("Export")
    USER_CREATED = "user_created", _("Account created")
    USER_CHANGED = "user_changed", _("Account changed")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    GROUPS_CHANGED = "groups_changed", _("Roles changed")
    RULES_CHANGED = "rules_changed", _("Handling rules changed")
    TOKENS_REVOKED = "tokens_revoked", _("API tokens revoked")
    IMPORT = "import", _("Import")


class SecurityEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The security log cannot be changed.")

    def delete(self):
        raise AppendOnlyError("The security log cannot be deleted.")


class SecurityEvent(models.Model):
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    action = models.CharField(_("action"), max_length=32, choices=Action.choices)
    # The account by id and name, not by foreign key: the log outlives accounts, and
    # a cascade or SET NULL would be an UPDATE the log refuses.
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True)
    actor_username = models.CharField(_("actor"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    target = models.CharField(_("target"), max_length=255, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["action", "-at"], name="audit_action_at"),
            models.Index(fields=["actor_username", "-at"], name="audit_actor_at"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action} {self.actor_username}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("The security log cannot be changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The security log cannot be deleted.")

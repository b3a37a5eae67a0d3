"""What the log hears by itself: sign-ins and failures, lockouts, account and rule
changes. Exports are recorded by the export views (``services.record``)."""

from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from congress.models import HandlingRules

from .services import client_ip, record_current, record_event

User = get_user_model()

# Changes to these fields of an account are logged (with old and new values, except
# for personal data, which is only named).
WATCHED_FIELDS = ("username", "is_active", "is_staff", "is_superuser", "unit_id")
NAMED_FIELDS = ("name", "email", "phone")


@receiver(user_logged_in, dispatch_uid="audit_login")
def _logged_in(sender, request, user, **kwargs):
    record_event(
        "login",
        actor=user,
        ip=client_ip(request) if request is not None else None,
        details={"path": request.path} if request is not None else {},
    )


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record_event("logout", actor=user, ip=client_ip(request) if request else None)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    # ``credentials`` comes cleansed (the password masked); keep only the name.
    username = str(credentials.get("username", ""))
    record_event(
        "login_failed",
        actor_username=username,
        ip=client_ip(request) if request is not None else None,
        target=username,
        details={"path": getattr(request, "path", "")},
    )


@receiver(user_locked_out, dispatch_uid="audit_lockout")
def _locked_out(sender, request, username, ip_address, **kwargs):
    record_event(
        "lockout",
        actor_username=username or "",
        ip=ip_address,
        target=username or "",
        details={"path": getattr(request, "path", "")},
    )


@receiver(post_delete, sender=AccessAttempt, dispatch_uid="audit_unlock")
def _unlocked(sender, instance, **kwargs):
    record_current(
        "unlock",
        target=instance.username or "",
        attempts_ip=instance.ip_address,
        failures=instance.failures_since_start,
    )


@receiver(pre_save, sender=User, dispatch_uid="audit_user_before")
def _user_before(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or instance._state.adding or not instance.pk:
        return
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    old = (
        User.objects.filter(pk=instance.pk)
        .values(*WATCHED_FIELDS, *NAMED_FIELDS, "password")
        .first()
    )
    instance._audit_old = old


@receiver(post_save, sender=User, dispatch_uid="audit_user_after")
def _user_after(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    target = instance.get_username()
    if created:
        record_current("user_created", target=target, user_id=instance.pk)
        return
    old = instance.__dict__.pop("_audit_old", None)
    if old is None:
        return
    changes = {
        field: [old[field], getattr(instance, field)]
        for field in WATCHED_FIELDS
        if old[field] != getattr(instance, field)
    }
    named = [f for f in NAMED_FIELDS if old[f] != getattr(instance, f)]
    if changes or named:
        record_current(
            "user_changed",
            target=target,
            user_id=instance.pk,
            changes=changes,
            personal_data_changed=named,
        )
    if old["password"] != instance.password:
        record_current("password_changed", target=target, user_id=instance.pk)


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="audit_groups")
def _groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    # reverse: a group's user_set changed (one event for the group).
    target = f"group {instance.name}" if reverse else instance.get_username()
    if action != "post_clear" and not pk_set:
        return
    record_current(
        "groups_changed",
        target=target,
        change=action.removeprefix("post_"),
        ids=sorted(pk_set or []),
    )


@receiver(post_save, sender=HandlingRules, dispatch_uid="audit_rules")
def _rules_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    record_current(
        "rules_changed",
        target=f"congress {instance.congress_id}",
        rules_id=instance.pk,
        created=created,
    )


@receiver(post_save, sender="accounts.Membership", dispatch_uid="audit_role_granted")
def _role_granted(sender, instance, created, **kwargs):
    if created:
        _record_role(instance, "add")


@receiver(post_delete, sender="accounts.Membership", dispatch_uid="audit_role_removed")
def _role_removed(sender, instance, **kwargs):
    _record_role(instance, "remove")


def _record_role(membership, change: str) -> None:
    """A role held in a congress body was granted or taken away (who may see and
    do what in that body)."""
    record_current(
        "groups_changed",
        target=membership.user.get_username(),
        change=change,
        role=membership.role,
        body=membership.body_id,
    )

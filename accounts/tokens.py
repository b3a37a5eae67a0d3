"""API tokens: issued at sign-in, expiring when idle, revoked with the password.

The tokens are django-rest-knox's (``knox.models.AuthToken``): only a hash is stored,
each sign-in issues a new one, and ``settings.REST_KNOX`` sets the idle time. This
module is the one place that issues and revokes them; the signal receivers below make
every password change and every deactivation revoke the user's tokens, whatever
path made it (the password-change page, the admin, ``set_password`` in a service or
a command, the API)."""

from django.contrib.auth import get_user_model
from django.utils import timezone
from knox.models import AuthToken

User = get_user_model()


def token_issue(*, user) -> tuple[str, AuthToken]:
    """A new token for ``user`` (the clear text, shown once, and its row); the
    user's expired tokens are dropped on the way."""
    AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
    instance, token = AuthToken.objects.create(user=user)
    return token, instance


def tokens_revoke_all(*, user_id: int) -> int:
    """Delete every API token of the user; the number deleted."""
    deleted, _by_model = AuthToken.objects.filter(user_id=user_id).delete()
    return deleted


def _remember_credentials(sender, instance, update_fields=None, raw=False, **kwargs):
    """Before an existing account is saved: note whether its password hash or its
    active flag is about to change."""
    if raw or instance._state.adding or not instance.pk:
        return
    if update_fields is not None and not {"password", "is_active"} & set(update_fields):
        return
    old = User.objects.filter(pk=instance.pk).values("password", "is_active").first()
    instance._tokens_outdated = old is not None and (
        old["password"] != instance.password
        or (old["is_active"] and not instance.is_active)
    )


def _revoke_outdated(sender, instance, created, raw=False, **kwargs):
    """After the save: a new password or a deactivation ends every token."""
    if instance.__dict__.pop("_tokens_outdated", False):
        tokens_revoke_all(user_id=instance.pk)


def connect() -> None:
    from django.db.models.signals import post_save, pre_save

    pre_save.connect(
        _remember_credentials, sender=User, dispatch_uid="accounts_tokens_before"
    )
    post_save.connect(_revoke_outdated, sender=User, dispatch_uid="accounts_tokens")

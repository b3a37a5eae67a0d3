"""What the edges of the site remember to refuse a second copy of one request: the
API's idempotency keys and the HTML forms' one-time tokens."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The longest ``Idempotency-Key`` accepted (a UUID is 36 characters).
IDEMPOTENCY_KEY_MAX_LENGTH = 255


class IdempotencyKey(models.Model):
    """One ``Idempotency-Key`` a user sent with a POST, and the answer it got.

    The row is inserted before the request runs (its unique key is the reservation:
    a duplicate arriving meanwhile cannot run too) and completed with the answer once
    the request has a final one. A row without a status is still running."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=IDEMPOTENCY_KEY_MAX_LENGTH)
    # SHA-256 of the method, the path and the body: the same key must come with the
    # same request.
    fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField(db_index=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=255, blank=True)
    body = models.BinaryField(blank=True, default=b"")

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], name="idempotency_key_once_per_user"
            )
        ]

    def __str__(self):
        return f"{self.user_id}:{self.key}"


class FormSubmission(models.Model):
    """A one-time form token that has been used: its nonce can be inserted once, so a
    second POST of the same form finds it and writes nothing. ``result_url`` is where
    the first POST led, ``result_message`` the success it showed (shown again to the
    second POST, so a double click reads as the one success it was)."""

    nonce = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(db_index=True)
    result_url = models.CharField(max_length=500, blank=True)
    result_message = models.TextField(blank=True, default="")

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self):
        return self.nonce

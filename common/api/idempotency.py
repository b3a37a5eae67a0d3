"""``Idempotency-Key`` on every POST of the API (docs/api.md, "Idempotency").

A client that may send a POST twice (a retry after a timeout, a double click in its
own interface) sends a key of its choosing with it. The first request with a key runs
and its final answer is kept for 24 hours; the same key from the same user with the
same request gets that answer again, and nothing runs. The same key with another
request (method, path or body) is a 409 ``idempotency_conflict``, and so is a
duplicate that arrives while the first is still running: it is not run, the client
retries after a moment and then gets the stored answer.

Answers kept: every 2xx and 4xx (final: a refused request stays refused). A 5xx or an
error that escapes the view is not kept, and its key is released, so the client may
try again. A process that dies while running a request leaves its key reserved until
the purge (``common.tasks.purge_idempotency_keys``) after 24 hours.

The key is honoured where DRF has authenticated the caller (``initial``), so it
applies to every POST view of the API: ``config/api_urls.py`` gives each view class
this mixin (``idempotent_patterns``). Anonymous POSTs (the token endpoint) are not
keyed.
"""

import hashlib
import json
from datetime import timedelta

from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.response import Response

from ..errors import IdempotencyConflict, InvalidInput
from ..models import IDEMPOTENCY_KEY_MAX_LENGTH, IdempotencyKey

HEADER = "Idempotency-Key"
META_KEY = "HTTP_IDEMPOTENCY_KEY"
# How long a key and its answer are kept.
LIFETIME = timedelta(hours=24)
# Answers sent again in place of running a request carry this header.
REPLAYED_HEADER = "Idempotent-Replayed"


def _running_detail():
    return _(
        "A request with this Idempotency-Key is still being processed; "
        "try again in a moment."
    )


class _Replay(Exception):
    """Raised in ``initial`` to answer with the stored response instead of running."""

    def __init__(self, record: IdempotencyKey):
        self.record = record


def _canonical(value):
    """The request's data in a form that does not depend on how it was encoded
    (JSON spacing and key order, a multipart boundary); files by their digest."""
    if hasattr(value, "getlist") and hasattr(value, "keys"):  # QueryDict
        return {key: [_canonical(v) for v in value.getlist(key)] for key in value}
    if isinstance(value, dict):
        return {str(key): _canonical(v) for key, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if hasattr(value, "chunks") and hasattr(value, "name"):  # an uploaded file
        digest = hashlib.sha256()
        for chunk in value.chunks():
            digest.update(chunk)
        value.seek(0)
        return {"file": value.name, "size": value.size, "sha256": digest.hexdigest()}
    return value


def fingerprint(request) -> str:
    """SHA-256 of the method, the full path and the canonical body."""
    body = json.dumps(
        _canonical(request.data), sort_keys=True, ensure_ascii=False, default=str
    )
    text = "\n".join([request.method, request.get_full_path(), body])
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def read_key(request) -> str | None:
    """The request's key, or None without one; an empty or too long key is a 400."""
    key = request.META.get(META_KEY)
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > IDEMPOTENCY_KEY_MAX_LENGTH:
        raise InvalidInput(
            _("The Idempotency-Key header must have 1 to %(max)d characters.")
            % {"max": IDEMPOTENCY_KEY_MAX_LENGTH}
        )
    return key


def claim(*, user, key: str, fingerprint: str) -> IdempotencyKey:
    """Reserve ``key`` for this request, in a transaction of its own so that a
    duplicate arriving meanwhile sees it. Raises ``_Replay`` when the same request
    already has its answer, ``IdempotencyConflict`` when the key belongs to another
    request or the first is still running. A key older than the lifetime is taken
    over as new."""
    now = timezone.now()
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return IdempotencyKey.objects.create(
                    user=user, key=key, fingerprint=fingerprint, created_at=now
                )
        except IntegrityError:
            pass
        with transaction.atomic():
            record = (
                IdempotencyKey.objects.select_for_update()
                .filter(user=user, key=key)
                .first()
            )
            if record is None:  # released or purged meanwhile: try the insert again
                continue
            if record.created_at <= now - LIFETIME:
                # Expired: the key is new again, whatever it was used for before.
                record.fingerprint = fingerprint
                record.created_at = now
                record.status_code = None
                record.content_type = ""
                record.body = b""
                record.save()
                return record
        if record.fingerprint != fingerprint:
            raise IdempotencyConflict()
        if record.status_code is None:
            raise IdempotencyConflict(_running_detail())
        raise _Replay(record)
    raise IdempotencyConflict(_running_detail())


def complete(record: IdempotencyKey, response) -> None:
    """Keep the final answer of the request (2xx and 4xx); release the key after a
    server error, so that the client may try again."""
    if response.status_code >= 500 or response.streaming:
        # A server error is not final; a streamed body cannot be kept.
        release(record)
        return
    if isinstance(response, Response) and not response.is_rendered:
        response.render()
    IdempotencyKey.objects.filter(pk=record.pk).update(
        status_code=response.status_code,
        content_type=response.get("Content-Type", ""),
        body=bytes(response.content),
    )


def release(record: IdempotencyKey) -> None:
    IdempotencyKey.objects.filter(pk=record.pk, status_code__isnull=True).delete()


def replay(record: IdempotencyKey) -> HttpResponse:
    response = HttpResponse(
        bytes(record.body),
        status=record.status_code,
        content_type=record.content_type or None,
    )
    response[REPLAYED_HEADER] = "true"
    return response


def purge(*, older_than: timedelta = LIFETIME) -> int:
    """Delete the keys older than their lifetime; answers how many."""
    deleted, _by_model = IdempotencyKey.objects.filter(
        created_at__lt=timezone.now() - older_than
    ).delete()
    return deleted


class IdempotentMixin:
    """Honours ``Idempotency-Key`` on the view's POST once DRF has authenticated and
    permitted the caller."""

    idempotent = True

    def initial(self, request, *args, **kwargs):
        self._idempotency_record = None
        super().initial(request, *args, **kwargs)
        if request.method != "POST" or not request.user.is_authenticated:
            return
        key = read_key(request)
        if key is None:
            return
        self._idempotency_record = claim(
            user=request.user, key=key, fingerprint=fingerprint(request)
        )

    def handle_exception(self, exc):
        if isinstance(exc, _Replay):
            return replay(exc.record)
        try:
            return super().handle_exception(exc)
        except BaseException:
            # The error escapes as a server error: the client may try the key again.
            record = getattr(self, "_idempotency_record", None)
            if record is not None:
                release(record)
                self._idempotency_record = None
            raise

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        record = getattr(self, "_idempotency_record", None)
        if record is not None:
            self._idempotency_record = None
            complete(record, response)
        return response


def idempotent_view(callback):
    """The view function with its class given ``IdempotentMixin``; a view that takes
    no POST, or is not a DRF class view, is returned as it is."""
    cls = getattr(callback, "cls", None)
    if (
        cls is None
        or not hasattr(cls, "initial")
        or not hasattr(cls, "post")
        or issubclass(cls, IdempotentMixin)
    ):
        return callback
    # ``as_view()`` answers its view wrapped once (csrf_exempt); a decorator around
    # that would be lost when the view is made again from its class.
    if hasattr(getattr(callback, "__wrapped__", None), "__wrapped__"):
        raise ImproperlyConfigured(
            f"{cls.__name__}: decorate the class, not its view, to keep the "
            "Idempotency-Key on its POST."
        )
    keyed = type(
        cls.__name__,
        (IdempotentMixin, cls),
        {
            "__module__": cls.__module__,
            "__qualname__": cls.__qualname__,
            "__doc__": cls.__doc__,
        },
    )
    return keyed.as_view(**callback.initkwargs)


def idempotent_patterns(patterns) -> list:
    """``patterns`` with every POST view keyed, included ones too."""
    result = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            result.append(
                URLResolver(
                    entry.pattern,
                    idempotent_patterns(entry.url_patterns),
                    entry.default_kwargs,
                    entry.app_name,
                    entry.namespace,
                )
            )
        elif isinstance(entry, URLPattern):
            result.append(
                URLPattern(
                    entry.pattern,
                    idempotent_view(entry.callback),
                    entry.default_args,
                    entry.name,
                )
            )
        else:
            result.append(entry)
    return result

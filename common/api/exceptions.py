"""How the API answers errors (docs/api.md, "Conventions"): the domain errors of
``suggestions/errors.py`` become 409/403/404/400, a delete refused because other rows
refer to the object becomes 409, and nothing a client sends becomes a 500."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from ..errors import (
    DomainError,
    InvalidInput,
    InvalidTransition,
    NotFound,
    NotPermitted,
)


def _domain_response(exc: DomainError) -> Response:
    message = str(exc.message)
    if isinstance(exc, InvalidInput):
        body = {exc.field: [message]} if exc.field else {"detail": message}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, InvalidTransition):
        code, http = exc.code, status.HTTP_409_CONFLICT
    elif isinstance(exc, NotPermitted):
        code, http = exc.code, status.HTTP_403_FORBIDDEN
    elif isinstance(exc, NotFound):
        code, http = exc.code, status.HTTP_404_NOT_FOUND
    else:
        code, http = exc.code, status.HTTP_400_BAD_REQUEST
    return Response({"detail": message, "code": code}, status=http)


def api_exception_handler(exc, context):
    """DRF's handler, extended with the domain's errors and the database's refusals."""
    if isinstance(exc, DomainError):
        return _domain_response(exc)
    if isinstance(exc, ProtectedError | RestrictedError):
        return Response(
            {
                "detail": str(
                    _("This cannot be deleted while other records refer to it.")
                ),
                "code": "protected",
            },
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, IntegrityError):
        # A uniqueness or check constraint the serializer could not see in advance
        # (two writers at once): the client's data conflicts with what is stored.
        return Response(
            {
                "detail": str(_("This conflicts with data already stored.")),
                "code": "conflict",
            },
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DjangoValidationError):
        exc = serializers.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        )
    return exception_handler(exc, context)

"""Small shared pieces of the API's serializers and schema."""

from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import serializers

# Ids are 64-bit integers; a larger number must be a 400, not a database overflow.
MAX_ID = 2**63 - 1
# The most ids one list input may carry (co-signers, co-units).
MAX_IDS = 100


def IdField(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def IdListField(**kwargs) -> serializers.ListField:
    return serializers.ListField(child=IdField(), max_length=MAX_IDS, **kwargs)


class DateTimeField(serializers.DateTimeField):
    """DRF's field, but a date at the edge of the calendar (0001-01-01 in a zone east
    of UTC) is a 400 rather than an ``OverflowError``."""

    def enforce_timezone(self, value):
        try:
            return super().enforce_timezone(value)
        except OverflowError:
            self.fail("overflow")


class RefSerializer(serializers.Serializer):
    """Another object, by id and name."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField(required=False)


# 400: ``{"field": ["message"]}`` (nested for list items) or ``{"detail": …}``.
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": 'Field errors, `{"field": ["message"]}`, or `{"detail": "…"}`.',
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}

ERROR_400 = OpenApiResponse(
    response=VALIDATION_ERROR_SCHEMA,
    description="Invalid input.",
    examples=[
        OpenApiExample("Field error", value={"category": ["This field is required."]})
    ],
)
ERROR_401 = OpenApiResponse(ErrorSerializer, description="No credentials.")
ERROR_403 = OpenApiResponse(
    ErrorSerializer,
    description="The caller's role may never do this.",
    examples=[
        OpenApiExample(
            "Forbidden",
            value={"detail": "Only congress staff may do this."},
        )
    ],
)
ERROR_404 = OpenApiResponse(
    ErrorSerializer, description="No such object within the caller's reach."
)
ERROR_409 = OpenApiResponse(
    ErrorSerializer,
    description="The object's state forbids the action.",
    examples=[
        OpenApiExample(
            "Invalid transition",
            value={
                "detail": "Cannot register this suggestion: it is still a draft.",
                "code": "invalid_transition",
            },
        )
    ],
)

READ_ERRORS = {401: ERROR_401, 403: ERROR_403}
OBJECT_READ_ERRORS = {401: ERROR_401, 403: ERROR_403, 404: ERROR_404}
ACTION_ERRORS = {
    400: ERROR_400,
    401: ERROR_401,
    403: ERROR_403,
    404: ERROR_404,
    409: ERROR_409,
}

"""Reference data (docs/api.md): read by anyone logged in, written by staff; a row is
deleted only while nothing refers to it (409 otherwise, see the exception handler)."""

import django_filters
from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.permissions import IsAuthenticated

from common.api.fields import ERROR_400, ERROR_401, ERROR_403, ERROR_404, ERROR_409
from common.api.permissions import StaffWritesOthersRead

from .. import services
from ..models import (
    Congress,
    CongressBody,
    CongressLevel,
    Delegation,
    HandlingUnit,
    Session,
)
from ..selectors import bodies_for
from . import serializers as s


def reference_schema(tag: str, serializer):
    """Document a list/create view or a detail view of one reference resource."""
    base = {401: ERROR_401, 403: ERROR_403}

    def decorate(view):
        if issubclass(view, generics.ListCreateAPIView):
            return extend_schema_view(
                get=extend_schema(
                    tags=[tag], responses={200: serializer(many=True), **base}
                ),
                post=extend_schema(
                    tags=[tag], responses={201: serializer, 400: ERROR_400, **base}
                ),
            )(view)
        return extend_schema_view(
            get=extend_schema(
                tags=[tag], responses={200: serializer, 404: ERROR_404, **base}
            ),
            patch=extend_schema(
                tags=[tag],
                responses={200: serializer, 400: ERROR_400, 404: ERROR_404, **base},
            ),
            delete=extend_schema(
                tags=[tag],
                description="Deleted only while nothing refers to the row (else 409).",
                responses={204: None, 404: ERROR_404, 409: ERROR_409, **base},
            ),
        )(view)

    return decorate


class ReferenceListApi(generics.ListCreateAPIView):
    permission_classes = [IsAuthenticated, StaffWritesOthersRead]


class ReferenceDetailApi(generics.RetrieveUpdateDestroyAPIView):
    permission_classes = [IsAuthenticated, StaffWritesOthersRead]
    http_method_names = ["get", "patch", "delete", "head", "options"]


# --- congress bodies ------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(
        tags=["bodies"],
        description="The caller's congress bodies: the bodies of the congresses and "
        "units the caller belongs to; staff and leaders see every body.",
        responses={
            200: s.CongressBodySerializer(many=True),
            401: ERROR_401,
            403: ERROR_403,
        },
    )
)
class CongressBodyListApi(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = s.CongressBodySerializer
    filterset_fields = ["level", "parent"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return CongressBody.objects.none()
        return bodies_for(self.request.user).order_by("pk")


# --- congresses -----------------------------------------------------------------------


class CongressFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(
        field_name="body__level", choices=CongressLevel.choices
    )
    region = django_filters.CharFilter(field_name="body__region")

    class Meta:
        model = Congress
        fields = ["body", "level", "region"]


class CongressQuery:
    queryset = Congress.objects.select_related("body")
    serializer_class = s.CongressSerializer
    filterset_class = CongressFilter


@reference_schema("congresses", s.CongressSerializer)
class CongressListApi(CongressQuery, ReferenceListApi):
    pass


@reference_schema("congresses", s.CongressSerializer)
class CongressDetailApi(CongressQuery, ReferenceDetailApi):
    pass


# --- sessions -------------------------------------------------------------------------


class SessionFilter(django_filters.FilterSet):
    body = django_filters.ModelChoiceFilter(
        field_name="congress__body", queryset=CongressBody.objects.all()
    )

    class Meta:
        model = Session
        fields = ["body", "congress", "is_current", "year"]


class SessionQuery:
    queryset = Session.objects.select_related("congress__body")
    serializer_class = s.SessionSerializer
    filterset_class = SessionFilter

    def perform_create(self, serializer):
        self._save(serializer)

    def perform_update(self, serializer):
        self._save(serializer)

    @transaction.atomic
    def _save(self, serializer):
        """A congress has one current session: marking another one current moves
        the mark."""
        data = serializer.validated_data
        if data.get("is_current"):
            congress = data.get("congress") or serializer.instance.congress
            services.make_room_for_current(
                congress_id=congress.pk,
                session_id=getattr(serializer.instance, "pk", None),
            )
        serializer.save()


@reference_schema("sessions", s.SessionSerializer)
class SessionListApi(SessionQuery, ReferenceListApi):
    pass


@reference_schema("sessions", s.SessionSerializer)
class SessionDetailApi(SessionQuery, ReferenceDetailApi):
    pass


# --- delegations ----------------------------------------------------------------------


class DelegationFilter(django_filters.FilterSet):
    body = django_filters.ModelChoiceFilter(
        field_name="congress__body", queryset=CongressBody.objects.all()
    )

    class Meta:
        model = Delegation
        fields = ["body", "congress"]


class DelegationQuery:
    queryset = Delegation.objects.select_related("congress")
    serializer_class = s.DelegationSerializer
    filterset_class = DelegationFilter


@reference_schema("delegations", s.DelegationSerializer)
class DelegationListApi(DelegationQuery, ReferenceListApi):
    pass


@reference_schema("delegations", s.DelegationSerializer)
class DelegationDetailApi(DelegationQuery, ReferenceDetailApi):
    pass


# --- handling units -------------------------------------------------------------------


class HandlingUnitQuery:
    queryset = HandlingUnit.objects.all()
    serializer_class = s.HandlingUnitSerializer
    filterset_fields = ["body", "kind", "parent", "active"]


@reference_schema("units", s.HandlingUnitSerializer)
class HandlingUnitListApi(HandlingUnitQuery, ReferenceListApi):
    pass


@reference_schema("units", s.HandlingUnitSerializer)
class HandlingUnitDetailApi(HandlingUnitQuery, ReferenceDetailApi):
    pass

"""Reference data (docs/api.md): each row belongs to a congress body; the caller reads
the rows of their bodies (``bodies_for``; another body's row is 404) and writes those of
the bodies where they are staff (403 for a row they see but may not change); a row is
deleted only while nothing refers to it (409 otherwise, see the exception handler)."""

import django_filters
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated

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
from ..selectors import bodies_for, body_ids_for, in_bodies
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


class StaffOfTheRowsBody(BasePermission):
    """A row is changed or deleted only by the staff of its congress body (a leader
    or a deputy of the body reads it: 403)."""

    message = _("Only the staff of its congress body may change this.")

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        return request.user.is_staff_of(s._body_id(obj, view.body_via))


class InCallersBodies:
    """The rows of the caller's congress bodies (``bodies_for``), whatever the
    view's own queryset: a row of another body is not found (404). ``body_via``
    leads from the row's model to its body (``"congress__"``)."""

    body_via = ""

    def get_queryset(self):
        rows = super().get_queryset()
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return rows.none()
        user = self.request.user
        ids = body_ids_for(user)
        if ids is None and not user.is_superuser:
            return rows.none()  # an account without any role has no body
        return rows.filter(in_bodies(ids, via=self.body_via))


class ReferenceListApi(InCallersBodies, generics.ListCreateAPIView):
    permission_classes = [IsAuthenticated, StaffWritesOthersRead]


class ReferenceDetailApi(InCallersBodies, generics.RetrieveUpdateDestroyAPIView):
    permission_classes = [IsAuthenticated, StaffWritesOthersRead, StaffOfTheRowsBody]
    http_method_names = ["get", "patch", "delete", "head", "options"]


# --- congress bodies ------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(
        tags=["bodies"],
        description="The caller's congress bodies: where they are staff or leader, "
        "the body of their unit and those of the congresses they were elected to "
        "(the superuser: every body). A parent body's staff do not see its "
        "children here unless they hold a role there.",
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
    body_via = "congress__"
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
    body_via = "congress__"
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

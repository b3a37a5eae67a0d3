"""Reference data (API.md): read by anyone logged in, written by staff; a row is
deleted only while nothing refers to it (409 otherwise, see the exception handler)."""

import django_filters
from django.db import transaction
from django.db.models import BooleanField, Exists, OuterRef, Value
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.permissions import IsAuthenticated

from common.api.fields import ERROR_400, ERROR_401, ERROR_403, ERROR_404, ERROR_409
from common.api.permissions import StaffWritesOthersRead
from suggestions.models import Category, CoSignature, Suggestion

from ..models import Congress, Delegation, Deputy, HandlingUnit, Session
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


# --- congresses -----------------------------------------------------------------------


class CongressQuery:
    queryset = Congress.objects.all()
    serializer_class = s.CongressSerializer
    filterset_fields = ["level", "region"]


@reference_schema("congresses", s.CongressSerializer)
class CongressListApi(CongressQuery, ReferenceListApi):
    pass


@reference_schema("congresses", s.CongressSerializer)
class CongressDetailApi(CongressQuery, ReferenceDetailApi):
    pass


# --- sessions -------------------------------------------------------------------------


class SessionQuery:
    queryset = Session.objects.select_related("congress")
    serializer_class = s.SessionSerializer
    filterset_fields = ["congress", "is_current", "year"]

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
            others = Session.objects.select_for_update().filter(
                congress=congress, is_current=True
            )
            if serializer.instance is not None:
                others = others.exclude(pk=serializer.instance.pk)
            others.update(is_current=False)
        serializer.save()


@reference_schema("sessions", s.SessionSerializer)
class SessionListApi(SessionQuery, ReferenceListApi):
    pass


@reference_schema("sessions", s.SessionSerializer)
class SessionDetailApi(SessionQuery, ReferenceDetailApi):
    pass


# --- categories -----------------------------------------------------------------------


class CategoryQuery:
    queryset = Category.objects.all()
    serializer_class = s.CategorySerializer


@reference_schema("categories", s.CategorySerializer)
class CategoryListApi(CategoryQuery, ReferenceListApi):
    pass


@reference_schema("categories", s.CategorySerializer)
class CategoryDetailApi(CategoryQuery, ReferenceDetailApi):
    pass


# --- delegations ----------------------------------------------------------------------


class DelegationQuery:
    queryset = Delegation.objects.all()
    serializer_class = s.DelegationSerializer
    filterset_fields = ["congress"]


@reference_schema("delegations", s.DelegationSerializer)
class DelegationListApi(DelegationQuery, ReferenceListApi):
    pass


@reference_schema("delegations", s.DelegationSerializer)
class DelegationDetailApi(DelegationQuery, ReferenceDetailApi):
    pass


# --- deputies -------------------------------------------------------------------------


class DeputyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains")
    congress = django_filters.ModelChoiceFilter(
        field_name="delegation__congress", queryset=Congress.objects.all()
    )

    class Meta:
        model = Deputy
        fields = ["delegation", "congress", "active", "q"]


class DeputyQuery:
    serializer_class = s.DeputySerializer
    filterset_class = DeputyFilter

    def get_queryset(self):
        """Every deputy, each row marked whether the caller may read the deputy's
        phone and e-mail: staff may; a unit member may for deputies who lead or
        co-sign a suggestion the unit handles (it must contact them)."""
        rows = Deputy.objects.all()
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return rows.none()
        user = self.request.user
        if user.is_congress_staff:
            visible = Value(True, output_field=BooleanField())
        elif user.unit_id is not None:
            handled = Suggestion.objects.filter(assignments__unit_id=user.unit_id)
            visible = Exists(handled.filter(lead_deputy=OuterRef("pk"))) | Exists(
                CoSignature.objects.filter(
                    deputy=OuterRef("pk"),
                    signed_at__isnull=False,
                    suggestion__in=handled,
                )
            )
        else:
            visible = Value(False, output_field=BooleanField())
        return rows.annotate(contact_visible=visible)


@reference_schema("deputies", s.DeputySerializer)
class DeputyListApi(DeputyQuery, ReferenceListApi):
    pass


@reference_schema("deputies", s.DeputySerializer)
class DeputyDetailApi(DeputyQuery, ReferenceDetailApi):
    pass


# --- handling units -------------------------------------------------------------------


class HandlingUnitQuery:
    queryset = HandlingUnit.objects.all()
    serializer_class = s.HandlingUnitSerializer
    filterset_fields = ["kind", "parent", "active"]


@reference_schema("units", s.HandlingUnitSerializer)
class HandlingUnitListApi(HandlingUnitQuery, ReferenceListApi):
    pass


@reference_schema("units", s.HandlingUnitSerializer)
class HandlingUnitDetailApi(HandlingUnitQuery, ReferenceDetailApi):
    pass

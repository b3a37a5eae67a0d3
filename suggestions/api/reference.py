"""Reference data whose endpoints belong to the suggestions app: the categories
(its own model) and the deputies, whose phone and e-mail a unit may read only for the
deputies of the suggestions it handles. Same contract as the congress's reference
endpoints: read by anyone logged in, written by staff."""

import django_filters
from django.db.models import BooleanField, Exists, OuterRef, Value
from rest_framework import serializers

from congress.api import serializers as s
from congress.api.views import ReferenceDetailApi, ReferenceListApi, reference_schema
from congress.models import Congress, CongressBody, Deputy

from ..models import Category, CoSignature, Suggestion


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name", "position"]


# --- categories -----------------------------------------------------------------------


class CategoryQuery:
    queryset = Category.objects.all()
    serializer_class = CategorySerializer


@reference_schema("categories", CategorySerializer)
class CategoryListApi(CategoryQuery, ReferenceListApi):
    pass


@reference_schema("categories", CategorySerializer)
class CategoryDetailApi(CategoryQuery, ReferenceDetailApi):
    pass


# --- deputies -------------------------------------------------------------------------


class DeputyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains")
    congress = django_filters.ModelChoiceFilter(
        field_name="delegation__congress", queryset=Congress.objects.all()
    )
    body = django_filters.ModelChoiceFilter(
        field_name="delegation__congress__body", queryset=CongressBody.objects.all()
    )

    class Meta:
        model = Deputy
        fields = ["body", "delegation", "congress", "active", "q"]


class DeputyQuery:
    serializer_class = s.DeputySerializer
    filterset_class = DeputyFilter

    def get_queryset(self):
        """Every deputy, each row marked whether the caller may read the deputy's
        phone and e-mail: staff may; a unit member may for deputies who lead or
        co-sign a suggestion the unit handles (it must contact them)."""
        rows = Deputy.objects.select_related("delegation__congress")
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

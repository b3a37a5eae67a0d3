"""Reference data whose endpoints belong to the suggestions app: the categories
(its own model, a list per congress body) and the deputies, whose phone and e-mail a
unit may read only for the deputies of the suggestions it handles. Same contract as
the congress's reference endpoints: the caller reads the rows of their bodies and
writes those of the bodies where they are staff."""

import django_filters
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    Value,
)
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from congress.api import serializers as s
from congress.api.views import ReferenceDetailApi, ReferenceListApi, reference_schema
from congress.models import Congress, CongressBody, Deputy
from congress.selectors import staff_body_ids_for

from ..models import Category, CoSignature, Suggestion


class CategorySerializer(s.BodyOnCreate):
    class Meta:
        model = Category
        fields = ["id", "name", "body", "position"]
        # A name unique per body is checked in ``validate``.
        validators = []

    def validate(self, attrs):
        attrs = super().validate(attrs)
        body = attrs.get("body") or getattr(self.instance, "body", None)
        name = attrs.get("name", getattr(self.instance, "name", None))
        clash = Category.objects.filter(body=body, name=name)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if body is not None and name is not None and clash.exists():
            raise serializers.ValidationError(
                {"name": [_("This body already has a category of this name.")]}
            )
        return attrs


# --- categories -----------------------------------------------------------------------


class CategoryQuery:
    queryset = Category.objects.all()
    serializer_class = CategorySerializer
    filterset_fields = ["body"]


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
    queryset = Deputy.objects.select_related("delegation__congress")
    serializer_class = s.DeputySerializer
    filterset_class = DeputyFilter
    body_via = "delegation__congress__"

    def get_queryset(self):
        """The deputies of the caller's bodies, each row marked whether the caller
        may read the deputy's phone and e-mail: the staff of the deputy's body may;
        a unit member may for deputies who lead or co-sign a suggestion the unit
        handles (it must contact them)."""
        rows = super().get_queryset()
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return rows
        user = self.request.user
        staff_of = staff_body_ids_for(user)
        if staff_of is None:
            return rows.annotate(contact_visible=Value(True, BooleanField()))
        conditions = []
        if staff_of:
            conditions.append(Q(delegation__congress__body_id__in=staff_of))
        if user.unit_id is not None:
            handled = Suggestion.objects.filter(assignments__unit_id=user.unit_id)
            conditions.append(Q(Exists(handled.filter(lead_deputy=OuterRef("pk")))))
            conditions.append(
                Q(
                    Exists(
                        CoSignature.objects.filter(
                            deputy=OuterRef("pk"),
                            signed_at__isnull=False,
                            suggestion__in=handled,
                        )
                    )
                )
            )
        if not conditions:
            return rows.annotate(contact_visible=Value(False, BooleanField()))
        visible = conditions[0]
        for condition in conditions[1:]:
            visible |= condition
        return rows.annotate(
            contact_visible=ExpressionWrapper(visible, output_field=BooleanField())
        )


@reference_schema("deputies", s.DeputySerializer)
class DeputyListApi(DeputyQuery, ReferenceListApi):
    pass


@reference_schema("deputies", s.DeputySerializer)
class DeputyDetailApi(DeputyQuery, ReferenceDetailApi):
    pass

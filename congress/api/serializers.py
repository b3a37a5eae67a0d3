"""Reference data as flat rows: foreign keys are ids, both ways."""

from django.core.validators import EmailValidator
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS

from common.api.fields import RefSerializer

from ..models import (
    Congress,
    CongressBody,
    CongressLevel,
    Delegation,
    Deputy,
    HandlingUnit,
    Session,
)
from ..selectors import in_bodies, staff_bodies, staff_body_ids_for


class CongressBodySerializer(serializers.ModelSerializer):
    class Meta:
        model = CongressBody
        fields = ["id", "name", "level", "region", "parent"]
        read_only_fields = fields


def _writing(serializer) -> bool:
    request = serializer.context.get("request")
    return request is not None and request.method not in SAFE_METHODS


class BodyOnCreate(serializers.ModelSerializer):
    """A row that belongs to a congress body (a term, a unit, a category): the body is
    chosen when the row is made, among the bodies where the caller is staff, and may
    be left out when they are staff of only one; it never changes afterwards (its
    sessions, suggestions and assignments stay where they are)."""

    body = serializers.PrimaryKeyRelatedField(
        queryset=CongressBody.objects.all(),
        required=False,
        help_text="The congress body; on creation only, among the caller's staff "
        "bodies; the only one if left out.",
    )

    def get_fields(self):
        fields = super().get_fields()
        # Only a write chooses a body (reading asks nothing of the caller's roles).
        if _writing(self):
            fields["body"].queryset = staff_bodies(self.context["request"].user)
        return fields

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is not None:
            body = attrs.get("body")
            if body is not None and body.pk != self.instance.body_id:
                raise serializers.ValidationError(
                    {"body": [_("The congress body cannot be changed.")]}
                )
            return attrs
        if attrs.get("body") is None:
            request = self.context.get("request")
            mine = list(staff_bodies(request.user)[:2]) if request else []
            if len(mine) != 1:
                raise serializers.ValidationError(
                    {"body": [_("Choose the congress body.")]}
                )
            attrs["body"] = mine[0]
        return attrs


class InStaffBody(serializers.ModelSerializer):
    """A row under a parent of one body (a session or delegation under a congress, a
    deputy under a delegation): the parent is chosen among those of the caller's
    staff bodies, and a row never moves to another body's parent."""

    # The parent's field, and the lookup from the parent's model to its body.
    parent_field = ""
    parent_body_via = ""

    def get_fields(self):
        fields = super().get_fields()
        if _writing(self):
            ids = staff_body_ids_for(self.context["request"].user)
            parent = fields[self.parent_field]
            parent.queryset = parent.queryset.filter(
                in_bodies(ids, via=self.parent_body_via)
            )
        return fields

    def validate(self, attrs):
        attrs = super().validate(attrs)
        new = attrs.get(self.parent_field)
        if self.instance is not None and new is not None:
            old = getattr(self.instance, self.parent_field)
            if _body_id(new, self.parent_body_via) != _body_id(
                old, self.parent_body_via
            ):
                raise serializers.ValidationError(
                    {
                        self.parent_field: [
                            _("The row cannot move to another congress body.")
                        ]
                    }
                )
        return attrs


def _body_id(obj, via: str) -> int:
    """The body id of ``obj``, reached by the lookup path ``via``
    (``"delegation__congress__"``)."""
    for name in filter(None, via.split("__")):
        obj = getattr(obj, name)
    return obj.body_id


class CongressSerializer(BodyOnCreate):
    name = serializers.CharField(read_only=True)
    level = serializers.ChoiceField(
        source="body.level", choices=CongressLevel.choices, read_only=True
    )
    region = serializers.CharField(source="body.region", read_only=True)

    class Meta:
        model = Congress
        fields = ["id", "name", "body", "ordinal", "level", "region"]
        # A term unique per body is checked in ``validate``.
        validators = []

    def validate(self, attrs):
        attrs = super().validate(attrs)
        body = attrs.get("body") or getattr(self.instance, "body", None)
        ordinal = attrs.get("ordinal", getattr(self.instance, "ordinal", None))
        clash = Congress.objects.filter(body=body, ordinal=ordinal)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if body is not None and ordinal is not None and clash.exists():
            raise serializers.ValidationError(
                {"ordinal": [_("This body already has a congress of this term.")]}
            )
        return attrs


class SessionSerializer(InStaffBody):
    """Marking a session current unmarks the congress's other one (the view does).
    Sealing and reopening have their own actions; here they are only read."""

    name = serializers.CharField(read_only=True)
    body = serializers.IntegerField(source="congress.body_id", read_only=True)
    accepts_suggestions = serializers.BooleanField(read_only=True)
    sealed_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Session
        fields = [
            "id",
            "name",
            "body",
            "congress",
            "ordinal",
            "year",
            "opened_on",
            "is_current",
            "accepts_suggestions",
            "sealed_at",
        ]
        # Uniqueness is checked below; "one current session" is kept by the view.
        validators = []

    parent_field = "congress"

    def validate(self, attrs):
        attrs = super().validate(attrs)
        congress = attrs.get("congress", getattr(self.instance, "congress", None))
        ordinal = attrs.get("ordinal", getattr(self.instance, "ordinal", None))
        clash = Session.objects.filter(congress=congress, ordinal=ordinal)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if congress is not None and ordinal is not None and clash.exists():
            raise serializers.ValidationError(
                {
                    "ordinal": [
                        _("This congress already has a session with this number.")
                    ]
                }
            )
        return attrs


class DelegationSerializer(InStaffBody):
    body = serializers.IntegerField(source="congress.body_id", read_only=True)

    class Meta:
        model = Delegation
        fields = ["id", "name", "body", "congress"]

    parent_field = "congress"


class DeputySerializer(InStaffBody):
    """Phone and e-mail appear only where the row is annotated ``contact_visible``
    (staff, and units handling one of the deputy's suggestions)."""

    phone = serializers.CharField(required=False, allow_blank=True, max_length=30)
    # Validated as an address, documented as a plain string: it may be "".
    email = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=254,
        validators=[EmailValidator()],
    )
    # A deputy without an account (most of them) has none: null.
    user = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    body = serializers.IntegerField(
        source="delegation.congress.body_id", read_only=True
    )

    class Meta:
        model = Deputy
        fields = [
            "id",
            "name",
            "body",
            "delegation",
            "gender",
            "ethnicity",
            "phone",
            "email",
            "active",
            "user",
        ]

    parent_field = "delegation"
    parent_body_via = "congress__"

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not getattr(instance, "contact_visible", False):
            data.pop("phone", None)
            data.pop("email", None)
        return data


class HandlingUnitSerializer(BodyOnCreate):
    parent = serializers.PrimaryKeyRelatedField(
        queryset=HandlingUnit.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = HandlingUnit
        fields = [
            "id",
            "name",
            "short_name",
            "body",
            "kind",
            "parent",
            "active",
            "duties",
        ]
        # A name unique per body is checked in ``validate``.
        validators = []

    def validate(self, attrs):
        attrs = super().validate(attrs)
        body = attrs.get("body") or getattr(self.instance, "body", None)
        name = attrs.get("name", getattr(self.instance, "name", None))
        clash = HandlingUnit.objects.filter(body=body, name=name)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if body is not None and name is not None and clash.exists():
            raise serializers.ValidationError(
                {"name": [_("This body already has a unit of this name.")]}
            )
        parent = attrs.get("parent", getattr(self.instance, "parent", None))
        if parent is not None and body is not None and parent.body_id != body.pk:
            raise serializers.ValidationError(
                {"parent": [_("A unit's parent belongs to the same congress body.")]}
            )
        return attrs

    def validate_parent(self, parent):
        """No unit may end up among its own ancestors."""
        if parent is None or self.instance is None:
            return parent
        seen, node = set(), parent
        while node is not None and node.pk not in seen:
            if node.pk == self.instance.pk:
                raise serializers.ValidationError(
                    _("A unit cannot be placed under itself or its own sub-units.")
                )
            seen.add(node.pk)
            node = node.parent
        return parent


class DeputyRefSerializer(RefSerializer):
    """A deputy named in another resource: id, name and delegation."""

    delegation = RefSerializer()

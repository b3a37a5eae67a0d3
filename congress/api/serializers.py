"""Reference data as flat rows: foreign keys are ids, both ways."""

from django.core.validators import EmailValidator
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from common.api.fields import RefSerializer

from ..models import Congress, Delegation, Deputy, HandlingUnit, Session


class CongressSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Congress
        fields = ["id", "name", "ordinal", "level", "region"]


class SessionSerializer(serializers.ModelSerializer):
    """Marking a session current unmarks the congress's other one (the view does).
    Sealing and reopening have their own actions; here they are only read."""

    name = serializers.CharField(read_only=True)
    accepts_suggestions = serializers.BooleanField(read_only=True)
    sealed_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Session
        fields = [
            "id",
            "name",
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

    def validate(self, attrs):
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


class DelegationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Delegation
        fields = ["id", "name", "congress"]


class DeputySerializer(serializers.ModelSerializer):
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

    class Meta:
        model = Deputy
        fields = [
            "id",
            "name",
            "delegation",
            "gender",
            "ethnicity",
            "phone",
            "email",
            "active",
            "user",
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not getattr(instance, "contact_visible", False):
            data.pop("phone", None)
            data.pop("email", None)
        return data


class HandlingUnitSerializer(serializers.ModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(
        queryset=HandlingUnit.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = HandlingUnit
        fields = ["id", "name", "short_name", "kind", "parent", "active"]

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

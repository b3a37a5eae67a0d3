from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from common.api.fields import RefSerializer
from congress.api.serializers import DeputyRefSerializer
from congress.models import CongressBody, Deputy, HandlingUnit

from ..models import BodyRole, Role


class TokenInputSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)
    otp = serializers.RegexField(
        r"^\d{6}$",
        required=False,
        help_text=_(
            "The six-digit code of the authenticator app, for accounts with "
            "two-factor sign-in."
        ),
    )


class TokenOutputSerializer(serializers.Serializer):
    token = serializers.CharField()
    expiry = serializers.DateTimeField(
        help_text=_(
            "When the token ends unless it is used; each use moves this forward."
        )
    )


class MembershipOutputSerializer(serializers.Serializer):
    body = serializers.IntegerField(source="body_id")
    role = serializers.ChoiceField(choices=BodyRole.choices)


class AccountOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField()
    # Not ``EmailField``: an account may have no address ("").
    email = serializers.CharField()
    is_active = serializers.BooleanField()
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices))
    unit = RefSerializer(allow_null=True)
    deputy = DeputyRefSerializer(source="deputy_profile", allow_null=True)
    memberships = MembershipOutputSerializer(many=True, source="memberships.all")
    date_joined = serializers.DateTimeField()
    last_login = serializers.DateTimeField(allow_null=True)


class MeOutputSerializer(AccountOutputSerializer):
    language = serializers.CharField()


class AccountCreateInputSerializer(serializers.Serializer):
    username = serializers.RegexField(
        r"^[\w.@+-]+\Z",
        max_length=150,
        error_messages={
            "invalid": _("Letters, digits and @/./+/-/_ only."),
        },
    )
    password = serializers.CharField(max_length=128, trim_whitespace=False)
    name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    role = serializers.ChoiceField(choices=Role.choices)
    unit = serializers.PrimaryKeyRelatedField(
        queryset=HandlingUnit.objects.filter(active=True),
        required=False,
        allow_null=True,
    )
    deputy = serializers.PrimaryKeyRelatedField(
        queryset=Deputy.objects.select_related("delegation__congress"),
        required=False,
        allow_null=True,
    )
    body = serializers.PrimaryKeyRelatedField(
        queryset=CongressBody.objects.all(),
        required=False,
        allow_null=True,
        help_text=_(
            "For staff and leaders: the congress body where the role is held "
            "(the caller's own when the caller is staff of one body only)."
        ),
    )


class AccountUpdateInputSerializer(serializers.Serializer):
    is_active = serializers.BooleanField()

"""Tokens, the caller's own account, and staff's account management (docs/api.md)."""

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from knox.auth import TokenAuthentication
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api.fields import (
    ERROR_400,
    ERROR_401,
    ERROR_403,
    ERROR_404,
    ErrorSerializer,
)
from common.api.permissions import IsCongressStaff

from .. import two_factor
from ..lockout import lockout_response
from ..models import User, accounts_of_bodies, prime_role_caches, prime_roles
from ..services import account_create, account_revoke_tokens, account_set_active
from ..tokens import token_issue
from . import serializers as s

ERROR_429 = OpenApiResponse(
    ErrorSerializer,
    description="Too many failed sign-ins for this username from this address: "
    "locked for a while (code `locked_out`).",
)


class TokenApi(APIView):
    """Exchange a username and password for a new API token (``POST``); revoke the
    token the caller is using (``DELETE``)."""

    def _signing_in(self) -> bool:
        # The schema generator asks without a request: it documents each method.
        return getattr(self.request, "method", None) == "POST"

    def get_authenticators(self):
        # Signing in takes no credentials but the body's; revoking takes the token.
        return [] if self._signing_in() else [TokenAuthentication()]

    def get_permissions(self):
        return [AllowAny()] if self._signing_in() else [IsAuthenticated()]

    @extend_schema(
        tags=["auth"],
        operation_id="auth_token",
        request=s.TokenInputSerializer,
        responses={200: s.TokenOutputSerializer, 400: ERROR_400, 429: ERROR_429},
        auth=[],
        examples=[
            OpenApiExample(
                "Login",
                value={"username": "deputy", "password": "demo2023"},
                request_only=True,
            ),
            OpenApiExample(
                "Token",
                value={
                    "token": "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"
                    "0c5a7b2e41f3d8c6a90b17e2d45f3c8a1b6e09d7f24c5a83",
                    "expiry": "2026-12-01T17:30:00+08:00",
                },
                response_only=True,
            ),
        ],
    )
    def post(self, request):
        data = s.TokenInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # The Django request: axes flags a lockout on it and reads the address.
        http_request = request._request
        user = authenticate(
            http_request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
        )
        if getattr(http_request, "axes_locked_out", False):
            return lockout_response(http_request)
        if user is None or not user.is_active:
            raise serializers.ValidationError(
                {"detail": _("Unable to log in with the credentials provided.")}
            )
        if two_factor.requires_otp(user):
            code = data.validated_data.get("otp", "")
            if not code:
                raise serializers.ValidationError(
                    {"otp": [_("This account signs in with a two-factor code.")]}
                )
            if two_factor.check_code(http_request, user, code) is None:
                if getattr(http_request, "axes_locked_out", False):
                    return lockout_response(http_request)
                raise serializers.ValidationError(
                    {"otp": [_("The code is wrong or has expired.")]}
                )
        # A token is a sign-in too: the log records it, axes resets the count.
        user_logged_in.send(sender=user.__class__, request=http_request, user=user)
        token, instance = token_issue(user=user)
        return Response(
            s.TokenOutputSerializer({"token": token, "expiry": instance.expiry}).data
        )

    @extend_schema(
        tags=["auth"],
        operation_id="auth_token_revoke",
        request=None,
        responses={204: None, 401: ERROR_401},
    )
    def delete(self, request):
        # request.auth is the caller's token row (knox): only that one ends. (Only a
        # token authenticates here; a test client forcing a user brings none.)
        if request.auth is not None:
            request.auth.delete()
        user_logged_out.send(
            sender=request.user.__class__, request=request._request, user=request.user
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


def _accounts(actor=None):
    """The accounts with what their roles need; for ``actor``, only those of the
    bodies where ``actor`` is congress staff (``accounts_of_bodies``; the schema
    generator's anonymous caller: none)."""
    rows = User.objects.select_related("unit").prefetch_related(*prime_roles())
    if actor is not None and not actor.is_authenticated:
        return rows.none()
    if actor is not None:
        rows = rows.filter(accounts_of_bodies(actor))
    return rows


class MeApi(APIView):
    """The caller: roles, unit and deputy."""

    @extend_schema(
        tags=["auth"],
        operation_id="me",
        responses={200: s.MeOutputSerializer, 401: ERROR_401},
    )
    def get(self, request):
        user = prime_role_caches(_accounts().get(pk=request.user.pk))
        return Response(s.MeOutputSerializer(user).data)


class AccountListApi(generics.GenericAPIView):
    permission_classes = [IsCongressStaff]
    filterset_fields = ["is_active", "unit"]

    def get_queryset(self):
        return _accounts(self.request.user).order_by("username")

    @extend_schema(
        tags=["accounts"],
        operation_id="accounts_list",
        responses={
            200: s.AccountOutputSerializer(many=True),
            401: ERROR_401,
            403: ERROR_403,
        },
    )
    def get(self, request):
        rows = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(rows)
        data = s.AccountOutputSerializer(
            [prime_role_caches(u) for u in page], many=True
        ).data
        return self.get_paginated_response(data)

    @extend_schema(
        tags=["accounts"],
        operation_id="accounts_create",
        request=s.AccountCreateInputSerializer,
        responses={
            201: s.AccountOutputSerializer,
            400: ERROR_400,
            401: ERROR_401,
            403: ERROR_403,
        },
        examples=[
            OpenApiExample(
                "Unit clerk",
                value={
                    "username": "clerk7",
                    "password": "a-long-passphrase",
                    "name": "王芳",
                    "role": "unit",
                    "unit": 3,
                },
                request_only=True,
            )
        ],
    )
    def post(self, request):
        data = s.AccountCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = account_create(actor=request.user, **data.validated_data)
        user = prime_role_caches(_accounts().get(pk=user.pk))
        return Response(
            s.AccountOutputSerializer(user).data, status=status.HTTP_201_CREATED
        )


class AccountDetailApi(generics.GenericAPIView):
    permission_classes = [IsCongressStaff]

    def get_queryset(self):
        return _accounts(self.request.user)

    @extend_schema(
        tags=["accounts"],
        operation_id="accounts_retrieve",
        responses={
            200: s.AccountOutputSerializer,
            401: ERROR_401,
            403: ERROR_403,
            404: ERROR_404,
        },
    )
    def get(self, request, pk: int):
        user = get_object_or_404(self.get_queryset(), pk=pk)
        return Response(s.AccountOutputSerializer(prime_role_caches(user)).data)

    @extend_schema(
        tags=["accounts"],
        operation_id="accounts_update",
        request=s.AccountUpdateInputSerializer,
        responses={
            200: s.AccountOutputSerializer,
            400: ERROR_400,
            401: ERROR_401,
            403: ERROR_403,
            404: ERROR_404,
        },
    )
    def patch(self, request, pk: int):
        user = get_object_or_404(self.get_queryset(), pk=pk)
        data = s.AccountUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        account_set_active(actor=request.user, user_id=user.pk, **data.validated_data)
        user = prime_role_caches(self.get_queryset().get(pk=pk))
        return Response(s.AccountOutputSerializer(user).data)


class AccountRevokeTokensApi(generics.GenericAPIView):
    permission_classes = [IsCongressStaff]

    @extend_schema(
        tags=["accounts"],
        operation_id="accounts_revoke_tokens",
        request=None,
        responses={
            200: s.AccountOutputSerializer,
            401: ERROR_401,
            403: ERROR_403,
            404: ERROR_404,
        },
    )
    def post(self, request, pk: int):
        """End every API token of the account; its clients must sign in again."""
        user = get_object_or_404(_accounts(request.user), pk=pk)
        account_revoke_tokens(actor=request.user, user_id=user.pk)
        user = prime_role_caches(_accounts().get(pk=pk))
        return Response(s.AccountOutputSerializer(user).data)

"""The caller's own inbox (docs/api.md): list (``?unread=true``) and mark one read."""

import django_filters
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response

from common.api.fields import ERROR_401, ERROR_404

from ..models import Notification


class NotificationOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "suggestion", "created_at", "read_at"]
        read_only_fields = fields


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(
        field_name="read_at", lookup_expr="isnull", label="Unread only"
    )

    class Meta:
        model = Notification
        fields = ["unread"]


class InboxScope:
    """Only the caller's own messages exist for them (404 for anyone else's)."""

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return Notification.objects.none()
        return Notification.objects.filter(recipient=self.request.user)


class NotificationListApi(InboxScope, generics.ListAPIView):
    serializer_class = NotificationOutputSerializer
    filterset_class = NotificationFilter

    @extend_schema(
        tags=["notifications"],
        responses={200: NotificationOutputSerializer(many=True), 401: ERROR_401},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class NotificationReadApi(InboxScope, generics.GenericAPIView):
    serializer_class = NotificationOutputSerializer

    @extend_schema(
        tags=["notifications"],
        operation_id="notifications_read",
        request=None,
        responses={200: NotificationOutputSerializer, 401: ERROR_401, 404: ERROR_404},
    )
    @transaction.atomic
    def post(self, request, pk: int):
        notification = get_object_or_404(self.get_queryset().select_for_update(), pk=pk)
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
        return Response(NotificationOutputSerializer(notification).data)

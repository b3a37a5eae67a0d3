"""The REST API, version 1 (shared/API.md), its OpenAPI schema and offline docs."""

from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerView,
)
from rest_framework.permissions import AllowAny

app_name = "api"

urlpatterns = [
    path("", include("accounts.api.urls")),
    path("", include("congress.api.urls")),
    path("", include("suggestions.api.urls")),
    path("", include("notifications.api")),
    # The contract is public: outside clients read it before they hold a token.
    path(
        "schema/",
        SpectacularAPIView.as_view(permission_classes=[AllowAny]),
        name="schema",
    ),
    path(
        "docs/",
        SpectacularSwaggerView.as_view(
            url_name="api:schema", permission_classes=[AllowAny]
        ),
        name="docs",
    ),
    path(
        "redoc/",
        SpectacularRedocView.as_view(
            url_name="api:schema", permission_classes=[AllowAny]
        ),
        name="redoc",
    ),
]

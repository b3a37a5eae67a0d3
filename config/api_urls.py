"""The REST API, version 1 (docs/api.md), its OpenAPI schema and offline docs."""

from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.permissions import AllowAny

from common.api.idempotency import idempotent_patterns

app_name = "api"

# Swagger UI and Redoc set styles at run time and Redoc searches in a blob: worker:
# only their two pages relax the policy, and only for that (scripts stay 'self').
docs_policy = csp_update(
    {"style-src": ["'unsafe-inline'"], "worker-src": ["'self'", "blob:"]}
)

urlpatterns = [
    path("", include("accounts.api.urls")),
    path("", include("congress.api.urls")),
    path("", include("suggestions.api.urls")),
    path("", include("notifications.api.urls")),
    path("", include("dashboard.api.urls")),
    path("", include("imports.api.urls")),
    # The contract is public: outside clients read it before they hold a token.
    path(
        "schema/",
        SpectacularAPIView.as_view(permission_classes=[AllowAny]),
        name="schema",
    ),
    path(
        "docs/",
        # The split view loads its start-up code from a URL, not inline.
        docs_policy(
            SpectacularSwaggerSplitView.as_view(
                url_name="api:schema", permission_classes=[AllowAny]
            )
        ),
        name="docs",
    ),
    path(
        "redoc/",
        docs_policy(
            SpectacularRedocView.as_view(
                url_name="api:schema", permission_classes=[AllowAny]
            )
        ),
        name="redoc",
    ),
]

# Every POST view honours ``Idempotency-Key`` (common/api/idempotency.py), the ones
# added later too.
urlpatterns = idempotent_patterns(urlpatterns)

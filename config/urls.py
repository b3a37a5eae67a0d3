from django.contrib import admin
from django.urls import include, path

from congress.health import healthz
from suggestions.views.common import home

urlpatterns = [
    path("", home, name="home"),
    # Normally answered by congress.health.HealthCheckMiddleware before routing.
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("notifications/", include("notifications.urls")),
    path("", include("suggestions.urls")),
]
# Uploaded letters are never served from MEDIA_URL: only through the reply-letter
# view, which checks who may read them.

# The database unreachable → 503 with Retry-After; other errors → the 500 page.
handler500 = "congress.health.server_error"

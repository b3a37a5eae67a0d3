from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from congress.health import healthz
from suggestions.views.common import home

urlpatterns = [
    path("", home, name="home"),
    # Pages without an icon link (the admin's) make browsers ask for /favicon.ico.
    path(
        "favicon.ico", lambda request: redirect(static("favicon.svg"), permanent=True)
    ),
    # One way in: the site's login (throttled, with the two-factor step) serves the
    # admin too.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="accounts:login", query_string=True),
    ),
    # Normally answered by congress.health.HealthCheckMiddleware before routing.
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("audit/", include("audit.urls")),
    path("notifications/", include("notifications.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("", include("suggestions.urls")),
]
# Uploaded letters are never served from MEDIA_URL: only through the reply-letter
# view, which checks who may read them.

# The database unreachable → 503 with Retry-After; other errors → the 500 page.
handler500 = "congress.health.server_error"

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from congress.health import healthz
from suggestions.views.common import home


def admin_login(request):
    """The admin sends whoever it does not admit here. A stranger signs in at the
    site's login; a signed-in user who is no admin would be sent back to the admin,
    and from there here again, for ever: that is a 403."""
    if request.user.is_authenticated and not request.user.is_staff:
        raise PermissionDenied
    return RedirectView.as_view(pattern_name="accounts:login", query_string=True)(
        request
    )


urlpatterns = [
    path("", home, name="home"),
    # Pages without an icon link (the admin's) make browsers ask for /favicon.ico.
    path(
        "favicon.ico", lambda request: redirect(static("favicon.svg"), permanent=True)
    ),
    # One way in: the site's login (throttled, with the two-factor step) serves the
    # admin too.
    path("admin/login/", admin_login),
    # Normally answered by congress.health.HealthCheckMiddleware before routing.
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("audit/", include("audit.urls")),
    path("notifications/", include("notifications.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("imports/", include("imports.urls")),
    path("", include("suggestions.urls")),
]
# Uploaded letters are never served from MEDIA_URL: only through the reply-letter
# view, which checks who may read them.

# The database unreachable → 503 with Retry-After; other errors → the 500 page.
handler500 = "congress.health.server_error"
# Under /api/ an unknown path is a JSON 404; elsewhere the site's page.
handler404 = "config.errors.page_not_found"

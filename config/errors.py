"""The root URLconf's error views where they differ from Django's: under ``/api/`` a
client reads JSON, so an unknown path there is a JSON 404."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults


def page_not_found(request, exception):
    """``handler404``: JSON under ``/api/``, the site's 404 page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": _("Not found."), "code": "not_found"}, status=404
        )
    return defaults.page_not_found(request, exception)

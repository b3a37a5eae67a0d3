from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from .selectors import security_events

PAGE_SIZE = 50


@login_required
def event_list(request):
    """The security log for congress staff, filtered and paginated (read only)."""
    if not request.user.is_congress_staff:
        raise PermissionDenied
    events = security_events(request.GET)
    rows = events.qs if events.is_valid() else events.queryset.none()
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/event_list.html",
        {"filter": events, "page_obj": page, "events": page.object_list},
    )

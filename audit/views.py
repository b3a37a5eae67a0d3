from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.errors import NotFound

from .lockouts import active_lockouts, unlock
from .selectors import security_events

PAGE_SIZE = 50


@login_required
def event_list(request):
    """The security log for congress staff, filtered and paginated (read only)."""
    if not request.user.is_congress_staff:
        raise PermissionDenied
    events = security_events(request.GET, actor=request.user)
    rows = events.qs if events.is_valid() else events.queryset.none()
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/event_list.html",
        {"filter": events, "page_obj": page, "events": page.object_list},
    )


@login_required
def lockout_list(request):
    """The username/IP pairs locked now, each with a button to lift the lock."""
    if not request.user.is_congress_staff:
        raise PermissionDenied
    return render(
        request,
        "audit/lockout_list.html",
        {"lockouts": active_lockouts(actor=request.user)[:200]},
    )


@login_required
@require_POST
def lockout_lift(request, pk: int):
    if not request.user.is_congress_staff:
        raise PermissionDenied
    try:
        username = unlock(actor=request.user, attempt_id=pk)
    except NotFound:
        raise Http404 from None
    messages.success(
        request, _("%(username)s may sign in again.") % {"username": username}
    )
    return redirect("audit:lockouts")

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .models import Notification


@login_required
def inbox(request):
    """The user's own messages, newest first; ``?unread=1`` shows unread ones."""
    notifications = request.user.notifications.select_related("suggestion")
    unread_only = request.GET.get("unread") == "1"
    if unread_only:
        notifications = notifications.unread()
    page = Paginator(notifications, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {"page_obj": page, "unread_only": unread_only},
    )


@login_required
@require_POST
def mark_read(request, pk: int):
    """Open a message: mark it read and go to what it is about."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    if notification.suggestion_id:
        return redirect("suggestions:detail", pk=notification.suggestion_id)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    count = request.user.notifications.unread().update(read_at=timezone.now())
    messages.success(request, _("%(count)d messages marked read.") % {"count": count})
    return redirect("notifications:inbox")

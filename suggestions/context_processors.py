"""What the page header needs: the role's navigation and the unread message count."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# (role test, url name, label), in the order shown in the header.
NAVIGATION = (
    ("is_deputy", "suggestions:my-suggestions", _("My suggestions")),
    ("is_deputy", "suggestions:invitations", _("Awaiting my co-signature")),
    ("is_congress_staff", "suggestions:review-queue", _("Review")),
    ("is_congress_staff", "suggestions:requests", _("Requests")),
    ("is_congress_staff", "suggestions:list", _("All suggestions")),
    ("is_leader", "suggestions:list", _("All suggestions")),
    ("is_congress_staff", "suggestions:overdue", _("Overdue")),
    ("is_congress_staff", "suggestions:evaluation-meetings", _("On-site evaluation")),
    ("is_leader", "suggestions:key-supervised", _("Key supervised")),
    ("is_congress_staff", "suggestions:promises", _("Promises")),
    ("is_leader", "suggestions:promises", _("Promises")),
    ("is_unit_member", "suggestions:unit-assignments", _("Assignments")),
    ("is_congress_staff", "dashboard:index", _("Dashboard")),
    ("is_leader", "dashboard:index", _("Dashboard")),
    ("is_congress_staff", "imports:index", _("Import")),
    # A unit's clerk reads their own unit's score (the dashboard's assessment tab).
    ("is_unit_member", "dashboard:assessment", _("Assessment")),
)


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items, seen = [], set()
    for test, name, label in NAVIGATION:
        if name not in seen and getattr(user, test):
            seen.add(name)
            items.append({"url": reverse(name), "label": label})
    unread = user.notifications.filter(read_at__isnull=True).count()
    return {"nav_items": items, "unread_notifications": unread}

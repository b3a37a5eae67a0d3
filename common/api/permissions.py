"""What a role may ever do through the API (403 otherwise). Which objects a caller
reaches is the views' ``get_queryset`` (404 outside it), never checked here. The
refusals are translated lazily, so each reads in the request's language."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission


def _is(user, role: str) -> bool:
    return bool(user and user.is_authenticated and getattr(user, role, False))


class IsCongressStaff(BasePermission):
    message = _("Only congress staff may do this.")

    def has_permission(self, request, view):
        return _is(request.user, "is_congress_staff")


class IsStaffOrLeader(BasePermission):
    message = _("Only congress staff and leaders may see this.")

    def has_permission(self, request, view):
        user = request.user
        return _is(user, "is_congress_staff") or _is(user, "is_leader")


class IsStaffLeaderOrUnit(BasePermission):
    """Assignments: staff and leaders read them all, a unit member its unit's."""

    message = _("Only congress staff, leaders and handling units may see assignments.")

    def has_permission(self, request, view):
        user = request.user
        return (
            _is(user, "is_congress_staff")
            or _is(user, "is_leader")
            or _is(user, "is_unit_member")
        )


class IsStaffOrUnit(BasePermission):
    message = _("Only congress staff and handling units may see adjustment requests.")

    def has_permission(self, request, view):
        user = request.user
        return _is(user, "is_congress_staff") or _is(user, "is_unit_member")


class IsUnitMember(BasePermission):
    message = _("Only a handling unit's members may do this.")

    def has_permission(self, request, view):
        return _is(request.user, "is_unit_member")


class IsDeputy(BasePermission):
    message = _("Only deputies may do this.")

    def has_permission(self, request, view):
        return _is(request.user, "is_deputy")


class DeputyWrites(BasePermission):
    """Anyone logged in reads (their scope); only a deputy creates or edits drafts."""

    message = _("Only deputies may draft suggestions.")

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return _is(request.user, "is_deputy")


class DeputyOrStaffCreates(BasePermission):
    """The suggestions list: anyone logged in reads (their scope); a deputy drafts
    a new suggestion, congress staff enter one on behalf of deputies (代录)."""

    message = _("Only deputies and congress staff may create suggestions.")

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return _is(request.user, "is_deputy") or _is(request.user, "is_congress_staff")


class StaffWritesOthersRead(BasePermission):
    """Reference data: read by anyone logged in, written by staff."""

    message = _("Only congress staff may change reference data.")

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return _is(request.user, "is_congress_staff")

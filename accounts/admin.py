"""Admin for user accounts, with the roles each account derives from its links."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.errors import DomainError
from congress.admin import InStaffBodiesAdmin

from .models import (
    BodyRole,
    Membership,
    Role,
    User,
    accounts_of_bodies,
    prime_role_caches,
    prime_roles,
)
from .services import account_check_deactivation


class RoleFilter(admin.SimpleListFilter):
    title = _("role")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return Role.choices

    def queryset(self, request, queryset):
        value = self.value()
        if value == Role.STAFF:
            return queryset.filter(
                Q(is_superuser=True) | Q(memberships__role=BodyRole.STAFF)
            ).distinct()
        if value == Role.LEADER:
            return queryset.filter(memberships__role=BodyRole.LEADER).distinct()
        if value == Role.UNIT:
            return queryset.filter(unit__isnull=False)
        if value == Role.DEPUTY:
            return queryset.filter(deputy_records__isnull=False).distinct()
        return queryset


@admin.register(Membership)
class MembershipAdmin(InStaffBodiesAdmin, admin.ModelAdmin):
    """Who is staff or leader of which congress body."""

    list_display = ["user", "body", "role"]
    list_filter = ["role", "body"]
    list_select_related = ["user", "body"]
    search_fields = ["user__username", "user__name", "body__name"]
    autocomplete_fields = ["user", "body"]


class MembershipInline(admin.TabularInline):
    """The bodies where the account is staff or leader."""

    model = Membership
    extra = 0
    autocomplete_fields = ["body"]


class AccountChangeForm(UserChangeForm):
    """Switching an account off asks the account service's rule (superusers and
    the last staff account are protected); ``actor`` is set by ``get_form``."""

    actor = None

    def clean(self):
        cleaned = super().clean()
        if (
            self.instance.pk
            and "is_active" in cleaned
            and not cleaned["is_active"]
            and self.actor is not None
        ):
            try:
                account_check_deactivation(actor=self.actor, user=self.instance)
            except DomainError as exc:
                self.add_error("is_active", str(exc.message))
        return cleaned


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = AccountChangeForm
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Personal info"), {"fields": ["name", "first_name", "last_name"]}),
        (
            _("Contact"),
            {"fields": ["email", "phone", "language", "notify_email", "notify_sms"]},
        ),
        (
            _("Roles"),
            {
                "fields": ["unit", "linked_deputy"],
                "description": _(
                    "Staff and leaders hold their role in a congress body (the "
                    "memberships below); a unit member belongs to a handling unit; a "
                    "deputy is linked from the deputy's own record."
                ),
            },
        ),
        (
            _("Permissions"),
            {
                "fields": [
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "user_permissions",
                ],
                "classes": ["collapse"],
            },
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "username",
                    "name",
                    "unit",
                    "usable_password",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]
    readonly_fields = ["linked_deputy", "last_login", "date_joined"]
    list_display = [
        "username",
        "name",
        "role_list",
        "unit",
        "email",
        "is_active",
        "is_staff",
        "last_login",
    ]
    list_filter = [RoleFilter, "is_active", "is_staff", "is_superuser"]
    list_select_related = ["unit"]
    inlines = [MembershipInline]
    search_fields = ["username", "name", "first_name", "last_name", "email", "phone"]
    autocomplete_fields = ["unit"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None:
            form.actor = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Only a superuser makes superusers.
            fields.append("is_superuser")
        return fields

    def has_change_permission(self, request, obj=None):
        """Only a superuser changes a superuser (its password, its switch)."""
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def get_queryset(self, request):
        # A non-superuser admin user administers their bodies' accounts only.
        return (
            super()
            .get_queryset(request)
            .filter(accounts_of_bodies(request.user))
            .select_related("unit")
            .prefetch_related(*prime_roles())
        )

    @admin.display(description=_("roles"))
    def role_list(self, obj: User) -> str:
        prime_role_caches(obj)
        return ", ".join(str(Role(role).label) for role in obj.roles) or "—"

    @admin.display(description=_("deputy"))
    def linked_deputy(self, obj: User) -> str:
        records = obj.deputy_records.select_related("delegation__congress__body")
        return (
            "; ".join(
                f"{deputy} ({deputy.delegation.congress.body} · {deputy.delegation})"
                for deputy in records
            )
            or "—"
        )

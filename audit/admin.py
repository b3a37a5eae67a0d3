from django.contrib import admin

from .models import SecurityEvent


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    """Read only: nobody may add, change or delete security events."""

    list_display = ["at", "action", "actor_username", "ip", "target"]
    list_filter = ["action", "at"]
    search_fields = ["actor_username", "target", "ip"]
    date_hierarchy = "at"
    readonly_fields = [
        "at",
        "action",
        "actor_id",
        "actor_username",
        "ip",
        "target",
        "details",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

from django.contrib import admin

from .models import Delivery, Notification, Reminder


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    readonly_fields = [
        "channel",
        "address",
        "status",
        "attempts",
        "sent_at",
        "last_error",
    ]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "kind", "created_at", "read_at"]
    list_filter = ["kind", "created_at"]
    search_fields = ["title", "recipient__username", "recipient__name"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient", "suggestion"]
    date_hierarchy = "created_at"
    inlines = [DeliveryInline]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "notification",
        "channel",
        "address",
        "status",
        "attempts",
        "sent_at",
    ]
    list_filter = ["channel", "status"]
    search_fields = ["address", "notification__title"]
    list_select_related = ["notification"]
    raw_id_fields = ["notification"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["key", "kind", "due_at", "created_at"]
    list_filter = ["kind"]
    search_fields = ["key"]
    raw_id_fields = ["assignment"]
    date_hierarchy = "created_at"

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

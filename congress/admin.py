"""Admin for the institution's reference data: fully editable by staff.

Congresses, their rules and sessions, delegations, deputies, handling units and the
calendar overrides are what staff maintain by hand; nothing here moves a suggestion
through its workflow. Every changelist names its related objects through
``list_select_related`` so that its query count does not grow with the page size.
"""

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from . import services
from .models import (
    CalendarDay,
    Congress,
    CongressBody,
    Delegation,
    Deputy,
    HandlingRules,
    HandlingUnit,
    Outcome,
    Session,
    SessionSealing,
    WorkerHeartbeat,
)


@admin.register(CongressBody)
class CongressBodyAdmin(admin.ModelAdmin):
    """The institutions the platform serves: a prefecture's congress and its
    counties' (the parent links them)."""

    list_display = ["name", "short_name", "region", "level", "parent", "term_count"]
    list_filter = ["level"]
    list_select_related = ["parent"]
    search_fields = ["name", "short_name", "region"]
    autocomplete_fields = ["parent"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_term_count=Count("congresses"))

    @admin.display(description=_("terms"), ordering="_term_count")
    def term_count(self, obj):
        return obj._term_count


@admin.register(Congress)
class CongressAdmin(admin.ModelAdmin):
    list_display = ["__str__", "body", "ordinal"]
    list_filter = ["body__level", "body"]
    list_select_related = ["body"]
    search_fields = ["body__name", "body__region"]


class HandlingRulesForm(forms.ModelForm):
    """Reply classes as check boxes instead of raw JSON. The model's ``clean`` (run by
    the form's ``full_clean``) still refuses an empty list or one without 'resolved',
    and the database constraints are validated too."""

    offered_outcomes = forms.MultipleChoiceField(
        label=_("reply classes offered"),
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = HandlingRules
        fields = [
            "congress",
            "reply_months",
            "complex_reply_months",
            "max_extension_months",
            "co_unit_opinion_months",
            "rehandling_reply_months",
            "reassignment_window_working_days",
            "rating_window_working_days",
            "contact_reminder_working_days",
            "max_rehandling_rounds",
            "lead_reply_before_co_opinions",
            "offered_outcomes",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offered_outcomes"].choices = Outcome.choices


@admin.register(HandlingRules)
class HandlingRulesAdmin(admin.ModelAdmin):
    form = HandlingRulesForm
    list_display = [
        "congress",
        "reply_months",
        "complex_reply_months",
        "max_extension_months",
        "reassignment_window_working_days",
        "rating_window_working_days",
        "rehandling_reply_months",
        "max_rehandling_rounds",
        "lead_reply_before_co_opinions",
    ]
    list_select_related = ["congress__body"]
    search_fields = ["congress__body__region"]
    fieldsets = [
        (None, {"fields": ["congress"]}),
        (
            _("Deadlines (calendar months from assignment)"),
            {
                "fields": [
                    "reply_months",
                    "complex_reply_months",
                    "max_extension_months",
                    "co_unit_opinion_months",
                    "rehandling_reply_months",
                ]
            },
        ),
        (
            _("Windows (working days)"),
            {
                "fields": [
                    "reassignment_window_working_days",
                    "rating_window_working_days",
                    "contact_reminder_working_days",
                ]
            },
        ),
        (
            _("Choices"),
            {
                "fields": [
                    "max_rehandling_rounds",
                    "lead_reply_before_co_opinions",
                    "offered_outcomes",
                ]
            },
        ),
    ]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "congress",
        "ordinal",
        "year",
        "opened_on",
        "is_current",
        "sealed_at",
    ]
    list_filter = ["is_current", "congress", "year"]
    # Sealed and reopened only from the annual review page or the API, which keep
    # the record of who did it and why.
    readonly_fields = ["sealed_at", "sealed_by"]
    list_select_related = ["congress__body"]
    search_fields = ["congress__body__region", "year"]
    date_hierarchy = "opened_on"

    def save_model(self, request, obj, form, change):
        # Marking a session current moves the mark (the rule the API keeps too).
        services.session_save(session=obj)

    def get_search_results(self, request, queryset, search_term):
        # Used by the suggestions' autocomplete; keep the congress joined.
        queryset, distinct = super().get_search_results(request, queryset, search_term)
        return queryset.select_related("congress__body"), distinct


@admin.register(SessionSealing)
class SessionSealingAdmin(admin.ModelAdmin):
    """The record of seals and reopenings: read only."""

    list_display = ["session", "action", "at", "actor", "reason"]
    list_filter = ["action"]
    list_select_related = ["session__congress__body", "actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    list_display = ["name", "congress", "deputy_count"]
    list_filter = ["congress"]
    list_select_related = ["congress__body"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_deputy_count=Count("deputies"))

    @admin.display(description=_("deputies"), ordering="_deputy_count")
    def deputy_count(self, obj):
        return obj._deputy_count


@admin.register(Deputy)
class DeputyAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "delegation",
        "gender",
        "ethnicity",
        "phone",
        "email",
        "user",
        "active",
    ]
    list_filter = ["active", "delegation__congress", "delegation", "gender"]
    list_select_related = ["delegation", "user"]
    search_fields = ["name", "phone", "email", "user__username"]
    autocomplete_fields = ["user"]


@admin.register(HandlingUnit)
class HandlingUnitAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "short_name",
        "body",
        "kind",
        "parent",
        "member_count",
        "active",
    ]
    list_filter = ["body", "active", "kind"]
    list_select_related = ["parent", "body"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["parent"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_member_count=Count("members"))

    @admin.display(description=_("members"), ordering="_member_count")
    def member_count(self, obj):
        return obj._member_count


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """Holidays and make-up working days that win over the chinesecalendar package
    (and describe years it does not know yet)."""

    list_display = ["date", "is_working_day", "name"]
    list_filter = ["is_working_day"]
    search_fields = ["name"]
    date_hierarchy = "date"


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    """Written by the Celery beat schedule; shown so staff can see the worker runs."""

    list_display = ["name", "beat_at"]
    readonly_fields = ["name", "beat_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

"""Admin for the institution's reference data: fully editable by staff.

Congresses, their rules and sessions, delegations, deputies, handling units and the
calendar overrides are what staff maintain by hand; nothing here moves a suggestion
through its workflow. Every changelist names its related objects through
``list_select_related`` so that its query count does not grow with the page size.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from . import services
from .models import (
    CalendarDay,
    Congress,
    CongressBody,
    ContactStage,
    Delegation,
    Deputy,
    HandlingRules,
    HandlingUnit,
    Outcome,
    Session,
    SessionSealing,
    WorkerHeartbeat,
)
from .selectors import in_bodies, staff_body_ids_for

# The relations that lead from a row towards its congress body, tried in this order.
_TOWARDS_BODY = (
    "body",
    "congress",
    "session",
    "delegation",
    "suggestion",
    "assignment",
    "reply",
)


def body_path(model) -> str | None:
    """The lookup prefix from ``model`` to its congress body's id (``""`` for a model
    with a ``body``, ``"session__congress__"`` for a suggestion …), as
    ``selectors.in_bodies`` takes it; None for a model that belongs to no body."""
    for name in _TOWARDS_BODY:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        # A forward key, many-to-one or one-to-one (a count's session, an index's
        # body): a reverse relation of the same name leads nowhere.
        if not (
            field.concrete
            and (field.many_to_one or field.one_to_one)
            and field.related_model is not None
        ):
            continue
        if field.related_model is CongressBody:
            return ""
        rest = body_path(field.related_model)
        if rest is not None:
            return f"{name}__{rest}"
    return None


def in_staff_bodies(model, user) -> Q | None:
    """The rows of ``model`` in the bodies where ``user`` is congress staff, as a
    condition; None when nothing is to be filtered (the superuser, or a model of no
    body)."""
    ids = staff_body_ids_for(user)
    if ids is None:
        return None
    if model is CongressBody:
        return Q(pk__in=ids)
    via = body_path(model)
    if via is None:
        return None
    condition = in_bodies(ids, via=via)
    if model is CalendarDay:
        # The national days are everyone's (read only, see CalendarDayAdmin).
        condition |= Q(body__isnull=True)
    return condition


class InStaffBodiesAdmin:
    """The admin of a model that belongs to a congress body, for an ``is_staff``
    user who is not the superuser: only the rows of the bodies where they are
    congress staff (``accounts.Membership``), in the changelist, on a change page
    (another body's row is "not found") and in the choices of a foreign key. Every
    ModelAdmin of ``congress`` and ``suggestions`` mixes it in
    (``tests/test_admin.py``)."""

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        condition = in_staff_bodies(rows.model, request.user)
        return rows if condition is None else rows.filter(condition)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        condition = in_staff_bodies(related, request.user)
        if condition is not None and "queryset" not in kwargs:
            kwargs["queryset"] = related._default_manager.filter(condition)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class InStaffBodiesFilter(admin.RelatedOnlyFieldListFilter):
    """A foreign key's filter listing only the rows the changelist shows (never
    another body's names)."""


@admin.register(CongressBody)
class CongressBodyAdmin(InStaffBodiesAdmin, admin.ModelAdmin):
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
class CongressAdmin(InStaffBodiesAdmin, admin.ModelAdmin):
    list_display = ["__str__", "body", "ordinal"]
    list_filter = ["body__level", ("body", InStaffBodiesFilter)]
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
    required_contact_stages = forms.MultipleChoiceField(
        label=_("contact stages required before the reply"),
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
            "rating_sends_back",
            "offered_outcomes",
            "required_contact_stages",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offered_outcomes"].choices = Outcome.choices
        self.fields["required_contact_stages"].choices = ContactStage.choices


@admin.register(HandlingRules)
class HandlingRulesAdmin(InStaffBodiesAdmin, admin.ModelAdmin):
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
                    "rating_sends_back",
                    "offered_outcomes",
                    "required_contact_stages",
                ]
            },
        ),
    ]


@admin.register(Session)
class SessionAdmin(InStaffBodiesAdmin, admin.ModelAdmin):
    list_display = [
        "__str__",
        "congress",
        "ordinal",
        "year",
        "opened_on",
        "is_current",
        "sealed_at",
    ]
    list_filter = ["is_current", ("congress", InStaffBodiesFilter), "year"]
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
class SessionSealingAdmin(InStaffBodiesAdmin, admin.ModelAdmin):
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
class DelegationAdmin(InStaffBodiesAdmin, admin.ModelAdmin):
    list_display = ["name", "congress", "deputy_count"]
    list_filter = [("congress", InStaffBodiesFilter)]
    list_select_related = ["congress__body"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_deputy_count=Count("deputies"))

    @admin.display(description=_("deputies"), ordering="_deputy_count")
    def deputy_count(self, obj):
        return obj._deputy_count


@admin.register(Deputy)
class DeputyAdmin(InStaffBodiesAdmin, admin.ModelAdmin):
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
    list_filter = [
        "active",
        ("delegation__congress", InStaffBodiesFilter),
        ("delegation", InStaffBodiesFilter),
        "gender",
    ]
    list_select_related = ["delegation", "user"]
    search_fields = ["name", "phone", "email", "user__username"]
    autocomplete_fields = ["user"]


@admin.register(HandlingUnit)
class HandlingUnitAdmin(InStaffBodiesAdmin, admin.ModelAdmin):
    list_display = [
        "name",
        "short_name",
        "body",
        "kind",
        "parent",
        "member_count",
        "active",
    ]
    list_filter = [("body", InStaffBodiesFilter), "active", "kind"]
    list_select_related = ["parent", "body"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["parent"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_member_count=Count("members"))

    @admin.display(description=_("members"), ordering="_member_count")
    def member_count(self, obj):
        return obj._member_count


@admin.register(CalendarDay)
class CalendarDayAdmin(InStaffBodiesAdmin, admin.ModelAdmin):
    """Holidays and make-up working days that win over the chinesecalendar package
    (and describe years it does not know yet). A day without a body is national:
    only the superuser changes those; a body's staff add and change their body's
    own days (a regional holiday) and read the national ones."""

    list_display = ["date", "body", "is_working_day", "name"]
    list_filter = ["is_working_day", ("body", InStaffBodiesFilter)]
    list_select_related = ["body"]
    search_fields = ["name"]
    date_hierarchy = "date"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if not request.user.is_superuser and "body" in form.base_fields:
            # A body's staff enter their body's days, never a national one.
            form.base_fields["body"].required = True
        return form

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.body_id is None and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.body_id is None and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(InStaffBodiesAdmin, admin.ModelAdmin):
    """Written by the Celery beat schedule; shown so staff can see the worker runs."""

    list_display = ["name", "beat_at"]
    readonly_fields = ["name", "beat_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

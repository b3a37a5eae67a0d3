"""Admin for the work: suggestions and everything that happens to them.

Every state change goes through ``services.py`` (one guarded function per transition
that checks the actor, locks the row and writes the timeline). The admin therefore
offers no way around the workflow: suggestions, co-signatures, assignments, requests,
contact records, evaluations, events, the leading leaders and the supervision
activities of key suggestions are view-only here, and a reply lets staff
edit only its public summary. The only actions that change anything (publishing
replies) call the services. Categories are reference data and fully editable.

Changelists name their related rows through ``list_select_related`` so that their
query count does not grow with the page size (``tests/test_admin.py`` pins it).
"""

from django.contrib import admin, messages
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.errors import DomainError
from congress.admin import InStaffBodiesAdmin, InStaffBodiesFilter, in_staff_bodies
from congress.models import Session

from . import services
from .models import (
    OPEN_STATUSES,
    AdjustmentRequest,
    Assignment,
    Category,
    ContactRecord,
    CoSignature,
    Evaluation,
    EvaluationMeeting,
    Event,
    HandlingLeader,
    HandlingPlan,
    IntakeIndex,
    Outcome,
    PlanMilestone,
    ProgressReport,
    Promise,
    PublishedCount,
    Reply,
    StatusCount,
    Suggestion,
    SupervisionActivity,
)


class VisibleSuggestionsMixin:
    """Only what the user may see of suggestions (docs/domain.md): a deputy's draft is
    theirs alone, even to a superuser; an admin user who is a unit member sees only
    its unit's suggestions. ``suggestion_path`` leads from the model to Suggestion."""

    suggestion_path = "suggestion"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not self.suggestion_path:
            return queryset.visible_to(request.user)
        visible = Suggestion.objects.visible_to(request.user).values("pk")
        return queryset.filter(**{f"{self.suggestion_path}__in": visible})


class ViewOnlyMixin:
    """Neither add, change nor delete: the services are the only writers."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SessionFilter(admin.SimpleListFilter):
    """Sessions by name, read in one query (a session's name includes its congress)."""

    title = _("session")
    parameter_name = "session"

    def lookups(self, request, model_admin):
        sessions = Session.objects.select_related("congress__body").order_by(
            "-opened_on"
        )
        mine = in_staff_bodies(Session, request.user)
        if mine is not None:
            sessions = sessions.filter(mine)
        return [(str(s.pk), str(s)) for s in sessions]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(session_id=int(value))
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    """Live work past its due date, or still within it: for assignments, live as
    ``Assignment.objects.live`` says; for suggestions, being handled."""

    title = _("deadline")
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [("overdue", _("Overdue")), ("open", _("Open, not overdue"))]

    def open_items(self, queryset):
        return queryset.live()

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "overdue":
            return self.open_items(queryset).filter(due_at__lt=today)
        if self.value() == "open":
            return self.open_items(queryset).exclude(due_at__lt=today)
        return queryset


class SuggestionOverdueFilter(OverdueFilter):
    def open_items(self, queryset):
        return queryset.filter(status__in=OPEN_STATUSES)


# --- inlines of the suggestion page ---------------------------------------------------


class CoSignatureInline(ViewOnlyMixin, admin.TabularInline):
    model = CoSignature
    fields = ["deputy", "invited_at", "signed_at"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("deputy__delegation")


class AssignmentInline(ViewOnlyMixin, admin.TabularInline):
    model = Assignment
    fields = [
        "round",
        "unit",
        "role",
        "assigned_at",
        "due_at",
        "acknowledged_at",
        "replied_at",
        "active",
    ]
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("unit")


class EvaluationInline(ViewOnlyMixin, admin.TabularInline):
    model = Evaluation
    fields = [
        "round",
        "deputy",
        "attitude",
        "rating",
        "channel",
        "entered_by",
        "comment",
        "created_at",
    ]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("deputy", "entered_by")


class EventInline(ViewOnlyMixin, admin.TabularInline):
    """The append-only timeline, oldest first."""

    model = Event
    fields = ["created_at", "action", "from_status", "to_status", "actor", "note"]
    ordering = ["created_at", "pk"]
    extra = 0
    verbose_name_plural = _("timeline")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


# --- suggestions ----------------------------------------------------------------------


@admin.register(Suggestion)
class SuggestionAdmin(
    InStaffBodiesAdmin, VisibleSuggestionsMixin, ViewOnlyMixin, admin.ModelAdmin
):
    suggestion_path = ""
    list_display = [
        "number",
        "title",
        "session",
        "status",
        "category",
        "lead_deputy",
        "lead_unit",
        "due_at",
        "overdue",
        "round",
        "outcome",
        "rating",
        "key_supervised",
        "is_public",
    ]
    list_display_links = ["number", "title"]
    list_filter = [
        SessionFilter,
        "status",
        SuggestionOverdueFilter,
        ("category", InStaffBodiesFilter),
        "lead_unit__kind",
        "key_supervised",
        "is_public",
        "complexity",
        "outcome",
        "rating",
        "escalated",
        ("lead_deputy__delegation", InStaffBodiesFilter),
    ]
    list_select_related = [
        "session__congress__body",
        "category",
        "lead_deputy",
        "lead_unit",
    ]
    search_fields = [
        "title",
        "lead_deputy__name",
        "lead_unit__name",
        "lead_unit__short_name",
    ]
    search_help_text = _("Title, lead deputy or lead unit; a number finds that number.")
    date_hierarchy = "submitted_at"
    list_per_page = 50
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "session",
                    "number",
                    "title",
                    "body",
                    "category",
                    "lead_deputy",
                    # Entered on behalf (代录): who, and the scan's uploaded name (the
                    # scan itself downloads from the suggestion's page, for those
                    # who take part in it, never from the media URL).
                    "entered_by",
                    "original_name",
                ]
            },
        ),
        (
            _("Handling"),
            {
                "fields": [
                    "status",
                    "round",
                    "complexity",
                    "lead_unit",
                    "due_at",
                    "outcome",
                    "rating",
                    "escalated",
                    "key_supervised",
                    "supervising_leader",
                    "is_public",
                ]
            },
        ),
        (
            _("Not accepted or merged"),
            {
                "fields": ["rejection_reason", "disposition", "merged_into"],
                "classes": ["collapse"],
            },
        ),
        (
            _("Milestones"),
            {
                "fields": [
                    "created_at",
                    "submitted_at",
                    "registered_at",
                    "assigned_at",
                    "replied_at",
                    "closed_at",
                    "updated_at",
                ]
            },
        ),
    ]
    inlines = [CoSignatureInline, AssignmentInline, EvaluationInline, EventInline]
    actions = ["publish_replies", "unpublish_replies"]

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(
            request, queryset, search_term
        )
        term = search_term.strip()
        if term.isdigit():
            found |= queryset.filter(number=int(term))
        return found, may_have_duplicates

    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, obj: Suggestion) -> bool:
        return obj.is_overdue

    def _publish(self, request, queryset, *, is_public: bool) -> None:
        done = 0
        for pk in queryset.order_by("pk").values_list("pk", flat=True):
            try:
                services.suggestion_publish(
                    suggestion_id=pk, actor=request.user, is_public=is_public
                )
            except DomainError as error:
                self.message_user(
                    request,
                    _("Suggestion %(pk)s: %(error)s") % {"pk": pk, "error": error},
                    messages.WARNING,
                )
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext(
                    "%(count)d suggestion updated.",
                    "%(count)d suggestions updated.",
                    done,
                )
                % {"count": done},
                messages.SUCCESS,
            )

    @admin.action(description=_("Publish the replies of the selected suggestions"))
    def publish_replies(self, request, queryset):
        self._publish(request, queryset, is_public=True)

    @admin.action(description=_("Withdraw the selected suggestions' replies"))
    def unpublish_replies(self, request, queryset):
        self._publish(request, queryset, is_public=False)


@admin.register(CoSignature)
class CoSignatureAdmin(
    InStaffBodiesAdmin, VisibleSuggestionsMixin, ViewOnlyMixin, admin.ModelAdmin
):
    list_display = ["suggestion", "deputy", "invited_at", "signed_at"]
    list_filter = [("signed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["suggestion", "deputy"]
    search_fields = ["suggestion__title", "deputy__name"]
    date_hierarchy = "invited_at"


# --- assignments and what units do with them ------------------------------------------


class AdjustmentRequestInline(ViewOnlyMixin, admin.TabularInline):
    model = AdjustmentRequest
    fk_name = "assignment"
    fields = [
        "kind",
        "reason",
        "requested_until",
        "requested_by",
        "requested_at",
        "decision",
        "decided_by",
        "decided_at",
        "new_unit",
        "new_due_at",
    ]
    extra = 0

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("requested_by", "decided_by", "new_unit")
        )


class ContactRecordInline(ViewOnlyMixin, admin.TabularInline):
    model = ContactRecord
    fields = ["method", "contacted_at", "note", "recorded_by"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recorded_by")


class ReplyInline(ViewOnlyMixin, admin.StackedInline):
    model = Reply
    fields = ["round", "is_lead", "outcome", "body", "letter", "signed_by", "sent_at"]
    extra = 0
    show_change_link = True


@admin.register(Assignment)
class AssignmentAdmin(
    InStaffBodiesAdmin, VisibleSuggestionsMixin, ViewOnlyMixin, admin.ModelAdmin
):
    list_display = [
        "suggestion",
        "unit",
        "role",
        "round",
        "assigned_at",
        "due_at",
        "acknowledged_at",
        "replied_at",
        "active",
        "overdue",
    ]
    list_filter = [
        OverdueFilter,
        "role",
        "active",
        "round",
        "unit__kind",
        ("acknowledged_at", admin.EmptyFieldListFilter),
        ("replied_at", admin.EmptyFieldListFilter),
    ]
    list_select_related = ["suggestion", "unit"]
    search_fields = ["suggestion__title", "unit__name", "unit__short_name"]
    date_hierarchy = "assigned_at"
    inlines = [AdjustmentRequestInline, ContactRecordInline, ReplyInline]

    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, obj: Assignment) -> bool:
        return obj.is_overdue


@admin.register(AdjustmentRequest)
class AdjustmentRequestAdmin(
    InStaffBodiesAdmin, VisibleSuggestionsMixin, ViewOnlyMixin, admin.ModelAdmin
):
    suggestion_path = "assignment__suggestion"
    list_display = [
        "kind",
        "assignment",
        "decision",
        "requested_by",
        "requested_at",
        "requested_until",
        "decided_by",
        "decided_at",
        "new_unit",
        "new_due_at",
    ]
    list_filter = ["decision", "kind", "assignment__unit__kind"]
    list_select_related = [
        "assignment__suggestion",
        "assignment__unit",
        "requested_by",
        "decided_by",
        "new_unit",
    ]
    search_fields = [
        "assignment__suggestion__title",
        "assignment__unit__name",
        "reason",
    ]
    date_hierarchy = "requested_at"


@admin.register(ContactRecord)
class ContactRecordAdmin(
    InStaffBodiesAdmin, VisibleSuggestionsMixin, ViewOnlyMixin, admin.ModelAdmin
):
    suggestion_path = "assignment__suggestion"
    list_display = ["contacted_at", "stage", "method", "assignment", "recorded_by"]
    list_filter = ["stage", "method"]
    list_select_related = [
        "assignment__suggestion",
        "assignment__unit",
        "recorded_by",
    ]
    search_fields = ["assignment__suggestion__title", "assignment__unit__name", "note"]
    date_hierarchy = "contacted_at"


class PlanMilestoneInline(ViewOnlyMixin, admin.TabularInline):
    model = PlanMilestone
    fields = ["due_on", "title"]
    extra = 0


class ProgressReportInline(ViewOnlyMixin, admin.TabularInline):
    model = ProgressReport
    fields = ["reported_at", "milestone_title", "note", "reported_by"]
    extra = 0


@admin.register(HandlingPlan)
class HandlingPlanAdmin(
    InStaffBodiesAdmin, VisibleSuggestionsMixin, ViewOnlyMixin, admin.ModelAdmin
):
    """The lead units' 五定 plans: written by the service only (docs/workflow.md)."""

    suggestion_path = "assignment__suggestion"
    list_display = [
        "assignment",
        "responsible_leader",
        "officer",
        "complete_by",
        "due_on",
        "filed_late",
        "filed_at",
    ]
    list_filter = ["filed_late"]
    list_select_related = ["assignment__suggestion", "assignment__unit"]
    search_fields = [
        "assignment__suggestion__title",
        "assignment__unit__name",
        "responsible_leader",
        "officer",
    ]
    inlines = [PlanMilestoneInline, ProgressReportInline]


@admin.register(PlanMilestone)
class PlanMilestoneAdmin(
    InStaffBodiesAdmin, VisibleSuggestionsMixin, ViewOnlyMixin, admin.ModelAdmin
):
    suggestion_path = "plan__assignment__suggestion"
    list_display = ["due_on", "title", "plan"]
    list_select_related = ["plan__assignment__suggestion", "plan__assignment__unit"]
    search_fields = ["title", "plan__assignment__suggestion__title"]


@admin.register(ProgressReport)
class ProgressReportAdmin(
    InStaffBodiesAdmin, VisibleSuggestionsMixin, ViewOnlyMixin, admin.ModelAdmin
):
    suggestion_path = "plan__assignment__suggestion"
    list_display = ["reported_at", "milestone_title", "plan", "reported_by"]
    list_select_related = [
        "plan__assignment__suggestion",
        "plan__assignment__unit",
        "reported_by",
    ]
    search_fields = ["note", "milestone_title", "plan__assignment__suggestion__title"]


class OpenPromiseFilter(admin.SimpleListFilter):
    """Replies classed in progress are promises; staff list those not yet kept."""

    title = _("promise")
    parameter_name = "promise"

    def lookups(self, request, model_admin):
        return [("open", _("Not yet kept")), ("kept", _("Kept"))]

    def queryset(self, request, queryset):
        promises = queryset.filter(outcome=Outcome.IN_PROGRESS, is_lead=True)
        if self.value() == "open":
            return promises.filter(fulfilled_at__isnull=True)
        if self.value() == "kept":
            return promises.filter(fulfilled_at__isnull=False)
        return queryset


@admin.register(Reply)
class ReplyAdmin(InStaffBodiesAdmin, VisibleSuggestionsMixin, admin.ModelAdmin):
    """View-only but for the public summary, which staff may word for publication
    (whether a reply is public is decided by publishing its suggestion)."""

    suggestion_path = "assignment__suggestion"
    list_display = [
        "assignment",
        "round",
        "is_lead",
        "outcome",
        "sent_at",
        "is_public",
        "fulfilled_at",
    ]
    list_filter = ["outcome", "is_lead", "is_public", OpenPromiseFilter, "round"]
    list_select_related = ["assignment__suggestion", "assignment__unit"]
    search_fields = [
        "assignment__suggestion__title",
        "assignment__unit__name",
        "body",
        "signed_by",
    ]
    date_hierarchy = "sent_at"
    fields = [
        "assignment",
        "round",
        "is_lead",
        "outcome",
        "body",
        "letter",
        "letter_name",
        "signed_by",
        "sent_by",
        "sent_at",
        "is_public",
        "public_summary",
        "fulfilled_at",
        "fulfilment_note",
    ]
    readonly_fields = [f for f in fields if f != "public_summary"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- the leaders' part in key suggestions (领衔办理, 领衔督办) ------------------------------


@admin.register(HandlingLeader)
class HandlingLeaderAdmin(
    InStaffBodiesAdmin, VisibleSuggestionsMixin, ViewOnlyMixin, admin.ModelAdmin
):
    list_display = ["suggestion", "name", "post", "set_by", "set_at"]
    list_select_related = ["suggestion", "set_by"]
    search_fields = ["suggestion__title", "name", "post"]
    date_hierarchy = "set_at"


@admin.register(SupervisionActivity)
class SupervisionActivityAdmin(
    InStaffBodiesAdmin, VisibleSuggestionsMixin, ViewOnlyMixin, admin.ModelAdmin
):
    list_display = ["held_on", "kind", "suggestion", "place", "recorded_by"]
    list_filter = ["kind"]
    list_select_related = ["suggestion", "recorded_by"]
    search_fields = ["suggestion__title", "place", "participants", "notes"]
    date_hierarchy = "held_on"


# --- ratings and the timeline: immutable -----------------------------------------------


@admin.register(Promise)
class PromiseAdmin(
    InStaffBodiesAdmin, VisibleSuggestionsMixin, ViewOnlyMixin, admin.ModelAdmin
):
    """The promise ledger, read only: the lead unit reports and staff correct
    through ``promise_report`` (the ledger page), never here."""

    suggestion_path = "reply__assignment__suggestion"
    list_display = ["due_on", "text", "state", "reported_on", "reply"]
    list_filter = ["state"]
    list_select_related = ["reply__assignment__suggestion", "reply__assignment__unit"]
    search_fields = ["text", "report_note", "reply__assignment__suggestion__title"]
    date_hierarchy = "due_on"


@admin.register(Evaluation)
class EvaluationAdmin(
    InStaffBodiesAdmin, VisibleSuggestionsMixin, ViewOnlyMixin, admin.ModelAdmin
):
    list_display = [
        "suggestion",
        "round",
        "deputy",
        "attitude",
        "rating",
        "channel",
        "entered_by",
        "created_at",
    ]
    list_filter = ["rating", "attitude", "channel", "round"]
    list_select_related = ["suggestion", "deputy", "entered_by"]
    search_fields = ["suggestion__title", "deputy__name", "comment"]
    date_hierarchy = "created_at"


@admin.register(EvaluationMeeting)
class EvaluationMeetingAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """Recorded on the staff's pages (现场测评); here to read."""

    list_display = ["held_on", "place", "session", "created_by"]
    list_select_related = ["session__congress__body", "created_by"]
    search_fields = ["place"]
    date_hierarchy = "held_on"

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        if request.user.is_superuser:
            return rows
        return rows.filter(session__congress__body_id__in=request.user.staff_body_ids)


@admin.register(Event)
class EventAdmin(
    InStaffBodiesAdmin, VisibleSuggestionsMixin, ViewOnlyMixin, admin.ModelAdmin
):
    list_display = [
        "created_at",
        "suggestion",
        "action",
        "from_status",
        "to_status",
        "actor",
        "note",
    ]
    list_filter = ["action", "to_status"]
    list_select_related = ["suggestion", "actor"]
    search_fields = ["suggestion__title", "action", "note", "actor__username"]
    date_hierarchy = "created_at"
    fields = [
        "suggestion",
        "created_at",
        "action",
        "actor",
        "from_status",
        "to_status",
        "note",
        "data",
    ]


@admin.register(PublishedCount)
class PublishedCountAdmin(InStaffBodiesAdmin, ViewOnlyMixin, admin.ModelAdmin):
    """The triggers' counts, to look at (``refresh_statistics --all`` rebuilds
    them)."""

    list_display = ["session", "n"]
    list_select_related = ["session__congress__body"]
    search_fields = ["session__congress__body__region", "session__year"]
    ordering = ["-session__opened_on", "session"]


@admin.register(StatusCount)
class StatusCountAdmin(InStaffBodiesAdmin, ViewOnlyMixin, admin.ModelAdmin):
    """The triggers' counts per session and status, to look at (the nightly
    ``recount_published_suggestions`` rebuilds them)."""

    list_display = ["session", "status", "n"]
    list_filter = ["status"]
    list_select_related = ["session__congress__body"]
    search_fields = ["session__congress__body__region", "session__year"]
    ordering = ["-session__opened_on", "session", "status"]


@admin.register(IntakeIndex)
class IntakeIndexAdmin(InStaffBodiesAdmin, ViewOnlyMixin, admin.ModelAdmin):
    """Each body's smart intake index: when it was built and how large it is
    (``manage.py build_intake_index`` rebuilds it; the payload is not shown)."""

    list_display = ["body", "built_at", "size", "through_id"]
    list_select_related = ["body"]
    exclude = ["payload"]
    ordering = ["body"]


# --- reference data ------------------------------------------------------------------


@admin.register(Category)
class CategoryAdmin(InStaffBodiesAdmin, admin.ModelAdmin):
    """Each congress body's own list of categories."""

    list_display = ["name", "body", "position", "suggestion_count"]
    list_editable = ["position"]
    list_filter = [("body", InStaffBodiesFilter)]
    list_select_related = ["body"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(_suggestion_count=Count("suggestions"))
        )

    @admin.display(description=_("suggestions"), ordering="_suggestion_count")
    def suggestion_count(self, obj):
        return obj._suggestion_count

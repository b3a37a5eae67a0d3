"""The suggestion list's filters, shared by the web list and the API (docs/api.md)."""

import datetime as dt

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters.constants import EMPTY_VALUES

from common.filters import OrderingFilter, YesNoFilter
from congress import names
from congress.models import (
    CongressBody,
    Delegation,
    Deputy,
    HandlerGroup,
    HandlingUnit,
    Session,
    UnitKind,
)

from . import deadlines
from .models import (
    COUNTED_STATUSES,
    Assignment,
    AssignmentRole,
    Category,
    CoSignature,
    Evaluation,
    Outcome,
    Promise,
    PromiseState,
    Rating,
    RatingChannel,
    Status,
    Suggestion,
    latest_evaluation_q,
)


def _latest_ratings():
    """The latest rating of the outer suggestion (``latest_evaluation_q``)."""
    return Evaluation.objects.filter(latest_evaluation_q(), suggestion=OuterRef("pk"))


def _first_lead_replies():
    """The live first-round lead assignment of the outer suggestion, once replied:
    what the on-time reply rate counts (``dashboard.statistics``)."""
    return Assignment.objects.filter(
        suggestion=OuterRef("pk"),
        role=AssignmentRole.LEAD,
        round=1,
        active=True,
        replied_at__isnull=False,
    )


def _acknowledged_late(suggestions) -> Q:
    """Assignments acknowledged late, as a condition: one term per (congress, day of
    assignment) among the first-round lead assignments of ``suggestions`` (three
    queries: those days, the rules, the calendar's overrides)."""
    from django.db.models.functions import TruncDate

    from congress.calendar import WorkingDayCalendar
    from congress.models import HandlingRules

    keys = list(
        Assignment.objects.filter(
            suggestion__in=suggestions.order_by().values("pk"),
            role=AssignmentRole.LEAD,
            round=1,
            active=True,
            assigned_at__isnull=False,
        )
        .annotate(assigned_on=TruncDate("assigned_at"))
        .values_list(
            "suggestion__session__congress_id",
            "assigned_on",
            "suggestion__session__congress__body_id",
        )
        .distinct()
        .order_by()
    )
    if not keys:
        return Q(pk__in=[])
    default = HandlingRules._meta.get_field("reassignment_window_working_days").default
    windows = dict(
        HandlingRules.objects.filter(
            congress_id__in={congress for congress, _day, _body in keys}
        ).values_list("congress_id", "reassignment_window_working_days")
    )
    days = [day for _congress, day, _body in keys]
    calendar = WorkingDayCalendar(min(days), max(days) + dt.timedelta(days=200))
    today = timezone.localdate()
    late = Q(pk__in=[])
    for congress, day, body in keys:
        end, counted = day, 0
        # Counted on the calendar of the congress's body (its own days too).
        local = calendar.for_body(body)
        while counted < windows.get(congress, default):
            end += dt.timedelta(days=1)
            counted += local.is_working_day(end)
        after = Q(acknowledged_at__gte=_start_of(end + dt.timedelta(days=1)))
        if today > end:
            after |= Q(acknowledged_at__isnull=True)
        late |= (
            Q(
                suggestion__session__congress_id=congress,
                assigned_at__gte=_start_of(day),
                assigned_at__lt=_start_of(day + dt.timedelta(days=1)),
            )
            & after
        )
    return late


# Date bounds beyond these select every submitted suggestion (and would overflow a
# datetime once converted to UTC).
_EARLIEST = dt.date(1900, 1, 1)
_LATEST = dt.date(9000, 1, 1)


def _start_of(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` in the active time zone (Asia/Shanghai), so
    that a date bound compares with the indexed column, not a cast of it."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class SuggestionFilter(django_filters.FilterSet):
    # For someone who works for several congress bodies: one body's suggestions.
    body = django_filters.ModelChoiceFilter(
        field_name="session__congress__body",
        queryset=CongressBody.objects.all(),
        label=_("People's congress"),
    )
    session = django_filters.ModelChoiceFilter(
        queryset=Session.objects.select_related("congress__body"), label=_("Session")
    )
    # A column of the row itself: no duplicates to remove (DISTINCT would make the
    # count compare whole rows, bodies included).
    status = django_filters.MultipleChoiceFilter(
        choices=Status.choices,
        label=_("Status"),
        distinct=False,
        widget=forms.CheckboxSelectMultiple,
    )
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.all(), label=_("Category")
    )
    unit = django_filters.ModelChoiceFilter(
        field_name="lead_unit",
        queryset=HandlingUnit.objects.all(),
        label=_("Lead unit"),
    )
    delegation = django_filters.ModelChoiceFilter(
        field_name="lead_deputy__delegation",
        queryset=Delegation.objects.all(),
        label=_("Delegation"),
    )
    deputy = django_filters.ModelChoiceFilter(
        queryset=Deputy.objects.all(),
        method="filter_deputy",
        label=_("Deputy (lead or co-signer)"),
    )
    key_supervised = YesNoFilter(label=_("Key supervised"))
    escalated = YesNoFilter(label=_("Escalated"))
    overdue = YesNoFilter(method="filter_overdue", label=_("Overdue"))
    due_before = django_filters.DateFilter(
        field_name="due_at", lookup_expr="lte", label=_("Due on or before")
    )
    due_after = django_filters.DateFilter(
        field_name="due_at", lookup_expr="gte", label=_("Due on or after")
    )
    # The dashboard's figures link to the list with these (each count equals its
    # figure; tests/dashboard/test_pages.py follows every link).
    counted = YesNoFilter(method="filter_counted", label=_("Counted in the statistics"))
    submitted_after = django_filters.DateFilter(
        method="filter_submitted_after", label=_("Submitted on or after")
    )
    submitted_before = django_filters.DateFilter(
        method="filter_submitted_before", label=_("Submitted on or before")
    )
    unit_kind = django_filters.ChoiceFilter(
        field_name="lead_unit__kind", choices=UnitKind.choices, label=_("Unit kind")
    )
    handler_group = django_filters.ChoiceFilter(
        choices=HandlerGroup.choices,
        method="filter_handler_group",
        label=_("Handled by"),
    )
    outcome = django_filters.MultipleChoiceFilter(
        choices=Outcome.choices,
        label=_("Outcome"),
        widget=forms.CheckboxSelectMultiple,
    )
    rating = django_filters.MultipleChoiceFilter(
        choices=Rating.choices,
        label=_("Rating"),
        widget=forms.CheckboxSelectMultiple,
    )
    attitude = django_filters.MultipleChoiceFilter(
        choices=Rating.choices,
        label=_("Rating of the attitude"),
        widget=forms.CheckboxSelectMultiple,
        method="filter_attitude",
    )
    channel = django_filters.ChoiceFilter(
        choices=RatingChannel.choices,
        label=pgettext_lazy("channel", "How rated"),
        method="filter_channel",
    )
    rehandled = YesNoFilter(method="filter_rehandled", label=_("Re-handled"))
    first_replied = YesNoFilter(
        method="filter_first_replied", label=_("Replied in the first round")
    )
    on_time = YesNoFilter(method="filter_on_time", label=_("Replied on time"))
    acknowledged_late = YesNoFilter(
        method="filter_acknowledged_late", label=_("Acknowledged late")
    )
    q = django_filters.CharFilter(method="filter_text", label=_("Search"))
    ordering = OrderingFilter(
        fields=(
            ("number", "number"),
            ("submitted_at", "submitted_at"),
            ("due_at", "due_at"),
        ),
        field_labels={
            "number": _("Number"),
            "submitted_at": pgettext_lazy("date", "Submitted"),
            "due_at": _("Due date"),
        },
        label=_("Order by"),
    )

    # The filters a list shows at once (at most five); the others wait behind
    # "More filters", and the status is chosen by the list's tabs.
    PRIMARY = ("q", "session", "category", "unit", "deputy")
    TABS = "status"

    class Meta:
        model = Suggestion
        fields = []

    # The choices that belong to a congress body, and the path from each to its body
    # ("": the choice is a body).
    BODY_PATHS = {
        "body": "",
        "session": "congress__body",
        "unit": "body",
        "delegation": "congress__body",
        "deputy": "delegation__congress__body",
        "category": "body",
    }
    # Those whose names may repeat from one body to another (sessions name theirs).
    NAMED_BY_BODY = ("unit", "delegation", "deputy", "category")

    def __init__(
        self,
        data=None,
        queryset=None,
        *,
        visible: Q | None = None,
        bodies=None,
        **kw,
    ):
        """``visible``: what the user may see, when ``queryset`` is not limited to
        it yet (``selectors.SuggestionList`` keeps that apart for its count); a
        filter that reads the rows reads the visible ones. ``bodies``: the ids of
        the congress bodies whose sessions, units, delegations and deputies may be
        chosen (None: any)."""
        super().__init__(data, queryset, **kw)
        self.visible = Q() if visible is None else visible
        if bodies is not None:
            for name, path in self.BODY_PATHS.items():
                if name in self.filters:
                    choice = self.filters[name]
                    lookup = f"{path}_id__in" if path else "pk__in"
                    choice.queryset = choice.queryset.filter(**{lookup: bodies})
        if bodies is None or len(bodies) > 1:
            # Two bodies may each have a category 教育: each choice names its own.
            for name in self.NAMED_BY_BODY:
                if name in self.filters:
                    field = self.filters[name].field
                    names.name_choices_by_body(field, self.BODY_PATHS[name])

    def chosen(self) -> dict:
        """The filters in use and their values, the ordering aside (once valid)."""
        return {
            name: value
            for name, value in self.form.cleaned_data.items()
            if name != "ordering" and value not in EMPTY_VALUES
        }

    def filter_queryset(self, queryset, *, search: bool = True, skip=()):
        """``queryset`` filtered and ordered; without the text search ``q`` unless
        ``search`` (a list that pages through a search keeps it apart), and
        without the filters named in ``skip`` (the status tabs count the others)."""
        if search and not skip:
            return super().filter_queryset(queryset)
        skip = set(skip) | ({"q"} if not search else set())
        for name, value in self.form.cleaned_data.items():
            if name not in skip:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def filter_deputy(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(
            Q(lead_deputy=value)
            | Q(
                pk__in=CoSignature.objects.filter(
                    deputy=value, signed_at__isnull=False
                ).values("suggestion")
            )
        )

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = Suggestion.objects.overdue_q()
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_counted(self, queryset, name, value):
        if value is None:
            return queryset
        counted = Q(status__in=COUNTED_STATUSES)
        return queryset.filter(counted) if value else queryset.exclude(counted)

    def filter_submitted_after(self, queryset, name, value):
        if value <= _EARLIEST:
            return queryset.filter(submitted_at__isnull=False)
        return queryset.filter(submitted_at__gte=_start_of(value))

    def filter_submitted_before(self, queryset, name, value):
        if value >= _LATEST:
            return queryset.filter(submitted_at__isnull=False)
        return queryset.filter(submitted_at__lt=_start_of(value + dt.timedelta(1)))

    def filter_handler_group(self, queryset, name, value):
        kinds = [
            kind for kind in UnitKind.values if HandlerGroup.of_kind(kind) == value
        ]
        return queryset.filter(lead_unit__kind__in=kinds)

    def filter_attitude(self, queryset, name, value):
        """Those whose latest rating gave the attitude one of ``value`` (as the
        dashboard counts them)."""
        if not value:
            return queryset
        return queryset.filter(Exists(_latest_ratings().filter(attitude__in=value)))

    def filter_channel(self, queryset, name, value):
        """Those whose latest rating was given by ``value`` (online, on site)."""
        if not value:
            return queryset
        return queryset.filter(Exists(_latest_ratings().filter(channel=value)))

    def filter_rehandled(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(round__gt=1) if value else queryset.filter(round=1)

    def filter_first_replied(self, queryset, name, value):
        if value is None:
            return queryset
        replied = Exists(_first_lead_replies())
        return queryset.filter(replied if value else ~replied)

    def filter_on_time(self, queryset, name, value):
        """Replied in the first round by the due date (``true``) or after it."""
        if value is None:
            return queryset
        on_time = deadlines.REPLIED_ON_TIME if value else ~deadlines.REPLIED_ON_TIME
        return queryset.filter(Exists(_first_lead_replies().filter(on_time)))

    def filter_acknowledged_late(self, queryset, name, value):
        """The live first-round lead assignment was acknowledged after the
        reassignment window (working days from the congress's rules), or not at all
        with the window past: the league table's "acknowledged late"."""
        if value is None:
            return queryset
        late = Exists(
            Assignment.objects.filter(
                _acknowledged_late(queryset.filter(self.visible)),
                suggestion=OuterRef("pk"),
                role=AssignmentRole.LEAD,
                round=1,
                active=True,
            )
        )
        return queryset.filter(late if value else ~late)

    def filter_text(self, queryset, name, value):
        """Title or body contains ``value``: on PostgreSQL through the character index,
        each candidate confirmed exactly (``search.py``)."""
        from .search import search_suggestions

        return search_suggestions(queryset, value)


class MySuggestionFilter(SuggestionFilter):
    """The deputy's own list: as lead, as co-signer (or invited), or both."""

    ROLE_LEAD = "lead"
    ROLE_COSIGNER = "cosigner"

    role = django_filters.ChoiceFilter(
        choices=(
            (ROLE_LEAD, _("Suggestions I lead")),
            (ROLE_COSIGNER, _("Suggestions I co-sign")),
        ),
        method="filter_role",
        label=_("My role"),
    )

    def __init__(self, data=None, queryset=None, *, deputies=(), **kw):
        super().__init__(data, queryset, **kw)
        self.deputies = deputies

    def filter_role(self, queryset, name, value):
        if value == self.ROLE_LEAD:
            return queryset.filter(lead_deputy_id__in=self.deputies)
        if value == self.ROLE_COSIGNER:
            return queryset.filter(
                pk__in=CoSignature.objects.filter(deputy_id__in=self.deputies).values(
                    "suggestion"
                )
            ).exclude(lead_deputy_id__in=self.deputies)
        return queryset


class PromiseFilter(django_filters.FilterSet):
    """The promise ledger's filters (the staff page and ``/api/v1/promises/``):
    session, lead unit, state, overdue (``Promise.objects.overdue``), suggestion."""

    session = django_filters.ModelChoiceFilter(
        field_name="reply__assignment__suggestion__session",
        queryset=Session.objects.select_related("congress__body"),
        label=_("Session"),
    )
    unit = django_filters.ModelChoiceFilter(
        field_name="reply__assignment__unit",
        queryset=HandlingUnit.objects.all(),
        label=_("Unit"),
    )
    status = django_filters.ChoiceFilter(
        field_name="state", choices=PromiseState.choices, label=_("State")
    )
    overdue = YesNoFilter(method="filter_overdue", label=_("Overdue"))
    suggestion = django_filters.NumberFilter(
        field_name="reply__assignment__suggestion_id",
        widget=forms.HiddenInput,
        min_value=1,
        max_value=2**63 - 1,  # a 400 past the key's range, not the driver's overflow
    )

    class Meta:
        model = Promise
        fields = []

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = Promise.objects.overdue_q()
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

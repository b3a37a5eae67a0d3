"""The suggestion list's filters, shared by the web list and the API (API.md)."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congress.models import Delegation, Deputy, HandlingUnit, Session

from .models import OPEN_STATUSES, Category, CoSignature, Status, Suggestion


class SuggestionFilter(django_filters.FilterSet):
    session = django_filters.ModelChoiceFilter(
        queryset=Session.objects.select_related("congress"), label=_("Session")
    )
    # A column of the row itself: no duplicates to remove (DISTINCT would make the
    # count compare whole rows, bodies included).
    status = django_filters.MultipleChoiceFilter(
        choices=Status.choices, label=_("Status"), distinct=False
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
    key_supervised = django_filters.BooleanFilter(label=_("Key supervised"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))
    due_before = django_filters.DateFilter(
        field_name="due_at", lookup_expr="lte", label=_("Due on or before")
    )
    due_after = django_filters.DateFilter(
        field_name="due_at", lookup_expr="gte", label=_("Due on or after")
    )
    q = django_filters.CharFilter(method="filter_text", label=_("Search"))
    ordering = django_filters.OrderingFilter(
        fields=(
            ("number", "number"),
            ("submitted_at", "submitted_at"),
            ("due_at", "due_at"),
        ),
        field_labels={
            "number": _("Number"),
            "submitted_at": _("Submitted"),
            "due_at": _("Due date"),
        },
        label=_("Order by"),
    )

    class Meta:
        model = Suggestion
        fields = []

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
        overdue = Q(status__in=OPEN_STATUSES, due_at__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_text(self, queryset, name, value):
        """Title or body contains ``value``: on PostgreSQL through the bigram index,
        each candidate confirmed exactly (``search.py``)."""
        from .search import search_suggestions

        return search_suggestions(queryset, value)

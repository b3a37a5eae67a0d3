import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Action, SecurityEvent


class SecurityEventFilter(django_filters.FilterSet):
    action = django_filters.ChoiceFilter(choices=Action.choices, label=_("Action"))
    actor = django_filters.CharFilter(
        field_name="actor_username", lookup_expr="iexact", label=_("Account")
    )
    ip = django_filters.CharFilter(field_name="ip", label=_("IP address"))
    target = django_filters.CharFilter(lookup_expr="icontains", label=_("Target"))
    since = django_filters.DateFilter(
        field_name="at",
        lookup_expr="date__gte",
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        field_name="at",
        lookup_expr="date__lte",
        label=_("To"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = SecurityEvent
        fields = []


def security_events(params):
    """The log, newest first, filtered by ``params`` (a QueryDict)."""
    return SecurityEventFilter(params, queryset=SecurityEvent.objects.all())

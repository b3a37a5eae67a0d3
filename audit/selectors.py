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


def accounts_in_reach(actor):
    """The accounts ``actor`` administers (those of the congress bodies where the
    actor is staff; the superuser: every one), None for every one."""
    if actor.is_superuser:
        return None
    from django.contrib.auth import get_user_model

    return get_user_model().objects.administered_by(actor)


def security_events(params, *, actor):
    """The log, newest first, filtered by ``params`` (a QueryDict): for staff of
    some bodies, the events their bodies' accounts did or underwent; the
    superuser, who runs the platform, reads everything (sign-ins with unknown
    names too)."""
    rows = SecurityEvent.objects.all()
    accounts = accounts_in_reach(actor)
    if accounts is not None:
        from django.db.models import Q

        rows = rows.filter(
            Q(actor_id__in=accounts.values("pk"))
            | Q(actor_username__in=accounts.values("username"))
            | Q(target__in=accounts.values("username"))
        )
    return SecurityEventFilter(params, queryset=rows)

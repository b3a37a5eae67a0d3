"""The dashboard's query parameters: a congress body, and a session or a range of
submission dates; the roll-up's body and year."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import ModelChoiceField
from congress.models import Session, UnitKind

# A range longer than this is almost certainly a typo (and a needless full scan).
MAX_RANGE_DAYS = 366 * 20
EARLIEST = dt.date(1950, 1, 1)
LATEST = dt.date(2999, 12, 31)


class SessionChoiceField(ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def body_field():
    """A congress body by id; which the user may open is ``figures.Scope.choose``'s
    to say (another body's id is a 404, not a form error)."""
    return forms.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        label=_("Congress body"),
        widget=forms.HiddenInput,
    )


class ScopeForm(forms.Form):
    """A congress body (default: the user's first) and either ``session`` or
    ``date_from`` and ``date_to``; neither means the body's current session."""

    body = body_field()
    session = SessionChoiceField(
        queryset=Session.objects.select_related("congress__body").order_by(
            "-opened_on", "-pk"
        ),
        required=False,
        label=_("Session"),
        empty_label=_("Current session"),
    )
    date_from = forms.DateField(
        required=False,
        label=_("Submitted from"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        required=False,
        label=_("Submitted until"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if self.errors:
            return data
        if (start is None) != (end is None):
            raise forms.ValidationError(
                _("Give both dates of the range, or neither."), code="incomplete"
            )
        if start is not None:
            if data.get("session") is not None:
                raise forms.ValidationError(
                    _("Pick either a session or a date range, not both."),
                    code="ambiguous",
                )
            if not (EARLIEST <= start <= LATEST and EARLIEST <= end <= LATEST):
                raise forms.ValidationError(
                    _("Dates must lie between %(first)s and %(last)s.")
                    % {"first": EARLIEST.isoformat(), "last": LATEST.isoformat()},
                    code="out_of_range",
                )
            if start > end:
                raise forms.ValidationError(
                    _("The range must not end before it starts."), code="reversed"
                )
            if (end - start).days > MAX_RANGE_DAYS:
                raise forms.ValidationError(
                    _("The range may span at most twenty years."), code="too_long"
                )
        return data


class SessionOnlyForm(forms.Form):
    """The annual review: one session (default: the body's current one)."""

    body = body_field()
    session = ScopeForm.base_fields["session"]


SORT_DIRECTIONS = (("asc", _("ascending")), ("desc", _("descending")))


class LeagueForm(ScopeForm):
    """The unit league table: the scope, a column to sort by and a unit kind."""

    sort = forms.ChoiceField(required=False, label=_("Sort by"))
    dir = forms.ChoiceField(
        required=False, choices=SORT_DIRECTIONS, label=_("Direction")
    )
    kind = forms.ChoiceField(
        required=False,
        choices=[("", _("All kinds")), *UnitKind.choices],
        label=_("Unit kind"),
        widget=forms.Select(
            attrs={"class": "form-select form-select-sm", "id": "kind-select"}
        ),
    )

    def __init__(self, *args, sort_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sort"].choices = [("", "—"), *sort_choices]


class SealForm(forms.Form):
    """Staff seal a session once its annual review is final."""

    confirm = forms.BooleanField(
        label=_("The annual review of this session is final; seal its figures."),
    )
    reason = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReopenForm(forms.Form):
    """Staff reopen a sealed session, saying why."""

    reason = forms.CharField(
        label=_("Reason for reopening"),
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RollupForm(forms.Form):
    """The roll-up: a parent body (default: the user's first) and a year (default:
    the year of its current session)."""

    body = body_field()
    year = forms.IntegerField(
        required=False, min_value=EARLIEST.year, max_value=LATEST.year, label=_("Year")
    )

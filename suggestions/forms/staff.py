"""The congress staff's forms: entry on behalf (代录), filing, rejection, merging, assignment, key supervision,
publication, and deciding the units' requests.

They parse input only; field names are the services' argument names. Which state
allows what, who may supervise and how far a deadline may move are the services'
rules, whose errors come back next to the fields.
"""

from datetime import date
from itertools import groupby

from django import forms
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts.models import BodyRole, User
from common.forms import ModelChoiceField, ModelMultipleChoiceField
from congress import names
from congress.models import Deputy, HandlingUnit, Session, UnitKind

from ..models import (
    AdjustmentKind,
    AdjustmentRequest,
    Category,
    Complexity,
    Decision,
    Disposition,
    Suggestion,
)
from .deputy import DeputyMultipleChoiceField

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def active_units() -> QuerySet[HandlingUnit]:
    return HandlingUnit.objects.filter(active=True).order_by("name", "pk")


def leaders(body_ids=None) -> QuerySet[User]:
    """The accounts that may supervise a key suggestion: the leaders of the bodies
    ``body_ids`` (None: of any body)."""
    return User.objects.holding(BodyRole.LEADER, body_ids).order_by(
        "name", "username", "pk"
    )


class BodyChoicesMixin:
    """A form whose handling units, categories and leaders to choose are those of
    the congress bodies ``bodies`` (ids; None: of any body): the suggestion's body on its own
    pages, the staff member's bodies on the review queue."""

    def __init__(self, *args, bodies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if bodies is None:
            return
        for field in self.fields.values():
            rows = getattr(field, "queryset", None)
            if rows is None:
                continue
            if rows.model in (HandlingUnit, Category):
                field.queryset = rows.filter(body_id__in=bodies)
            elif rows.model is User:
                field.queryset = leaders(bodies)


def suggestion_label(suggestion: Suggestion) -> str:
    """A select label: "No. 17 · title (status)", or "Not filed · title (status)"."""
    if suggestion.number:
        number = _("No. %(number)s") % {"number": suggestion.number}
    else:
        number = _("Not filed")
    return f"{number} · {suggestion.title} ({suggestion.get_status_display()})"


class UnitChoiceIterator(forms.models.ModelChoiceIterator):
    """Units grouped by kind (``<optgroup>``), the kinds in their declared order.
    The empty choice comes first without a query, so that rendering ``required``
    does not run the query twice."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict[str, list] = {kind: [] for kind in UnitKind.values}
        for unit in self.queryset:
            groups.setdefault(unit.kind, []).append(self.choice(unit))
        for kind, choices in groups.items():
            if choices:
                label = UnitKind(kind).label if kind in UnitKind.values else kind
                yield (label, choices)


class UnitChoiceField(ModelChoiceField):
    iterator = UnitChoiceIterator

    def label_from_instance(self, obj):
        return obj.name


class UnitMultipleChoiceField(ModelMultipleChoiceField):
    iterator = UnitChoiceIterator

    def label_from_instance(self, obj):
        return obj.name


class LeaderChoiceField(ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class RegisterForm(forms.Form):
    category = ModelChoiceField(
        queryset=Category.objects.all(),
        label=_("Category"),
        empty_label=_("Choose a category"),
        help_text=_(
            "The next number of the session is given when the suggestion is filed."
        ),
    )

    def __init__(self, *args, body: int | None = None, **kwargs):
        """``body``: the congress body of the suggestion, whose categories are
        offered (each body keeps its own list)."""
        super().__init__(*args, **kwargs)
        if body is not None:
            category = self.fields["category"]
            category.queryset = category.queryset.filter(body_id=body)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "The deputy reads this: say why it is not handled as a suggestion."
        ),
    )
    disposition = forms.ChoiceField(
        label=_("What happens to it"),
        choices=Disposition.choices,
        initial=Disposition.RETURNED,
    )


class MergeForm(forms.Form):
    """The suggestion to merge into: any candidate is accepted, but the select lists
    only the search's matches (``shown``), so that a session of thousands still
    renders a short list."""

    into = ModelChoiceField(
        queryset=Suggestion.objects.none(),
        label=_("Merge into"),
        empty_label=_("Choose a suggestion"),
        help_text=_("Suggestions of the same session that are still being dealt with."),
    )

    def __init__(
        self,
        *args,
        candidates: QuerySet[Suggestion],
        shown=(),
        target: int | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        field = self.fields["into"]
        field.queryset = candidates
        shown = list(shown)
        chosen = self._chosen(candidates, shown)
        if chosen is not None:
            shown.insert(0, chosen)
        if target is not None and not self.is_bound:
            self._preselect(candidates, shown, target)
        field.widget.choices = [("", field.empty_label)] + [
            (s.pk, suggestion_label(s)) for s in shown
        ]

    def _preselect(self, candidates, shown, target: int) -> None:
        """A target named in advance (the intake's likely duplicates link here),
        chosen and listed first if it is a candidate; otherwise nothing is."""
        found = next((s for s in shown if s.pk == target), None)
        if found is None:
            found = candidates.filter(pk=target).first()
            if found is None:
                return
            shown.insert(0, found)
        self.initial["into"] = found.pk

    def _chosen(self, candidates, shown):
        """The submitted choice, kept in the list when the form comes back."""
        value = self.data.get(self.add_prefix("into")) if self.is_bound else None
        if not value or not str(value).isdigit():
            return None
        if any(str(s.pk) == str(value) for s in shown):
            return None
        return candidates.filter(pk=value).first()


class AssignForm(BodyChoicesMixin, forms.Form):
    lead_unit = UnitChoiceField(
        queryset=active_units(),
        label=_("Lead unit"),
        empty_label=_("Choose the lead unit"),
    )
    co_units = UnitMultipleChoiceField(
        queryset=active_units(),
        label=_("Co-units"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Optional; not the lead unit."),
    )
    complexity = forms.ChoiceField(
        label=_("Complexity"), choices=Complexity.choices, initial=Complexity.NORMAL
    )
    key_supervised = forms.BooleanField(label=_("Key supervised"), required=False)
    supervising_leader = LeaderChoiceField(
        queryset=leaders(),
        label=_("Supervising leader"),
        required=False,
        empty_label=_("None"),
        help_text=_("For a key supervised suggestion: the leader who supervises it."),
    )

    def __init__(self, *args, due_dates: dict[str, date] | None = None, **kwargs):
        from django.urls import reverse

        super().__init__(*args, **kwargs)
        # The page offers the co-units through a search picker.
        self.fields["co_units"].picker_url = reverse("suggestions:unit-search")
        if due_dates:
            self.fields["complexity"].choices = [
                (
                    value,
                    _("%(label)s: reply due %(date)s")
                    % {"label": label, "date": date_format(due_dates[value])},
                )
                for value, label in Complexity.choices
            ]

    def clean(self):
        data = super().clean()
        if data.get("supervising_leader") and not data.get("key_supervised"):
            self.add_error(
                "supervising_leader",
                _("Tick “key supervised” to name a supervising leader."),
            )
        return data


class MarkKeyForm(BodyChoicesMixin, forms.Form):
    key_supervised = forms.BooleanField(label=_("Key supervised"), required=False)
    supervising_leader = LeaderChoiceField(
        queryset=leaders(),
        label=_("Supervising leader"),
        required=False,
        empty_label=_("None"),
    )

    def clean(self):
        data = super().clean()
        if data.get("supervising_leader") and not data.get("key_supervised"):
            self.add_error(
                "supervising_leader",
                _("Tick “key supervised” to name a supervising leader."),
            )
        return data


class LeadersForm(BodyChoicesMixin, forms.Form):
    """The leaders of a key suggestion: the government leader who leads its
    handling (领办领导, by name and post) and the standing-committee leader who
    supervises it (领衔督办)."""

    leading_leader_name = forms.CharField(
        label=_("Leading leader"),
        max_length=50,
        required=False,
        help_text=_(
            "The government leader who leads the handling (领衔办理); empty for none."
        ),
    )
    leading_leader_post = forms.CharField(
        label=_("Post"),
        max_length=100,
        required=False,
        help_text=_("Such as 州人民政府副州长."),
    )
    supervising_leader = LeaderChoiceField(
        queryset=leaders(),
        label=_("Supervising leader"),
        required=False,
        empty_label=_("None"),
        help_text=_(
            "The standing-committee leader who supervises the handling (领衔督办)."
        ),
    )


class PublishForm(forms.Form):
    is_public = forms.TypedChoiceField(
        label=_("Reply public"),
        choices=[("true", _("Public")), ("false", _("Not public"))],
        coerce=lambda value: value == "true",
    )


class ApproveForm(forms.Form):
    """Approval of a reassignment (a new unit, and optionally a later deadline) or of
    an extension (the new deadline, by default the date the unit asked for)."""

    new_unit = UnitChoiceField(
        queryset=HandlingUnit.objects.none(),
        label=_("New unit"),
        empty_label=_("Choose the unit to reassign to"),
    )
    extend_to = forms.DateField(
        label=_("New due date"), required=False, widget=DATE_INPUT
    )

    def __init__(
        self,
        *args,
        adjustment: AdjustmentRequest,
        limit: date | None = None,
        excluded_units=(),
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        due = adjustment.assignment.due_at
        limit_text = date_format(limit) if limit else ""
        if adjustment.kind == AdjustmentKind.REASSIGNMENT:
            # Another unit of the suggestion's congress body.
            self.fields["new_unit"].queryset = (
                active_units()
                .filter(body_id=adjustment.assignment.suggestion.body_id)
                .exclude(pk__in=list(excluded_units))
            )
            self.fields["extend_to"].help_text = _(
                "Optional. Leave empty to keep the current due date, %(due)s; "
                "at the latest %(limit)s."
            ) % {"due": date_format(due), "limit": limit_text}
        else:
            del self.fields["new_unit"]
            self.fields["extend_to"].initial = adjustment.requested_until
            self.fields["extend_to"].help_text = _(
                "Empty: the date the unit asked for, %(asked)s. After the current due "
                "date, %(due)s, and at the latest %(limit)s."
            ) % {
                "asked": date_format(adjustment.requested_until)
                if adjustment.requested_until
                else "—",
                "due": date_format(due),
                "limit": limit_text,
            }


class DenyForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The unit reads this."),
    )


class RequestFilterForm(forms.Form):
    """The request queue's filters; a value not understood is left out."""

    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *AdjustmentKind.choices],
    )
    decision = forms.ChoiceField(
        label=_("Decision"),
        required=False,
        choices=[("", _("All decisions")), *Decision.choices],
    )
    # Bounded so that a garbage id never reaches the database (SQLite overflows).
    suggestion = forms.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput
    )

    def filters(self) -> dict:
        """The lookups of the fields that parsed, for ``QuerySet.filter``."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        lookups = {}
        if data.get("kind"):
            lookups["kind"] = data["kind"]
        if data.get("decision"):
            lookups["decision"] = data["decision"]
        if data.get("suggestion"):
            lookups["assignment__suggestion_id"] = data["suggestion"]
        return lookups


class BulkReviewForm(BodyChoicesMixin, forms.Form):
    """Several suggestions of the review queue filed (立案) or assigned (交办) at
    once: each through the single-item service, all or none."""

    REGISTER = "register"
    ASSIGN = "assign"

    action = forms.ChoiceField(
        choices=((REGISTER, _("File")), (ASSIGN, _("Assign"))), label=_("Action")
    )
    suggestions = ModelMultipleChoiceField(
        queryset=Suggestion.objects.none(), label=_("Suggestions")
    )
    category = ModelChoiceField(
        queryset=Category.objects.all(),
        label=_("Category"),
        required=False,
        empty_label=_("Each keeps its own category"),
        help_text=_("For filing: the category of those that have none yet."),
    )
    lead_unit = UnitChoiceField(
        queryset=active_units(),
        label=_("Lead unit"),
        required=False,
        empty_label=_("Choose the lead unit"),
    )
    complexity = forms.ChoiceField(
        label=_("Complexity"), choices=Complexity.choices, initial=Complexity.NORMAL
    )

    def __init__(self, *args, candidates: QuerySet[Suggestion], **kwargs):
        """``bodies`` (``BodyChoicesMixin``): the staff's bodies, whose categories
        and units are offered (the services refuse another body's)."""
        super().__init__(*args, **kwargs)
        self.fields["suggestions"].queryset = candidates

    def clean(self):
        data = super().clean()
        if data.get("action") == self.ASSIGN and not data.get("lead_unit"):
            self.add_error("lead_unit", _("Choose the lead unit to assign to."))
        return data


class OneDeputyChoiceIterator(forms.models.ModelChoiceIterator):
    """The empty choice, then the deputies grouped by delegation (``<optgroup>``)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for delegation, members in groupby(self.queryset, key=lambda d: d.delegation):
            yield (delegation.name, [self.choice(d) for d in members])


class DeputyChoiceField(ModelChoiceField):
    iterator = OneDeputyChoiceIterator

    def label_from_instance(self, obj):
        return obj.name


class EnterOnBehalfForm(forms.Form):
    """A suggestion handed in on paper, entered by staff for its deputies (代录):
    the sessions open for suggestions of the staff's bodies, their deputies. Whether
    the deputies belong to the session's congress, and whether the scan is one, is
    the service's rule (``suggestion_enter_on_behalf``)."""

    session = ModelChoiceField(
        queryset=Session.objects.none(),
        label=_("Session"),
        empty_label=None,
        help_text=_("Suggestions handed in between sessions belong to the last one."),
    )
    lead_deputy = DeputyChoiceField(
        queryset=Deputy.objects.none(),
        label=_("Lead deputy"),
        empty_label=_("Choose the lead deputy"),
        help_text=_("The deputy who leads the suggestion on the paper original."),
    )
    co_signers = DeputyMultipleChoiceField(
        queryset=Deputy.objects.none(),
        label=_("Co-signers"),
        required=False,
        help_text=_(
            "The deputies who signed the paper original; they count as co-signers "
            "at once."
        ),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=Suggestion._meta.get_field("title").max_length,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    body = forms.CharField(
        label=_("Text of the suggestion"),
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    category = ModelChoiceField(
        queryset=Category.objects.none(),
        label=_("Category"),
        required=False,
        empty_label=_("Not chosen yet (chosen at filing)"),
    )
    original = forms.FileField(
        label=_("Scan of the signed original"),
        help_text=_(
            "The paper original with the deputies' signatures: a PDF, JPEG or PNG "
            "file of at most 20 MB."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
            }
        ),
    )

    def __init__(self, *args, bodies=None, **kwargs):
        """``bodies``: the ids of the bodies where the user is staff (None: every
        body, the superuser)."""
        from django.urls import reverse

        super().__init__(*args, **kwargs)
        sessions = Session.objects.accepting_suggestions().select_related(
            "congress__body"
        )
        if bodies is not None:
            sessions = sessions.filter(congress__body_id__in=bodies)
        self.fields["session"].queryset = sessions
        first = sessions.first()
        if first is not None:
            self.fields["session"].initial = first.pk
        else:
            self.fields["session"].help_text = _(
                "No session is open for suggestions now."
            )
        deputies = (
            Deputy.objects.filter(
                active=True,
                delegation__congress_id__in=sessions.values("congress_id"),
            )
            .select_related("delegation")
            .order_by("delegation__pk", "name", "pk")
        )
        for name in ("lead_deputy", "co_signers"):
            self.fields[name].queryset = deputies
            # The page offers the deputies through a search picker.
            self.fields[name].picker_url = reverse("suggestions:deputy-search")
        self.fields["category"].queryset = Category.objects.filter(
            body__congresses__sessions__in=sessions
        ).distinct()
        if bodies is None or len(bodies) > 1:
            # Two bodies may each have a category 教育: each choice names its own.
            names.name_choices_by_body(self.fields["category"], "body")

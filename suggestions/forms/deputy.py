"""The deputy's forms: a draft (with its co-signer invitations) and the rating.

They parse input only. Who may co-sign, which session is allowed and when a comment
is required are the services' rules; their errors come back next to the fields.
"""

from itertools import groupby

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from common.forms import ModelChoiceField, ModelMultipleChoiceField, text_area
from congress.models import Deputy, Session

from ..models import Category, Rating, Suggestion
from ..services.drafting import REASON_MAX


def cosigner_candidates(*, congress_id: int) -> QuerySet[Deputy]:
    """The deputies a lead deputy may invite: the active ones of the same congress,
    ordered by delegation and name (the picker's groups)."""
    return (
        Deputy.objects.filter(active=True, delegation__congress_id=congress_id)
        .select_related("delegation")
        .order_by("delegation__pk", "name", "pk")
    )


class DeputyChoiceIterator(forms.models.ModelChoiceIterator):
    """Choices grouped by delegation (``<optgroup>``), leaving out ``field.hidden``
    (the lead deputy, who cannot co-sign)."""

    def __iter__(self):
        hidden = self.field.hidden
        deputies = (d for d in self.queryset if d.pk not in hidden)
        for delegation, members in groupby(deputies, key=lambda d: d.delegation):
            yield (delegation.name, [self.choice(d) for d in members])


class DeputyMultipleChoiceField(ModelMultipleChoiceField):
    iterator = DeputyChoiceIterator

    def __init__(self, *args, hidden=(), **kwargs):
        self.hidden = frozenset(hidden)
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return obj.name


class SuggestionForm(forms.Form):
    """A new draft, or the edit of one (then the session is fixed)."""

    session = ModelChoiceField(
        queryset=Session.objects.none(),
        label=_("Session"),
        empty_label=None,
        help_text=_("Suggestions handed in between sessions belong to the last one."),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=Suggestion._meta.get_field("title").max_length,
        help_text=_("One line that says what you propose."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    body = forms.CharField(
        label=_("Text of the suggestion"),
        help_text=_("What the problem is, why it matters, and what should be done."),
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    category = ModelChoiceField(
        queryset=Category.objects.all(),
        label=_("Category"),
        required=False,
        empty_label=_("Not sure (the congress staff will choose)"),
    )
    co_signers = DeputyMultipleChoiceField(
        queryset=Deputy.objects.none(),
        label=_("Co-signers"),
        required=False,
        help_text=_(
            "Deputies you invite to co-sign. Each one counts once they confirm the "
            "invitation."
        ),
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )

    def __init__(
        self, *args, deputy: Deputy, suggestion: Suggestion | None = None, **kwargs
    ):
        invited = []
        if suggestion is not None:
            # A deputy who declined is not chosen again unless the lead adds them.
            invited = [
                c.deputy_id
                for c in suggestion.cosignatures.all()
                if c.declined_at is None
            ]
            kwargs.setdefault(
                "initial",
                {
                    "session": suggestion.session_id,
                    "title": suggestion.title,
                    "body": suggestion.body,
                    "category": suggestion.category_id,
                    "co_signers": invited,
                },
            )
        super().__init__(*args, **kwargs)
        session = self.fields["session"]
        congress_id = (
            deputy.delegation.congress_id
            if suggestion is None
            else suggestion.session.congress_id
        )
        if suggestion is None or not suggestion.session.accepts_suggestions:
            # Only the session open for intake (Session.accepts_suggestions); a
            # draft whose session stopped taking suggestions moves to it.
            sessions = Session.objects.accepting_suggestions().filter(
                congress_id=congress_id
            )
            session.queryset = sessions.select_related("congress__body")
            first = sessions.first()
            if first is not None:
                session.initial = first.pk
            else:
                session.help_text = _("No session is open for suggestions now.")
            if suggestion is not None:
                self.initial.pop("session", None)
                session.help_text = _(
                    "The draft's session no longer accepts suggestions; it moves "
                    "to the session open for them."
                )
        else:
            # suggestion_update keeps the session: it is shown, not sent.
            session.queryset = Session.objects.filter(
                pk=suggestion.session_id
            ).select_related("congress__body")
            session.disabled = True
            session.help_text = _(
                "The session cannot be changed once the draft exists."
            )
        # The categories of the congress's body (each body keeps its own list).
        self.fields["category"].queryset = Category.objects.filter(
            body__congresses=congress_id
        )
        # Invited deputies stay listed even if they left office since, so that the
        # draft can be saved without them (the service says why they must go).
        co_signers = self.fields["co_signers"]
        co_signers.queryset = (
            Deputy.objects.filter(
                Q(pk__in=cosigner_candidates(congress_id=congress_id).values("pk"))
                | Q(pk__in=invited)
            )
            .select_related("delegation")
            .order_by("delegation__pk", "name", "pk")
        )
        co_signers.hidden = frozenset({deputy.pk})


class EvaluationForm(forms.Form):
    """The lead deputy's two ratings of the handling: its attitude (办理态度) and
    its result (办理结果)."""

    attitude = forms.ChoiceField(
        label=_("The unit's handling attitude"),
        choices=Rating.choices,
        widget=forms.RadioSelect,
    )
    rating = forms.ChoiceField(
        label=_("The result of the handling"),
        choices=Rating.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        help_text=_(
            "Required if you are dissatisfied with either: say what remains "
            "unsolved, so that the unit can handle it again."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class DeclineForm(forms.Form):
    """Declining to co-sign, optionally saying why (the lead deputy reads it)."""

    reason = text_area(
        _("Reason (optional)"),
        max_length=REASON_MAX,
        required=False,
        rows=2,
        help_text=_("The lead deputy is told, with your reason if you give one."),
    )

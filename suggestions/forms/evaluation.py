"""Staff's forms of on-site evaluation (现场测评): recording an evaluation meeting and
entering a deputy's ratings from the signed 征询意见表. The choices offered are the
selectors' (the session's deputies and the body's units; the meeting's deputies and
their suggestions that may be rated now); the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from congress.models import Deputy, HandlingUnit

from ..models import Rating, Suggestion
from .staff import DATE_INPUT


class EvaluationMeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DATE_INPUT)
    place = forms.CharField(label=_("Place"), max_length=200)
    deputies = forms.ModelMultipleChoiceField(
        label=_("Deputies present"),
        queryset=Deputy.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Hold Ctrl (⌘ on a Mac) to choose several."),
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Units reporting"),
        queryset=HandlingUnit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args, session=None, **kwargs):
        super().__init__(*args, **kwargs)
        if session is not None:
            self.fields["deputies"].queryset = (
                Deputy.objects.filter(delegation__congress_id=session.congress_id)
                .select_related("delegation")
                .order_by("delegation__name", "name", "pk")
            )
            self.fields["deputies"].label_from_instance = lambda d: (
                f"{d.name}（{d.delegation.name}）"
            )
            self.fields["units"].queryset = HandlingUnit.objects.filter(
                body_id=session.congress.body_id
            ).order_by("name", "pk")


class OnSiteRatingForm(forms.Form):
    """A deputy's two ratings as signed on the 征询意见表, with its scan."""

    suggestion = forms.ModelChoiceField(
        label=_("Suggestion"), queryset=Suggestion.objects.none()
    )
    deputy = forms.ModelChoiceField(label=_("Deputy"), queryset=Deputy.objects.none())
    attitude = forms.ChoiceField(
        label=_("The unit's handling attitude"),
        choices=Rating.choices,
        widget=forms.RadioSelect,
    )
    result = forms.ChoiceField(
        label=_("The result of the handling"),
        choices=Rating.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "As written on the form; required if the deputy is dissatisfied with "
            "either."
        ),
    )
    form_scan = forms.FileField(
        label=_("Scan of the signed evaluation form"),
        help_text=_("PDF, JPEG or PNG, at most 20 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/*"}
        ),
    )

    def __init__(self, *args, suggestions=None, deputies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["suggestion"].queryset = suggestions
        self.fields["suggestion"].label_from_instance = lambda s: (
            _("No. %(number)s %(title)s (lead deputy %(deputy)s)")
            % {"number": s.number, "title": s.title, "deputy": s.lead_deputy.name}
        )
        self.fields["deputy"].queryset = deputies

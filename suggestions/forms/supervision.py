"""The leaders' supervision of a key suggestion: an opinion (督办意见) and a
reminder (催办)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import text_area

from ..models import SupervisionKind
from ..services.supervision import OPINION_MAX


class SupervisionOpinionForm(forms.Form):
    text = text_area(
        _("Supervision opinion"),
        max_length=OPINION_MAX,
        help_text=_("Sent to the lead unit and shown on the timeline."),
    )


class UrgeForm(forms.Form):
    """A reminder (催办) to the units, with an optional note they read."""

    note = text_area(
        _("Note to the units (optional)"),
        max_length=OPINION_MAX,
        required=False,
        rows=2,
    )


class SupervisionActivityForm(forms.Form):
    """A supervision activity on a key suggestion: 调研视察, 座谈会 or 现场督办."""

    kind = forms.ChoiceField(label=_("Activity"), choices=SupervisionKind.choices)
    held_on = forms.DateField(
        label=_("Held on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    place = forms.CharField(label=_("Place"), max_length=200)
    participants = text_area(
        _("Participants"), max_length=2_000, required=False, rows=2
    )
    notes = text_area(_("Notes"), max_length=10_000, required=False, rows=3)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "activity_%s")
        super().__init__(*args, **kwargs)

"""The leaders' supervision of a key suggestion: an opinion (督办意见) and a
reminder (催办)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import text_area

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

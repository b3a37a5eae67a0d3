"""The leaders' supervision opinion (督办意见) on a key suggestion."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..services.supervision import OPINION_MAX


class SupervisionOpinionForm(forms.Form):
    text = forms.CharField(
        label=_("Supervision opinion"),
        max_length=OPINION_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": OPINION_MAX}),
        help_text=_("Sent to the lead unit and shown on the timeline."),
    )

"""Leaders' (and congress staff's) supervision of a key suggestion: a supervision
opinion (督办意见) to the lead unit and a reminder (催办) to the units. Each POST goes
through ``ActionView`` to one service; the buttons are on the suggestion's page."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import services
from ..forms.supervision import (
    SupervisionActivityForm,
    SupervisionOpinionForm,
    UrgeForm,
)
from .base import SuggestionActionView


class SupervisionOpinionView(SuggestionActionView):
    http_method_names = ["post"]
    form_class = SupervisionOpinionForm
    success_message = _(
        "The supervision opinion is recorded and has been sent to the lead unit."
    )

    def perform(self, obj, form):
        return services.suggestion_supervision_opinion(
            suggestion_id=obj.pk,
            actor=self.request.user,
            text=form.cleaned_data["text"],
        )


class UrgeView(SuggestionActionView):
    http_method_names = ["post"]
    form_class = UrgeForm

    def perform(self, obj, form):
        return services.suggestion_urge(
            suggestion_id=obj.pk,
            actor=self.request.user,
            note=form.cleaned_data["note"],
        )

    def get_success_message(self, obj, result):
        units = "、".join(a.unit.name for a in result)
        return ngettext(
            "A reminder has been sent to %(units)s.",
            "Reminders have been sent to %(units)s.",
            len(result),
        ) % {"units": units}


class SupervisionActivityView(SuggestionActionView):
    """A leader or staff records a supervision activity on a key suggestion."""

    http_method_names = ["post"]
    form_class = SupervisionActivityForm
    success_message = _("The supervision activity has been recorded.")

    def perform(self, obj, form):
        data = form.cleaned_data
        return services.suggestion_record_supervision(
            suggestion_id=obj.pk,
            actor=self.request.user,
            kind=data["kind"],
            held_on=data["held_on"],
            place=data["place"],
            participants=data["participants"],
            notes=data["notes"],
        )

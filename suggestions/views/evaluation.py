"""Staff's pages of on-site evaluation (现场测评): the evaluation meetings of a session
with the form to record one, and a meeting with its ratings and the form to enter a
deputy's ratings from the signed 征询意见表. Each POST calls one service
(``services.evaluation_meeting_create``, ``services.evaluation_meeting_rate``); the
download of a signed form's scan is for those who take part in the suggestion."""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from common.errors import NotFound
from congress.models import Session

from .. import selectors, services
from ..forms.evaluation import EvaluationMeetingForm, OnSiteRatingForm
from ..letters import form_scan_response
from ..models import Evaluation, EvaluationMeeting
from .base import ActionView
from .staff import StaffOnlyMixin


def _staff_sessions(user):
    sessions = Session.objects.select_related("congress__body").order_by(
        "-opened_on", "-pk"
    )
    if not user.is_superuser:
        sessions = sessions.filter(congress__body_id__in=user.staff_body_ids)
    return sessions


class EvaluationMeetingListView(StaffOnlyMixin, ActionView):
    """The evaluation meetings of a session (``?session=``, else the current one of
    the staff's bodies), and the form to record one."""

    one_time = True
    form_class = EvaluationMeetingForm
    template_name = "suggestions/staff/evaluation_meetings.html"

    def get_object(self):
        sessions = _staff_sessions(self.request.user)
        chosen = self.request.GET.get("session") or self.request.POST.get("session")
        if chosen:
            session = sessions.filter(pk=chosen).first() if chosen.isdigit() else None
            if session is None:
                raise NotFound()
            return session
        current = sessions.filter(is_current=True).first() or sessions.first()
        if current is None:
            raise NotFound()
        return current

    def get_form_kwargs(self, obj):
        return {"session": obj}

    def get_context_data(self, obj, form):
        return {
            "session": obj,
            "sessions": list(_staff_sessions(self.request.user)),
            "meetings": list(
                selectors.evaluation_meetings(user=self.request.user, session_id=obj.pk)
            ),
            "form": form,
        }

    def perform(self, obj, form):
        data = form.cleaned_data
        return services.evaluation_meeting_create(
            actor=self.request.user,
            session=obj,
            held_on=data["held_on"],
            place=data["place"],
            deputies=list(data["deputies"]),
            units=list(data["units"]),
        )

    def get_success_url(self, obj, result):
        if result is None:
            return reverse("suggestions:evaluation-meetings") + f"?session={obj.pk}"
        return reverse("suggestions:evaluation-meeting", args=[result.pk])

    def get_success_message(self, obj, result):
        return _(
            "The evaluation meeting is recorded: enter each deputy's ratings from "
            "the signed forms."
        )


class EvaluationMeetingView(StaffOnlyMixin, ActionView):
    """A meeting: when, where, who was present and who reported, the ratings
    entered from it, and the form to enter a deputy's ratings (the pickers offer
    the meeting's deputies and their suggestions that may be rated now)."""

    one_time = True
    form_class = OnSiteRatingForm
    template_name = "suggestions/staff/evaluation_meeting.html"

    def get_object(self):
        try:
            return selectors.evaluation_meeting_detail(
                user=self.request.user, pk=self.kwargs["pk"]
            )
        except EvaluationMeeting.DoesNotExist:
            raise NotFound() from None

    def get_form_kwargs(self, obj):
        return {
            "suggestions": selectors.rateable_on_site(meeting=obj),
            "deputies": obj.deputies.all(),
        }

    def get_context_data(self, obj, form):
        rateable = list(form.fields["suggestion"].queryset) if form else []
        return {
            "object": obj,
            "meeting": obj,
            "evaluations": list(obj.evaluations.all()),
            "rateable": rateable,
            "form": form,
        }

    def perform(self, obj, form):
        data = form.cleaned_data
        return services.evaluation_meeting_rate(
            meeting_id=obj.pk,
            actor=self.request.user,
            suggestion_id=data["suggestion"].pk,
            deputy_id=data["deputy"].pk,
            attitude=data["attitude"],
            result=data["result"],
            comment=data["comment"],
            form_scan=data["form_scan"],
        )

    def get_success_url(self, obj, result):
        return reverse("suggestions:evaluation-meeting", args=[obj.pk])

    def get_success_message(self, obj, result):
        return _("The ratings of deputy %(deputy)s on No. %(number)s are entered.") % {
            "deputy": result.deputy.name,
            "number": result.suggestion.number,
        }


@require_safe
def evaluation_form_scan(request, pk: int):
    """Download the signed 征询意见表 of an on-site rating: for those who take part
    in the suggestion (``selectors.form_scan_of``); anyone else finds nothing."""
    try:
        evaluation = selectors.form_scan_of(user=request.user, pk=pk)
    except Evaluation.DoesNotExist:
        raise Http404 from None
    return form_scan_response(evaluation)

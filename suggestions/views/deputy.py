"""The deputy's pages: drafting with co-signers, submitting, withdrawing, co-signing,
and rating the reply. Every change is a POST to an ``ActionView`` that calls a service.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from common.errors import DomainError, NotFound

from .. import actions, deadlines, selectors, services
from ..forms.deputy import (
    DeclineForm,
    EvaluationForm,
    SuggestionForm,
    cosigner_candidates,
)
from ..models import Status, Suggestion
from .base import ActionView, SuggestionActionView

# The picker shows this many matches at most.
SEARCH_LIMIT = 20


def rating_deadline(suggestion: Suggestion):
    """The end of the rating window of the current reply (a ``WorkingDays``), or None
    before a reply."""
    if suggestion.replied_at is None:
        return None
    handling = deadlines.rules_for(suggestion.session.congress_id)
    return deadlines.rating_window_end(
        handling, timezone.localdate(suggestion.replied_at)
    )


# What the lead deputy's card says of each state; the buttons it offers come from
# ``actions.suggestion_actions``.
LEAD_NOTES = {
    Status.DRAFT: _(
        "This is a draft: only you and the deputies you invited can see it. Submit "
        "it when it is ready."
    ),
    Status.SUBMITTED: _(
        "Submitted: the congress staff will review it. You can still withdraw it "
        "until it is filed."
    ),
    Status.REGISTERED: _(
        "Filed: the congress staff will assign it to the units that must handle it."
    ),
    Status.ASSIGNED: _(
        "Being handled: the unit should contact you before replying. You can rate "
        "the reply once it arrives."
    ),
    Status.CLOSED: _("Closed. Thank you for your rating."),
    Status.WITHDRAWN: _("You withdrew this suggestion."),
    Status.REJECTED: _("Not accepted as a suggestion: the reason is shown above."),
}
LEAD_NOTES[Status.REHANDLING] = LEAD_NOTES[Status.ASSIGNED]


def panel_context(
    *, suggestion: Suggestion, is_lead_deputy: bool, actions: frozenset[str]
) -> dict:
    """What the deputy's card on the detail page needs beyond ``actions``."""
    context = {}
    if is_lead_deputy:
        context["lead_note"] = LEAD_NOTES.get(suggestion.status)
    if is_lead_deputy and "evaluate" in actions:
        context["evaluation_form"] = EvaluationForm()
        context["rating_deadline"] = rating_deadline(suggestion)
        context["today"] = timezone.localdate()
    if "decline" in actions:
        context["decline_form"] = DeclineForm()
    return context


class DeputyMixin:
    """The acting user's deputy; anyone else finds nothing here."""

    def get_deputy(self):
        """The user's deputy record: for someone elected to several congress
        bodies, the one of the congress chosen (``?congress=``), else the first."""
        user = self.request.user
        if user.deputy_profile is None:
            raise NotFound()
        chosen = self.request.GET.get("congress", "")
        if chosen.isdigit():
            return user.deputy_in(int(chosen)) or user.deputy_profile
        return user.deputy_profile


class LeadDeputyPageMixin(DeputyMixin):
    """An action with a page of its own (edit, evaluate): only the lead deputy gets
    the page, and only in a state that allows the action; anyone else is told why
    (or finds nothing, if the suggestion is not theirs to see)."""

    action: str

    def get_object(self):
        if not hasattr(self, "_object"):
            self._object = super().get_object()
        return self._object

    def guard(self):
        suggestion = self._load()
        try:
            actions.require(self.request.user, self.action, suggestion, visible=True)
        except NotFound:
            raise Http404 from None
        except DomainError as error:
            messages.error(self.request, str(error.message))
            return redirect(suggestion.get_absolute_url())
        return None

    def get(self, request, *args, **kwargs):
        return self.guard() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.guard() or super().post(request, *args, **kwargs)


def _similar_to_form(user, body, form) -> dict:
    """The drafting panel as the page first shows it, without the script: for the
    title and text of the form (as posted, or the saved draft's)."""
    if form.is_bound:
        title, text = form.data.get("title", ""), form.data.get("body", "")
    else:
        title = form.initial.get("title", "")
        text = form.initial.get("body", "")
    return similar_context(
        user, body, title[:SIMILAR_MAX_TITLE], text[:SIMILAR_MAX_TEXT]
    )


class SuggestionCreateView(DeputyMixin, ActionView):
    """A new draft led by the deputy, with co-signers invited."""

    one_time = True
    form_class = SuggestionForm
    template_name = "suggestions/deputy/form.html"
    success_message = _(
        "The draft is saved. Check it, then submit it when it is ready."
    )

    def get_object(self):
        """There is no suggestion yet; a user who is not a deputy finds nothing."""
        self.get_deputy()
        return None

    def get_form_kwargs(self, obj):
        return {"deputy": self.get_deputy()}

    def get_context_data(self, obj, form):
        deputy = self.get_deputy()
        records = self.request.user.deputy_profiles
        return {
            "object": None,
            "form": form,
            "title": _("New suggestion"),
            # One login for a deputy of several congress bodies: which one this
            # suggestion goes to.
            "acting_as": deputy,
            "records": records if len(records) > 1 else (),
            "similar_congress": deputy.delegation.congress_id,
            **_similar_to_form(
                self.request.user, deputy.delegation.congress.body, form
            ),
        }

    def perform(self, obj, form):
        data = form.cleaned_data
        return services.suggestion_create(
            actor=self.request.user,
            session=data["session"],
            title=data["title"],
            body=data["body"],
            category=data["category"],
            co_signers=list(data["co_signers"]),
        )

    def get_success_url(self, obj, result):
        return result.get_absolute_url()

    def get_failure_url(self, obj):
        return reverse("suggestions:my-suggestions")


class SuggestionEditView(LeadDeputyPageMixin, SuggestionActionView):
    """Edit a draft; the co-signer list replaces the invitations."""

    action = "edit"
    form_class = SuggestionForm
    template_name = "suggestions/deputy/form.html"
    success_message = _("The draft is saved.")

    def get_form_kwargs(self, obj):
        return {"deputy": self.get_deputy(), "suggestion": obj}

    def get_context_data(self, obj, form):
        return {
            "object": obj,
            "form": form,
            "title": _("Edit the draft"),
            "similar_congress": obj.session.congress_id,
            **_similar_to_form(self.request.user, obj.session.congress.body, form),
        }

    def perform(self, obj, form):
        data = form.cleaned_data
        return services.suggestion_update(
            suggestion_id=obj.pk,
            actor=self.request.user,
            session=data["session"],
            title=data["title"],
            body=data["body"],
            category=data["category"],
            co_signers=list(data["co_signers"]),
        )


class SubmitView(SuggestionActionView):
    http_method_names = ["post"]
    success_message = _(
        "The suggestion is submitted. The congress staff will review it; you can "
        "follow its progress here."
    )

    def perform(self, obj, form):
        return services.suggestion_submit(suggestion_id=obj.pk, actor=self.request.user)


class WithdrawView(SuggestionActionView):
    http_method_names = ["post"]
    success_message = _("The suggestion is withdrawn.")

    def perform(self, obj, form):
        return services.suggestion_withdraw(
            suggestion_id=obj.pk, actor=self.request.user
        )


class CosignView(SuggestionActionView):
    http_method_names = ["post"]
    success_message = _("You have co-signed the suggestion.")

    def perform(self, obj, form):
        return services.suggestion_cosign(suggestion_id=obj.pk, actor=self.request.user)

    def get_success_url(self, obj, result):
        return _back_to(self.request, obj)


class DeclineView(SuggestionActionView):
    """The invited deputy declines to co-sign (谢绝附议); back to where they came
    from: the invitations page or the suggestion."""

    http_method_names = ["post"]
    form_class = DeclineForm
    success_message = _("You have declined to co-sign; the lead deputy has been told.")

    def perform(self, obj, form):
        return services.suggestion_decline_cosign(
            suggestion_id=obj.pk,
            actor=self.request.user,
            reason=form.cleaned_data["reason"],
        )

    def get_success_url(self, obj, result):
        return _back_to(self.request, obj)


def _back_to(request, suggestion) -> str:
    """Where an answer to an invitation leads: back to the invitations page when
    given there, else to the suggestion."""
    if request.POST.get("next") == "invitations":
        return reverse("suggestions:invitations")
    return suggestion.get_absolute_url()


@login_required
@require_GET
def invitations(request):
    """待我附议: the deputy's invitations to co-sign still awaiting an answer, each
    with 附议 and 谢绝 where allowed (anyone who is not a deputy finds nothing)."""
    if not request.user.deputy_ids:
        raise Http404
    rows = []
    for invitation in selectors.pending_invitations(request.user.deputy_ids):
        suggestion = invitation.suggestion
        allowed = actions.suggestion_actions_of(
            request.user, suggestion, ("cosign", "decline"), invitation=invitation
        )
        rows.append(
            {"invitation": invitation, "suggestion": suggestion, "actions": allowed}
        )
    return render(request, "suggestions/deputy/invitations.html", {"rows": rows})


class EvaluateView(LeadDeputyPageMixin, SuggestionActionView):
    """The lead deputy rates the reply; the page of its own shows the rating form
    again with the errors next to the fields."""

    one_time = True
    action = "evaluate"
    form_class = EvaluationForm
    template_name = "suggestions/deputy/evaluate.html"

    def get_context_data(self, obj, form):
        return {
            "object": obj,
            "suggestion": obj,
            "evaluation_form": form,
            "rating_deadline": rating_deadline(obj),
            "today": timezone.localdate(),
        }

    def perform(self, obj, form):
        return services.suggestion_evaluate(
            suggestion_id=obj.pk,
            actor=self.request.user,
            attitude=form.cleaned_data["attitude"],
            result=form.cleaned_data["rating"],
            comment=form.cleaned_data["comment"],
        )

    def invalid(self, obj, form):
        messages.error(self.request, _("The rating is not saved: see below why."))
        return super().invalid(obj, form)

    def get_success_message(self, obj, result):
        suggestion = result.suggestion
        if suggestion.status == Status.CLOSED and not suggestion.escalated:
            return _("Thank you: your rating is recorded and the suggestion is closed.")
        if suggestion.escalated:
            return _(
                "Your rating is recorded. No further re-handling round is allowed, so "
                "the congress staff have been asked to follow it up."
            )
        return _(
            "Your rating is recorded. The unit will handle the suggestion again; its "
            "new reply is due by %(date)s."
        ) % {"date": date_format(suggestion.due_at, "DATE_FORMAT")}


@login_required
@require_GET
def deputy_search(request):
    """Deputies whose name or delegation matches ``q``, at most ``SEARCH_LIMIT``:
    for a deputy the active ones of the same congress (the co-signer picker); for
    staff and leaders, who filter the lists by any deputy, every deputy, those of
    the current congress first."""
    from django.db.models import Case, IntegerField, When

    from congress.models import Deputy, Session
    from congress.selectors import in_bodies

    user = request.user
    deputy = user.deputy_profile
    if user.is_congress_staff or user.is_leader:
        bodies = None if user.is_superuser else user.supervised_body_ids
        current = Session.objects.current(bodies)
        congress = current.congress_id if current is not None else None
        rows = (
            Deputy.objects.filter(in_bodies(bodies, via="delegation__congress__"))
            .select_related("delegation")
            .annotate(
                elsewhere=Case(
                    When(delegation__congress_id=congress, then=0),
                    default=1,
                    output_field=IntegerField(),
                )
            )
            .order_by("elsewhere", "name", "pk")
        )
    elif deputy is not None:
        rows = cosigner_candidates(congress_id=deputy.delegation.congress_id).exclude(
            pk=deputy.pk
        )
    else:
        return JsonResponse(
            {"detail": str(_("Only deputies may do this."))}, status=403
        )
    query = request.GET.get("q", "").replace("\x00", "").strip()[:50]
    if query:
        rows = rows.filter(
            Q(name__icontains=query) | Q(delegation__name__icontains=query)
        )
    results = [
        {
            "id": d.pk,
            "name": d.name,
            "delegation": {"id": d.delegation_id, "name": d.delegation.name},
        }
        for d in rows[:SEARCH_LIMIT]
    ]
    return JsonResponse({"results": results})


# The drafting panel (相似的已有建议): a title shorter than this says too little to
# compare; the text is compared by its beginning only, so that the panel's GET stays
# short enough for any proxy (the script sends no more than this).
SIMILAR_MIN_TITLE = 4
SIMILAR_MAX_TITLE = Suggestion._meta.get_field("title").max_length
SIMILAR_MAX_TEXT = 500
SIMILAR_LIMIT = 8
# What the panel's template and script need to know of those bounds.
_PANEL = {"similar_min": SIMILAR_MIN_TITLE, "similar_max_text": SIMILAR_MAX_TEXT}


def similar_context(user, body, title: str, text: str) -> dict:
    """What the drafting panel shows for a draft of ``title`` and ``text`` to
    ``body``: the earlier suggestions ``user`` may see that are most like it
    (``suggestions.intake.similar_to_text``), each marked whether its reply is
    published (``Suggestion.objects.published``), or none for a short title."""
    # The engine's libraries load on first use, not with every page's imports.
    from ..intake import similar_to_text

    title = title.replace("\x00", "").strip()
    text = text.replace("\x00", "").strip()
    if len(title) < SIMILAR_MIN_TITLE:
        return {**_PANEL, "similar": [], "similar_asked": False}
    hits = similar_to_text(user, body, title, text, limit=SIMILAR_LIMIT)
    ids = [hit.suggestion.pk for hit in hits]
    published = (
        set(
            Suggestion.objects.filter(pk__in=ids)
            .published()
            .values_list("pk", flat=True)
            .order_by()
        )
        if ids
        else set()
    )
    return {
        **_PANEL,
        "similar": [
            {
                "suggestion": hit.suggestion,
                "score": hit.score,
                "published": hit.suggestion.pk in published,
            }
            for hit in hits
        ],
        "similar_asked": True,
    }


@login_required
@require_GET
def similar_panel(request):
    """The drafting panel's list for the title and text typed so far (``title``,
    ``text``; ``congress``: the congress of the draft, for a deputy of several), as
    an HTML fragment: 403 for anyone not a deputy, 400 for input longer than the
    form or the panel takes, an empty list for a short title."""
    user = request.user
    if user.deputy_profile is None:
        return HttpResponseForbidden(_("Only deputies may do this."))
    title = request.GET.get("title", "")
    text = request.GET.get("text", "")
    if len(title) > SIMILAR_MAX_TITLE or len(text) > SIMILAR_MAX_TEXT:
        return render(
            request,
            "suggestions/deputy/_similar.html",
            {**_PANEL, "similar": [], "similar_asked": False},
            status=400,
        )
    chosen = request.GET.get("congress", "")
    deputy = None
    if chosen.isascii() and chosen.isdigit() and len(chosen) < 10:
        deputy = user.deputy_in(int(chosen))
    deputy = deputy or user.deputy_profile
    body = deputy.delegation.congress.body
    return render(
        request,
        "suggestions/deputy/_similar.html",
        similar_context(user, body, title, text),
    )

"""The congress staff's pages: filing, rejecting, merging and assigning suggestions,
key supervision, publishing replies, and deciding the units' requests.

Every page and action answers 404 to anyone logged in who is not congress staff, as
for any object out of reach. Each POST goes through ``ActionView`` to one service.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_GET

from common import clock
from common.errors import DomainError, NotFound

from .. import actions, deadlines, intake, selectors, services
from ..forms.staff import (
    ApproveForm,
    AssignForm,
    BulkReviewForm,
    DenyForm,
    EnterOnBehalfForm,
    LeadersForm,
    MarkKeyForm,
    MergeForm,
    PublishForm,
    RegisterForm,
    RejectForm,
    RequestFilterForm,
    active_units,
    suggestion_label,
)
from ..models import (
    AdjustmentKind,
    Assignment,
    Complexity,
    CoSignature,
    Decision,
    HandlingLeader,
    Rating,
    Status,
)
from ..widgets import speed_up_selects
from .base import ActionView

PAGE_SIZE = 25
# Ids beyond a 64-bit integer cannot exist; refuse them before they reach the database.
MAX_ID = 2**63 - 1


def _id(value) -> int | None:
    value = (value or "").strip()
    if value.isdigit() and int(value) <= MAX_ID:
        return int(value)
    return None


class StaffOnlyMixin:
    """Congress staff only: anyone else who is logged in finds nothing (404); the
    anonymous are sent to log in (the ``LoginRequiredMixin`` further on)."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not user.is_congress_staff:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


# --- entry on behalf (代录) -----------------------------------------------------------


class EnterOnBehalfView(StaffOnlyMixin, ActionView):
    """代录建议: staff enter a suggestion handed in on paper for its deputies, with
    the scan of the signed original; it is submitted at once (the service's rules:
    ``services.suggestion_enter_on_behalf``)."""

    one_time = True
    form_class = EnterOnBehalfForm
    template_name = "suggestions/staff/enter.html"

    def get_object(self):
        return None

    def get_form_kwargs(self, obj):
        user = self.request.user
        return {"bodies": None if user.is_superuser else user.staff_body_ids}

    def get_context_data(self, obj, form):
        speed_up_selects(form)
        return {"object": None, "form": form}

    def perform(self, obj, form):
        data = form.cleaned_data
        return services.suggestion_enter_on_behalf(
            actor=self.request.user,
            session=data["session"],
            lead_deputy=data["lead_deputy"],
            co_signers=list(data["co_signers"]),
            title=data["title"],
            body=data["body"],
            category=data["category"],
            original=data["original"],
        )

    def get_success_url(self, obj, result):
        return result.get_absolute_url()

    def get_failure_url(self, obj):
        return reverse("suggestions:enter-on-behalf")

    def get_success_message(self, obj, result):
        return _(
            "Entered on behalf of deputy %(deputy)s: the suggestion is submitted "
            "and awaits review; the deputies have been told."
        ) % {"deputy": result.lead_deputy.name}


# --- actions on a suggestion ----------------------------------------------------------


def panel_context(*, suggestion, actions, user=None) -> dict:
    """What the staff's card on the detail page needs beyond ``actions``: the units'
    requests waiting for a decision, as (assignment, request) pairs from the
    prefetched assignments, and whether to say that nothing more will happen
    (withdrawn, not accepted or merged away). While it awaits review (立案), the
    intake panels too (``similar_context``)."""
    intake_panels = {}
    if user is not None and "register" in actions:
        intake_panels = similar_context(user, suggestion, may_merge="merge" in actions)
    return {
        **intake_panels,
        "review_panels": bool(intake_panels),
        "pending_requests": [
            (a, r)
            for a in suggestion.assignments.all()
            for r in a.adjustment_requests.all()
            if r.decision == Decision.PENDING
        ],
        "no_longer_handled": suggestion.status
        in (Status.WITHDRAWN, Status.REJECTED, Status.MERGED),
    }


class StaffSuggestionActionView(StaffOnlyMixin, ActionView):
    """A staff action on a suggestion; its page (if any) is offered only while
    ``actions.require`` allows ``action``, and the service decides in the end."""

    action = ""

    def get_object(self):
        suggestion = (
            selectors.suggestion_list(user=self.request.user)
            .select_related("merged_into", "supervising_leader")
            .prefetch_related(
                Prefetch(
                    "cosignatures",
                    queryset=CoSignature.objects.select_related("deputy"),
                )
            )
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if suggestion is None:
            raise NotFound()
        return suggestion

    def get_success_url(self, obj, result) -> str:
        return obj.get_absolute_url()

    def get(self, request, *args, **kwargs):
        if self.template_name is None:
            raise Http404
        obj = self._load()
        try:
            actions.require(request.user, self.action, obj, visible=True)
        except NotFound:
            raise Http404 from None
        except DomainError as error:
            messages.error(request, str(error.message))
            return redirect(obj.get_absolute_url())
        form = self.form_class(**self.get_form_kwargs(obj))
        return render(request, self.template_name, self.get_context_data(obj, form))


# --- smart intake (docs/api.md, Smart intake) ----------------------------------------

# Below this similarity of the text to a unit's responsibilities (职责) the page does
# not call them a match.
DUTIES_MATCH_SHOWN = 0.2
# A unit with less than this share of the evidence is noise on the page (the API
# lists it all).
SHARE_SHOWN = 0.01


def _percent(score: float) -> float:
    return round(score * 100, 1)


def similar_context(user, suggestion, *, may_merge: bool) -> dict:
    """The intake panels: likely duplicates in the same session (each a link to the
    merge page aimed at it, when the suggestion may be merged) and repeats from
    earlier sessions, with their lead units. Only what ``user`` may see."""
    merge_url = reverse("suggestions:merge", args=[suggestion.pk])
    duplicates = [
        {
            "suggestion": item.suggestion,
            "percent": _percent(item.score),
            "merge_url": f"{merge_url}?into={item.suggestion.pk}" if may_merge else "",
        }
        for item in intake.similar_to(user, suggestion, scope="same_session")
    ]
    earlier = [
        {"suggestion": item.suggestion, "percent": _percent(item.score)}
        for item in intake.similar_to(user, suggestion, scope="earlier")
    ]
    return {"duplicates": duplicates, "earlier": earlier}


def recommendation_context(suggestion, *, page_url: str, lead_id, co_ids) -> dict:
    """The recommended handling as the assign page shows it: the category, the
    ranked lead units and co-units, each with its reasons (the similar past
    suggestions, their ratings, 曾改办) and links that choose a lead unit or add a
    co-unit to the form (``?lead_unit=``, ``?co_unit=``): the page only fills in
    the form, staff press 交办."""
    found = intake.recommend(suggestion)
    ratings = dict(Rating.choices)
    if lead_id is None and found.lead_units:
        lead_id = found.lead_units[0].unit.pk

    def link(lead, cos) -> str:
        query = "&".join(
            [f"lead_unit={lead}"] * bool(lead) + [f"co_unit={c}" for c in cos]
        )
        return f"{page_url}?{query}" if query else page_url

    def choices(items, *, lead: bool) -> list[dict]:
        rows = []
        for choice in items:
            if choice.score < SHARE_SHOWN:
                continue
            unit_id = choice.unit.pk
            rows.append(
                {
                    "unit": choice.unit,
                    "percent": _percent(choice.score),
                    "duties_match": choice.duties_match >= DUTIES_MATCH_SHOWN,
                    "because": [
                        {
                            "suggestion": b.suggestion,
                            "percent": _percent(b.score),
                            "rating": b.rating,
                            "rating_label": ratings.get(b.rating, ""),
                            "reassigned_away": b.reassigned_away,
                        }
                        for b in choice.because
                    ],
                    "chosen": unit_id == lead_id if lead else unit_id in co_ids,
                    "choose_url": link(unit_id, [c for c in co_ids if c != unit_id])
                    if lead
                    else link(lead_id, [*co_ids, unit_id]),
                }
            )
        return rows

    category = found.category
    return {
        "recommendation": {
            "category": category,
            "category_percent": _percent(category.score) if category else None,
            "category_differs": category is not None
            and category.category.pk != suggestion.category_id,
            "lead_id": lead_id,
            "lead_units": choices(found.lead_units, lead=True),
            "co_units": choices(found.co_units, lead=False),
        }
    }


class RegisterView(StaffSuggestionActionView):
    """File the suggestion (立案) under a category; the number comes with it."""

    action = "register"
    form_class = RegisterForm
    template_name = "suggestions/staff/register.html"

    def get_form_kwargs(self, obj):
        return {
            "initial": {"category": obj.category_id},
            "body": obj.session.congress.body_id,
        }

    def get_context_data(self, obj, form):
        return {
            **super().get_context_data(obj, form),
            **similar_context(
                self.request.user, obj, may_merge="merge" in self.allowed(obj)
            ),
        }

    def allowed(self, obj) -> set[str]:
        return actions.suggestion_actions(self.request.user, obj)

    def perform(self, obj, form):
        return services.suggestion_register(
            suggestion_id=obj.pk,
            actor=self.request.user,
            category=form.cleaned_data["category"],
        )

    def get_success_message(self, obj, result):
        return _("Filed as No. %(number)s.") % {"number": result.number}


class RejectView(StaffSuggestionActionView):
    """Not accepted as a suggestion; the deputy is told why and what happens to it."""

    action = "reject"
    form_class = RejectForm
    template_name = "suggestions/staff/reject.html"

    def perform(self, obj, form):
        return services.suggestion_reject(
            suggestion_id=obj.pk,
            actor=self.request.user,
            reason=form.cleaned_data["reason"],
            disposition=form.cleaned_data["disposition"],
        )

    def get_success_message(self, obj, result):
        return _("Not accepted as a suggestion: %(disposition)s.") % {
            "disposition": result.get_disposition_display()
        }


class MergeView(StaffSuggestionActionView):
    """Merge into another suggestion of the session (并案), found by number or title:
    the page's search narrows the select without JavaScript, and the script in
    ``static/js/suggestion-search.js`` narrows it as one types."""

    action = "merge"
    form_class = MergeForm
    template_name = "suggestions/staff/merge.html"

    def get_form_kwargs(self, obj):
        user = self.request.user
        shown = selectors.suggestion_search(
            user=user,
            session_id=obj.session_id,
            q=self.request.GET.get("q", ""),
            statuses=selectors.merge_target_statuses(),
            exclude=obj.pk,
        )
        return {
            "candidates": selectors.merge_candidates(user=user, suggestion=obj),
            "shown": shown,
            # The intake's likely duplicates link here with their id (?into=).
            "target": _id(self.request.GET.get("into")),
        }

    def get_context_data(self, obj, form):
        return {
            "object": obj,
            "form": form,
            "q": self.request.GET.get("q", ""),
            "target_statuses": sorted(selectors.merge_target_statuses()),
            "search_limit": selectors.SEARCH_LIMIT,
            # Those merged into this one go along to the target (merge-along).
            "joined": obj.merged_suggestions.only("pk", "number", "title").order_by(
                "pk"
            ),
        }

    def perform(self, obj, form):
        return services.suggestion_merge(
            suggestion_id=obj.pk,
            actor=self.request.user,
            into=form.cleaned_data["into"].pk,
        )

    def get_success_message(self, obj, result):
        target = result.merged_into
        if target.number:
            return _("Merged into No. %(number)s “%(title)s”.") % {
                "number": target.number,
                "title": target.title,
            }
        return _("Merged into “%(title)s”.") % {"title": target.title}


class AssignView(StaffSuggestionActionView):
    """Hand the suggestion to a lead unit and co-units (交办); the page shows the
    deadlines each complexity would give under the congress's rules."""

    one_time = True
    action = "assign"
    form_class = AssignForm
    template_name = "suggestions/staff/assign.html"

    def rules(self, obj):
        if not hasattr(self, "_rules"):
            self._rules = deadlines.rules_for(obj.session.congress_id)
        return self._rules

    def due_dates(self, obj) -> dict:
        rules, today = self.rules(obj), clock.today()
        return {c: deadlines.reply_due(rules, today, c) for c in Complexity.values}

    def get_form_kwargs(self, obj):
        kwargs = {"due_dates": self.due_dates(obj), "bodies": [obj.body_id]}
        if self.request.method == "GET":
            lead, cos = self.prefill(obj)
            kwargs["initial"] = {"lead_unit": lead, "co_units": cos}
        return kwargs

    def chosen_by_links(self) -> tuple[int | None, list[int]]:
        """The units the page's links chose (``?lead_unit=``, ``?co_unit=``)."""
        query = self.request.GET
        lead = _id(query.get("lead_unit"))
        cos = [c for c in map(_id, query.getlist("co_unit")[:20]) if c]
        return lead, [c for c in dict.fromkeys(cos) if c != lead]

    def prefill(self, obj) -> tuple[int | None, list[int]]:
        """The units the form starts with: those the page's links chose, the lead
        unit by default the first recommended one; nothing for a suggestion
        assigned before (its units are chosen again by hand). Read only:
        choosing here assigns nothing."""
        lead, cos = self.chosen_by_links()
        advice = self.recommendation(obj)
        if lead is None and advice is not None:
            lead = advice["recommendation"]["lead_id"]
        return lead, cos

    def recommendation(self, obj) -> dict | None:
        """The recommendation for a suggestion never assigned before; None for one
        assigned before (no pre-fill, no advice)."""
        if not hasattr(self, "_recommendation"):
            self._recommendation = None
            if obj.lead_unit_id is None and obj.assigned_at is None:
                lead, cos = self.chosen_by_links()
                self._recommendation = recommendation_context(
                    obj,
                    page_url=reverse("suggestions:assign", args=[obj.pk]),
                    lead_id=lead,
                    co_ids=cos,
                )
        return self._recommendation

    def get_context_data(self, obj, form):
        rules = self.rules(obj)
        dates = self.due_dates(obj)
        context = {
            "object": obj,
            "form": form,
            "rules": rules,
            "normal_due": dates[Complexity.NORMAL],
            "complex_due": dates[Complexity.COMPLEX],
            "recommendation": None,
        }
        context.update(self.recommendation(obj) or {})
        # Say so when the lead unit came from the advice, not from staff's choice.
        context["prefilled"] = (
            not form.is_bound
            and context["recommendation"] is not None
            and self.chosen_by_links()[0] is None
            and context["recommendation"]["lead_id"] is not None
        )
        return context

    def perform(self, obj, form):
        data = form.cleaned_data
        return services.suggestion_assign(
            suggestion_id=obj.pk,
            actor=self.request.user,
            lead_unit=data["lead_unit"],
            co_units=list(data["co_units"]),
            complexity=data["complexity"],
            key_supervised=data["key_supervised"],
            supervising_leader=data["supervising_leader"],
        )

    def get_success_message(self, obj, result):
        return _("Assigned to %(unit)s; reply due %(date)s.") % {
            "unit": result.lead_unit.name,
            "date": date_format(result.due_at),
        }


class BulkReviewView(StaffOnlyMixin, ActionView):
    """File (立案) or assign (交办) several suggestions of the review queue at once.

    Each goes through the same service as on its own page, so each gets its own
    number, deadline and timeline entry. All of them or none: inside one
    transaction, the first refusal names its suggestion and undoes the others."""

    one_time = True
    form_class = BulkReviewForm

    def get_object(self):
        return None

    def get_form_kwargs(self, obj):
        from .common import REVIEW_STATUSES

        user = self.request.user
        return {
            "candidates": selectors.suggestion_list(user=user).filter(
                status__in=REVIEW_STATUSES
            ),
            "bodies": None if user.is_superuser else user.staff_body_ids,
        }

    def get_success_url(self, obj, result) -> str:
        back = self.request.POST.get("back", "")
        url = reverse("suggestions:review-queue")
        if back.startswith(url) and "//" not in back and "\\" not in back:
            return back
        return url

    def perform(self, obj, form):
        from django.db import transaction

        data = form.cleaned_data
        rows = sorted(data["suggestions"], key=lambda s: (s.submitted_at, s.pk))
        done = []
        with transaction.atomic():
            for suggestion in rows:
                try:
                    done.append(self.one(suggestion, data))
                except NotFound:
                    raise
                except DomainError as error:
                    raise DomainError(
                        _("Nothing was done: «%(title)s» was refused: %(reason)s")
                        % {"title": suggestion.title, "reason": error.message}
                    ) from error
        return done

    def one(self, suggestion, data):
        if data["action"] == BulkReviewForm.REGISTER:
            return services.suggestion_register(
                suggestion_id=suggestion.pk,
                actor=self.request.user,
                category=suggestion.category or data["category"],
            )
        return services.suggestion_assign(
            suggestion_id=suggestion.pk,
            actor=self.request.user,
            lead_unit=data["lead_unit"],
            complexity=data["complexity"],
        )

    def get_success_message(self, obj, result):
        numbers = "、".join(str(s.number) for s in result)
        if self.request.POST.get("action") == BulkReviewForm.REGISTER:
            return _("Filed %(count)s suggestions: No. %(numbers)s.") % {
                "count": len(result),
                "numbers": numbers,
            }
        return _("Assigned %(count)s suggestions: No. %(numbers)s.") % {
            "count": len(result),
            "numbers": numbers,
        }


class LeadersView(StaffSuggestionActionView):
    """Name the leaders of a key suggestion: the government leader who leads its
    handling (领办领导) and the standing-committee leader who supervises it."""

    action = "leaders"
    form_class = LeadersForm
    template_name = "suggestions/staff/leaders.html"
    success_message = _("The leaders of the key suggestion have been saved.")

    def get_form_kwargs(self, obj):
        leading = HandlingLeader.objects.filter(suggestion=obj).first()
        return {
            "initial": {
                "leading_leader_name": leading.name if leading else "",
                "leading_leader_post": leading.post if leading else "",
                "supervising_leader": obj.supervising_leader_id,
            },
            "bodies": [obj.body_id],
        }

    def perform(self, obj, form):
        data = form.cleaned_data
        return services.suggestion_set_leaders(
            suggestion_id=obj.pk,
            actor=self.request.user,
            leading_leader_name=data["leading_leader_name"],
            leading_leader_post=data["leading_leader_post"],
            supervising_leader=data["supervising_leader"],
        )


class MarkKeyView(StaffSuggestionActionView):
    """Choose a suggestion for key supervision (重点督办) or drop it. The detail
    panel posts here directly; this page also names the supervising leader."""

    action = "mark-key"
    form_class = MarkKeyForm
    template_name = "suggestions/staff/mark_key.html"

    def get_form_kwargs(self, obj):
        return {
            "initial": {
                "key_supervised": obj.key_supervised or None,
                "supervising_leader": obj.supervising_leader_id,
            },
            "bodies": [obj.body_id],
        }

    def perform(self, obj, form):
        return services.suggestion_mark_key(
            suggestion_id=obj.pk,
            actor=self.request.user,
            key_supervised=form.cleaned_data["key_supervised"],
            supervising_leader=form.cleaned_data["supervising_leader"],
        )

    def get_success_message(self, obj, result):
        if not result.key_supervised:
            return _("No longer key supervised.")
        if result.supervising_leader:
            return _("Marked for key supervision by %(leader)s.") % {
                "leader": result.supervising_leader
            }
        return _("Marked for key supervision.")


class PublishView(StaffSuggestionActionView):
    """Publish the reply (答复公开) or take it off the public pages; from the panel."""

    action = "publish"
    form_class = PublishForm

    def perform(self, obj, form):
        return services.suggestion_publish(
            suggestion_id=obj.pk,
            actor=self.request.user,
            is_public=form.cleaned_data["is_public"],
        )

    def get_success_message(self, obj, result):
        if result.is_public:
            return _("The reply is now public.")
        return _("The reply is no longer public.")


class SuggestionSearchView(StaffOnlyMixin, LoginRequiredMixin, View):
    """JSON for the merge picker: ``?session=&q=`` (and optionally ``status``,
    repeatable, and ``exclude``) → at most 20 matches by number or title."""

    def get(self, request):
        session_id = _id(request.GET.get("session"))
        if session_id is None:
            return JsonResponse({"detail": _("Give the session's id.")}, status=400)
        rows = selectors.suggestion_search(
            user=request.user,
            session_id=session_id,
            q=request.GET.get("q", ""),
            statuses=[s for s in request.GET.getlist("status") if s in Status.values],
            exclude=_id(request.GET.get("exclude")),
        )
        return JsonResponse(
            {
                "results": [
                    {
                        "id": s.pk,
                        "number": s.number,
                        "title": s.title,
                        "status": s.status,
                        "status_display": s.get_status_display(),
                        "label": suggestion_label(s),
                    }
                    for s in rows
                ]
            }
        )


# --- the units' requests --------------------------------------------------------------


class RequestQueueView(StaffOnlyMixin, LoginRequiredMixin, View):
    """Reassignment and extension requests, pending first; filtered by kind,
    decision and suggestion; in a fixed number of queries per page."""

    def get(self, request):
        filter_form = RequestFilterForm(request.GET or None)
        lookups = filter_form.filters()
        rows = selectors.adjustment_request_list(user=request.user).filter(**lookups)
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        requests = list(page)
        limits = selectors.extension_limits(requests)
        for item in requests:
            item.extension_limit = limits[item.pk]
            item.actions = actions.request_actions(request.user, item)
        return render(
            request,
            "suggestions/staff/requests.html",
            {
                "filter_form": filter_form,
                "page_obj": page,
                "filtered_suggestion": lookups.get("assignment__suggestion_id"),
            },
        )


def _load_request(user, pk):
    adjustment = (
        selectors.adjustment_request_list(user=user)
        .select_related(
            "assignment__suggestion__lead_deputy__delegation",
            "assignment__suggestion__lead_unit",
        )
        .filter(pk=pk)
        .first()
    )
    if adjustment is None:
        raise NotFound()
    return adjustment


class RequestPageMixin:
    """What the decision page shows: the request, the suggestion's current units,
    the latest date a deadline may move to, and both decision forms."""

    template_name = "suggestions/staff/request_detail.html"

    def decision_data(self, adjustment) -> dict:
        if not hasattr(self, "_decision_data"):
            suggestion = adjustment.assignment.suggestion
            handlers = list(
                Assignment.objects.filter(
                    suggestion=suggestion, round=suggestion.round, active=True
                )
                .select_related("unit")
                .order_by("role", "pk")
            )
            for handler in handlers:  # their deadlines show whether they are live
                handler.suggestion = suggestion
            self._decision_data = {
                "limit": selectors.extension_limits([adjustment])[adjustment.pk],
                "handlers": handlers,
            }
        return self._decision_data

    def approve_form_kwargs(self, adjustment) -> dict:
        data = self.decision_data(adjustment)
        return {
            "adjustment": adjustment,
            "limit": data["limit"],
            "excluded_units": [a.unit_id for a in data["handlers"]],
        }

    def page_context(self, adjustment, *, approve_form=None, deny_form=None) -> dict:
        data = self.decision_data(adjustment)
        allowed = actions.request_actions(self.request.user, adjustment)
        if "approve" in allowed and approve_form is None:
            approve_form = ApproveForm(**self.approve_form_kwargs(adjustment))
        if "deny" in allowed and deny_form is None:
            deny_form = DenyForm()
        return {
            "object": adjustment,
            "suggestion": adjustment.assignment.suggestion,
            "limit": data["limit"],
            "handlers": data["handlers"],
            "is_reassignment": adjustment.kind == AdjustmentKind.REASSIGNMENT,
            # The decisions open now; a form that failed comes back with its errors.
            "actions": allowed
            | {
                name
                for name, form in (("approve", approve_form), ("deny", deny_form))
                if form is not None and form.is_bound
            },
            "approve_form": approve_form,
            "deny_form": deny_form,
        }


class RequestDetailView(StaffOnlyMixin, LoginRequiredMixin, RequestPageMixin, View):
    def get(self, request, pk: int):
        try:
            adjustment = _load_request(request.user, pk)
        except NotFound:
            raise Http404 from None
        return render(request, self.template_name, self.page_context(adjustment))


class RequestActionView(StaffOnlyMixin, RequestPageMixin, ActionView):
    """A decision on a request; invalid input comes back on the decision page."""

    def get_object(self):
        return _load_request(self.request.user, self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        return redirect("suggestions:request-detail", pk=self.kwargs["pk"])

    def get_success_url(self, obj, result) -> str:
        return reverse("suggestions:requests")

    def get_failure_url(self, obj) -> str:
        return reverse("suggestions:request-detail", args=[obj.pk])


class ApproveView(RequestActionView):
    form_class = ApproveForm

    def get_form_kwargs(self, obj):
        return self.approve_form_kwargs(obj)

    def get_context_data(self, obj, form):
        return self.page_context(obj, approve_form=form)

    def perform(self, obj, form):
        return services.adjustment_approve(
            request_id=obj.pk,
            actor=self.request.user,
            new_unit=form.cleaned_data.get("new_unit"),
            extend_to=form.cleaned_data.get("extend_to"),
        )

    def get_success_message(self, obj, result):
        if result.kind == AdjustmentKind.REASSIGNMENT:
            return _("Approved: reassigned to %(unit)s, reply due %(date)s.") % {
                "unit": result.new_unit.name,
                "date": date_format(result.new_due_at),
            }
        return _("Approved: the deadline is now %(date)s.") % {
            "date": date_format(result.new_due_at)
        }


class DenyView(RequestActionView):
    form_class = DenyForm

    def get_context_data(self, obj, form):
        return self.page_context(obj, deny_form=form)

    def perform(self, obj, form):
        return services.adjustment_deny(
            request_id=obj.pk,
            actor=self.request.user,
            reason=form.cleaned_data["reason"],
        )

    def get_success_message(self, obj, result):
        return _("The request was denied; the unit is told why.")


@require_GET
def unit_search(request):
    """Active handling units whose name matches ``q``, at most
    ``selectors.SEARCH_LIMIT``, for the co-unit picker: staff only (404 for anyone
    else signed in, the login page for the anonymous)."""
    from django.contrib.auth.views import redirect_to_login

    from congress.models import UnitKind

    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not user.is_congress_staff:
        raise Http404
    query = request.GET.get("q", "").replace("\x00", "").strip()[:50]
    rows = active_units()
    if not user.is_superuser:
        rows = rows.filter(body_id__in=user.staff_body_ids)
    if query:
        rows = rows.filter(name__icontains=query)
    kinds = dict(UnitKind.choices)
    return JsonResponse(
        {
            "results": [
                {"id": u.pk, "name": u.name, "detail": str(kinds.get(u.kind, ""))}
                for u in rows[: selectors.SEARCH_LIMIT]
            ]
        }
    )

"""The handling unit's pages: its assignments by tab, and one assignment with the
deadlines that bind and the actions allowed now (签收, 调整/延期申请, 面商, 答复).

A unit member reaches only its own unit's assignments (another unit's answers 404).
Staff and leaders may read any assignment; the services refuse them every action.
What the page offers is what ``actions.assignment_actions`` allows, the same checks
the services make, so that a clerk is neither shown a button that can only fail nor
denied one that would work.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views import View

from audit.downloads import DOCX, XLSX, download
from common import clock
from common.errors import DomainError, InvalidInput, InvalidTransition, NotFound
from congress.models import HandlingUnit, LeadReplyRule

from .. import (
    actions,
    deadlines,
    plans,
    reply_letters,
    rules,
    selectors,
    services,
    unit_summary,
)
from ..forms.unit import (
    AssignmentSearchForm,
    ContactForm,
    ExtensionRequestForm,
    FulfilForm,
    PlanForm,
    ProgressForm,
    ReassignmentRequestForm,
    ReplyForm,
)
from ..models import DUE_SOON_DAYS, Assignment, Decision
from ..pagination import DeferredJoinPaginator
from ..services.promises import promises_allowed
from .base import ActionView
from .promises import with_report_forms

PAGE_SIZE = 25
DETAIL_TEMPLATE = "suggestions/unit/assignment_detail.html"


def _due_soon_label() -> str:
    return ngettext(
        "Due within %(days)d day", "Due within %(days)d days", DUE_SOON_DAYS
    ) % {"days": DUE_SOON_DAYS}


# The unit's tab and the workbench's count of live work due soon.
DUE_SOON_LABEL = lazy(_due_soon_label, str)()

TAB_LABELS = {
    "pending": _("To acknowledge"),
    "open": _("In progress"),
    "due-soon": DUE_SOON_LABEL,
    "overdue": _("Overdue"),
    "co": _("Co-unit opinions to send"),
    "done": _("Replied"),
    "all": _("All"),
}
DEFAULT_TAB = "open"


def _can_read_any(user) -> bool:
    return user.is_congress_staff or user.is_leader


def _units_of(user):
    """The units of the congress bodies ``user`` supervises (the superuser: all)."""
    rows = HandlingUnit.objects.all()
    return (
        rows if user.is_superuser else rows.filter(body_id__in=user.supervised_body_ids)
    )


class AssignmentListView(LoginRequiredMixin, View):
    """The unit's assignments, one tab at a time, paginated. Staff and leaders may
    pick a unit with ``?unit=<id>`` (without it they see every unit's)."""

    template_name = "suggestions/unit/assignment_list.html"

    def get(self, request):
        user = request.user
        unit = self._unit(request)
        if unit is None and not user.is_unit_member and not _can_read_any(user):
            raise Http404
        unit_id = unit.pk if unit is not None else None
        tab = request.GET.get("tab")
        if tab not in selectors.UNIT_TABS:
            tab = DEFAULT_TAB
        today = timezone.localdate()
        search = AssignmentSearchForm(request.GET)
        found = search.cleaned_data if search.is_valid() else {}
        session = found.get("session")
        narrow = {
            "q": found.get("q", ""),
            "session_id": session.pk if session is not None else None,
        }
        rows = selectors.unit_assignments(
            user=user, tab=tab, unit_id=unit_id, today=today, **narrow
        )
        counts = selectors.unit_assignment_counts(
            user=user, unit_id=unit_id, today=today, **narrow
        )
        # The tab's count is the list's: the same filters, counted with the tabs.
        paginator = DeferredJoinPaginator(rows, PAGE_SIZE, count=counts[tab])
        page = paginator.get_page(request.GET.get("page"))
        return render(
            request,
            self.template_name,
            {
                "tab": tab,
                "tabs": [
                    {"key": key, "label": TAB_LABELS[key], "count": counts[key]}
                    for key in selectors.UNIT_TABS
                ],
                "page_obj": page,
                "search": search,
                "unit": unit,
                "show_unit": unit is None,
                "letter_url": _letter_url(user, unit, session),
                "units": (
                    _units_of(user).filter(active=True).order_by("name")
                    if _can_read_any(user)
                    else None
                ),
            },
        )

    def _unit(self, request) -> HandlingUnit | None:
        """The unit whose list is shown: staff's and leaders' pick, else the user's
        own; None for staff and leaders who picked none (all units)."""
        user = request.user
        if _can_read_any(user):
            picked = request.GET.get("unit")
            if picked:
                try:
                    return _units_of(user).get(pk=int(picked))
                except (ValueError, HandlingUnit.DoesNotExist):
                    raise Http404 from None
        if user.is_unit_member:
            return user.unit
        return None


def _letter_url(user, unit, session) -> str | None:
    """The unit's 交办函 for the session searched (else its current one), for
    those who may read it (``rules.may_print_assignment_letter``)."""
    if unit is None or not rules.may_print_assignment_letter(user, unit):
        return None
    url = reverse("suggestions:unit-assignment-letter", args=[unit.pk])
    return f"{url}?session={session.pk}" if session is not None else url


def _rules(assignment: Assignment):
    return deadlines.rules_of(assignment.suggestion)


def _extension_limit(handling, assignment: Assignment):
    """Counted from the suggestion's first assignment, as the service counts it."""
    first = assignment.suggestion.assigned_at or assignment.assigned_at
    return deadlines.extension_limit(handling, timezone.localdate(first))


def _form_kwargs(key: str, assignment: Assignment, handling) -> dict:
    if key == "extension":
        return {
            "due": assignment.due_at,
            "limit": _extension_limit(handling, assignment),
        }
    if key == "contact":
        # The first meeting the rules still miss is the likeliest one recorded.
        missing = actions.missing_contact_stages(assignment, rules=handling)
        return {"now": clock.now(), "stage": missing[0] if missing else None}
    if key == "reply":
        return {"offered": handling.offered_outcomes, "is_lead": assignment.is_lead}
    if key == "plan":
        plan = plans.plan_of(assignment)
        due = plans.plan_due_on(assignment, handling) if plan is None else None
        return {
            "plan": plan,
            "latest": plans.latest_completion(assignment),
            "late": due is not None and plans.is_late(due.date, clock.today()),
        }
    if key == "progress":
        return {"plan": plans.plan_of(assignment)}
    return {}


FORM_CLASSES = {
    "reassignment": ReassignmentRequestForm,
    "extension": ExtensionRequestForm,
    "contact": ContactForm,
    "plan": PlanForm,
    "progress": ProgressForm,
    "reply": ReplyForm,
    "fulfil": FulfilForm,
}


# The action each form does (``FORM_CLASSES`` and ``AssignmentActionView.form_key``).
FORM_ACTIONS = {
    "reassignment": "request-reassignment",
    "extension": "request-extension",
    "contact": "contact",
    "plan": "plan",
    "progress": "progress",
    "reply": "reply",
    "fulfil": "fulfil",
}


def assignment_page_context(request, assignment: Assignment, bound=None) -> dict:
    """Everything the assignment page shows; ``bound`` ({key: form}) puts a form
    that failed back on the page with its errors. The buttons and forms offered are
    the actions ``actions.assignment_actions`` allows now, which the services check
    again: a page never offers what a service would refuse."""
    user = request.user
    suggestion = assignment.suggestion
    handling = _rules(assignment)
    is_member = user.is_unit_member and user.unit_id == assignment.unit_id
    window = deadlines.reassignment_window_end(
        handling, timezone.localdate(assignment.assigned_at)
    )
    limit = _extension_limit(handling, assignment) if assignment.is_lead else None
    requests = list(assignment.adjustment_requests.all())
    pending = {r.kind for r in requests if r.decision == Decision.PENDING}
    allowed = set(
        actions.assignment_actions(user, assignment, rules=handling, window=window)
    )
    action_forms = {
        key: form_class(**_form_kwargs(key, assignment, handling))
        for key, form_class in FORM_CLASSES.items()
        if FORM_ACTIONS[key] in allowed
    }
    # A form the service refused comes back with its errors, even if the action is
    # no longer open: the errors say why.
    for key, form in (bound or {}).items():
        action_forms[key] = form
        allowed.add(FORM_ACTIONS[key])
    sees_opinions = assignment.is_lead and (is_member or _can_read_any(user))
    co_opinions = _co_opinions(assignment) if sees_opinions else []
    # The co-units whose opinion has not come while the round runs, and those of
    # them still within their deadline: the lead unit sees them by its reply form
    # (the rules say whether it may reply now, or only with a note).
    today = clock.today()
    missing = [c for c in co_opinions if getattr(c, "reply", None) is None]
    missing = [c for c in missing if c.is_live]
    awaited = actions.still_awaited(missing, today)
    rule = handling.lead_reply_before_co_opinions
    missing_stages = (
        actions.missing_contact_stages(assignment, rules=handling)
        if is_member and assignment.is_live
        else []
    )
    return {
        "assignment": assignment,
        "suggestion": suggestion,
        "is_member": is_member,
        "rules": handling,
        "window": window,
        "window_open": clock.today() <= window.date,
        "extension_limit": limit,
        "requests": requests,
        "pending_kinds": pending,
        "reply": getattr(assignment, "reply", None),
        "may_read_letter": reply_letters.may_read_letter(user, assignment),
        "actions": frozenset(allowed),
        "action_forms": action_forms,
        "has_errors": bool(bound),
        "show_deputy_contact": (is_member and assignment.active)
        or user.is_staff_of(suggestion.body_id),
        "co_opinions": co_opinions,
        # The co-units whose opinion has not come while the round runs: the lead
        # unit sees them by its reply form (the rules say whether it may reply).
        "co_units_without_opinion": missing,
        "lead_must_wait": bool(awaited) and rule == LeadReplyRule.WAIT,
        # The meetings (三见面) the rules require before the reply and still
        # missing: said by the reply form, before the unit writes it.
        "missing_stages": missing_stages,
        "missing_stages_text": (
            actions.describe_missing_stages(missing_stages) if missing_stages else ""
        ),
        "lead_needs_note": bool(awaited) and rule == LeadReplyRule.NOTE,
        "today": today,
        "earlier_replies": (
            list(selectors.earlier_lead_replies(assignment=assignment))
            if assignment.round > 1
            else []
        ),
        "evaluations": list(suggestion.evaluations.all()),
        **plan_context(assignment, handling, today),
        "promises": _promises(user, getattr(assignment, "reply", None)),
    }


def plan_context(assignment: Assignment, handling, today) -> dict:
    """The 五定 plan as the pages show it: the plan (None until filed), the day it
    is or was due (lead assignments, once acknowledged) and whether that day has
    passed without a plan."""
    plan = plans.plan_of(assignment)
    if plan is not None:
        due = plan.due_on
    elif assignment.is_lead and assignment.is_live:
        found = plans.plan_due_on(assignment, handling)
        due = found.date if found is not None else None
    else:
        due = None
    return {
        "plan": plan,
        "plan_milestones": (
            plans.milestone_rows(plan, today, live=assignment.is_live) if plan else []
        ),
        "plan_due": due,
        "plan_overdue": plan is None and due is not None and today > due,
    }


def _promises(user, reply) -> list:
    """The promises of the assignment's class-B reply, each with the report the
    user may make (``promise_report_kind``); none read for any other reply."""
    if reply is None or not promises_allowed(
        outcome=reply.outcome, is_lead=reply.is_lead
    ):
        return []
    return with_report_forms(
        user, selectors.promise_ledger(user=user).filter(reply_id=reply.pk)
    )


def _co_opinions(assignment: Assignment) -> list[Assignment]:
    """The co-units of the lead assignment's round; their due dates show whether
    they are live, which reads the suggestion: the one already loaded."""
    rows = list(selectors.co_unit_opinions(assignment=assignment))
    for row in rows:
        row.suggestion = assignment.suggestion
    return rows


def _load(user, pk) -> Assignment:
    try:
        return selectors.unit_assignment_detail(user=user, pk=pk)
    except Assignment.DoesNotExist:
        raise NotFound() from None


class AssignmentDetailView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        try:
            assignment = _load(request.user, pk)
        except NotFound:
            raise Http404 from None
        context = assignment_page_context(request, assignment)
        return render(request, DETAIL_TEMPLATE, context)


class AssignmentActionView(ActionView):
    """One unit action on one assignment: POST only, back to the assignment page; a
    form that the service refuses comes back on that page with the error (400)."""

    http_method_names = ["post"]
    template_name = DETAIL_TEMPLATE
    form_key: str | None = None

    def get_object(self):
        return _load(self.request.user, self.kwargs["pk"])

    def get_form_kwargs(self, obj) -> dict:
        return _form_kwargs(self.form_key, obj, _rules(obj))

    def get_context_data(self, obj, form) -> dict:
        bound = {self.form_key: form} if form is not None else None
        return assignment_page_context(self.request, obj, bound)

    def get_success_url(self, obj, result) -> str:
        return reverse("suggestions:assignment-detail", args=[obj.pk])

    def invalid(self, obj, form):
        messages.error(
            self.request, _("Nothing was saved: correct the errors in the form.")
        )
        return super().invalid(obj, form)


class AcknowledgeView(AssignmentActionView):
    success_message = _("The assignment has been acknowledged.")

    def perform(self, obj, form):
        return services.assignment_acknowledge(
            assignment_id=obj.pk, actor=self.request.user
        )


class RequestReassignmentView(AssignmentActionView):
    one_time = True
    form_class = ReassignmentRequestForm
    form_key = "reassignment"
    success_message = _(
        "Your request for reassignment has been sent to the congress staff."
    )

    def perform(self, obj, form):
        return services.assignment_request_reassignment(
            assignment_id=obj.pk,
            actor=self.request.user,
            reason=form.cleaned_data["reason"],
        )


class RequestExtensionView(AssignmentActionView):
    one_time = True
    form_class = ExtensionRequestForm
    form_key = "extension"
    success_message = _(
        "Your request for an extension has been sent to the congress staff."
    )

    def perform(self, obj, form):
        return services.assignment_request_extension(
            assignment_id=obj.pk,
            actor=self.request.user,
            reason=form.cleaned_data["reason"],
            until=form.cleaned_data["until"],
        )


class ContactView(AssignmentActionView):
    one_time = True
    form_class = ContactForm
    form_key = "contact"
    success_message = _("The contact with the deputy has been recorded.")

    def perform(self, obj, form):
        return services.assignment_record_contact(
            assignment_id=obj.pk,
            actor=self.request.user,
            method=form.cleaned_data["method"],
            contacted_at=form.cleaned_data["contacted_at"],
            note=form.cleaned_data["note"],
            stage=form.cleaned_data["stage"],
        )


class ReplyView(AssignmentActionView):
    one_time = True
    form_class = ReplyForm
    form_key = "reply"

    def perform(self, obj, form):
        data = form.cleaned_data
        return services.assignment_reply(
            assignment_id=obj.pk,
            actor=self.request.user,
            outcome=data["outcome"],
            body=data["body"],
            signed_by=data["signed_by"],
            contact_person=data["contact_person"],
            contact_phone=data["contact_phone"],
            letter=data["letter"] or None,
            co_opinion_note=data.get("co_opinion_note", ""),
            promises=data.get("promises") or (),
        )

    def get_success_message(self, obj, result) -> str:
        if obj.is_lead:
            return str(
                _("The reply has been sent; the deputy can now read and rate it.")
            )
        return str(_("Your opinion has been sent to the lead unit."))


class PlanView(AssignmentActionView):
    one_time = True
    form_class = PlanForm
    form_key = "plan"

    def perform(self, obj, form):
        data = form.cleaned_data
        return services.assignment_file_plan(
            assignment_id=obj.pk,
            actor=self.request.user,
            responsible_leader=data["responsible_leader"],
            officer=data["officer"],
            officer_phone=data["officer_phone"],
            measures=data["measures"],
            milestones=data["milestones"],
            complete_by=data["complete_by"],
            late_reason=data.get("late_reason", ""),
        )

    def get_success_message(self, obj, result) -> str:
        if result.revisions:
            return str(_("The handling plan has been revised."))
        if result.filed_late:
            return str(_("The handling plan has been filed (late, with your reason)."))
        return str(_("The handling plan has been filed."))


class ProgressView(AssignmentActionView):
    one_time = True
    form_class = ProgressForm
    form_key = "progress"
    success_message = _("The progress has been reported.")

    def perform(self, obj, form):
        data = form.cleaned_data
        return services.assignment_report_progress(
            assignment_id=obj.pk,
            actor=self.request.user,
            milestone=data["milestone"],
            note=data["note"],
        )


class FulfilView(AssignmentActionView):
    one_time = True
    form_class = FulfilForm
    form_key = "fulfil"
    success_message = _("Your report that the promise has been kept is recorded.")

    def perform(self, obj, form):
        reply = getattr(obj, "reply", None)
        if reply is None:
            raise InvalidTransition(_("There is no reply to report on."))
        return services.reply_fulfil(
            reply_id=reply.pk, actor=self.request.user, note=form.cleaned_data["note"]
        )


class ReplyLetterView(LoginRequiredMixin, View):
    """``GET``: the 答复函 (or 协办意见) of the reply the assignment's unit has sent,
    for the unit's members and the staff of the suggestion's body. ``POST`` (the
    reply form's fields, from its second button): the draft of the reply about to be
    sent, checked as the send checks it, for the unit's members; nothing is saved.
    Anyone else, and a GET without a reply, is answered 404.

    Its POST is no action (no ``ActionView``, no one-time token): it writes nothing,
    so the reply form's token stays unused for the send."""

    writes_nothing = True

    def _assignment(self, pk) -> Assignment:
        try:
            return _load(self.request.user, pk)
        except NotFound:
            raise Http404 from None

    def get(self, request, pk: int):
        assignment = self._assignment(pk)
        reply = getattr(assignment, "reply", None)
        if reply is None or not reply_letters.may_read_letter(request.user, assignment):
            raise Http404
        return download(
            request,
            reply_letters.docx_bytes(reply),
            reply_letters.letter_file_name(reply),
            DOCX,
        )

    def post(self, request, pk: int):
        assignment = self._assignment(pk)
        if not reply_letters.is_unit_member(request.user, assignment):
            raise Http404
        form = ReplyForm(
            data=request.POST,
            files=request.FILES,
            **_form_kwargs("reply", assignment, _rules(assignment)),
        )
        if form.is_valid():
            data = form.cleaned_data
            try:
                reply = services.reply_letter_draft(
                    assignment_id=assignment.pk,
                    actor=request.user,
                    outcome=data["outcome"],
                    body=data["body"],
                    signed_by=data["signed_by"],
                    contact_person=data["contact_person"],
                    contact_phone=data["contact_phone"],
                )
            except NotFound:
                raise Http404 from None
            except InvalidInput as error:
                field = error.field if error.field in form.fields else None
                form.add_error(field, str(error.message))
            except DomainError as error:
                messages.error(request, str(error.message))
                return redirect("suggestions:assignment-detail", assignment.pk)
            else:
                return download(
                    request,
                    reply_letters.docx_bytes(reply),
                    reply_letters.letter_file_name(reply, draft=True),
                    DOCX,
                )
        messages.error(request, _("No draft was made: correct the errors in the form."))
        context = assignment_page_context(request, assignment, {"reply": form})
        return render(request, DETAIL_TEMPLATE, context, status=400)


class UnitSummaryView(LoginRequiredMixin, View):
    """A unit's 办理情况汇总表 of a session (``?session=``, default the body's
    current one) as Excel: for the unit's members and the staff and leaders of its
    body; anyone else 404."""

    def get(self, request, pk: int):
        try:
            content, name = unit_summary.download_parts(
                request.user, pk, request.GET.get("session")
            )
        except NotFound:
            raise Http404 from None
        return download(request, content, name, XLSX)

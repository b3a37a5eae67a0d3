"""Pages every role shares: the workbench, suggestion lists and the detail page."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.http import require_safe

from audit.downloads import XLSX, download
from common import clock
from common.db import replica_reads

from .. import actions, plans, rules, selectors
from ..exports import file_name, suggestion_workbook
from ..filters import MySuggestionFilter, SuggestionFilter
from ..models import Status, Suggestion
from ..pagination import DeferredJoinPaginator
from ..widgets import speed_up_selects

PAGE_SIZE = 25
# What waits in the review queue: to be filed, then to be assigned.
REVIEW_STATUSES = (Status.SUBMITTED, Status.REGISTERED)


@require_safe
def home(request):
    if request.user.is_authenticated:
        return redirect("suggestions:workbench")
    return redirect("suggestions:public-home")


@login_required
@require_safe
def workbench(request):
    """What waits for the user, role by role, with counts."""
    from .unit import DUE_SOON_LABEL

    user = request.user
    counts = selectors.workbench_counts(user=user)
    recent = []
    deputy = user.deputy_profile
    if deputy is not None:
        recent = (
            selectors.suggestion_list(user=user)
            .filter(lead_deputy_id__in=user.deputy_ids)
            .order_by("-updated_at")[:10]
        )
    return render(
        request,
        "suggestions/workbench.html",
        {
            "counts": counts,
            "card_queries": selectors.workbench_card_queries(),
            "recent": recent,
            "deputy": deputy,
            "due_soon_label": DUE_SOON_LABEL,
        },
    )


class SuggestionListView(LoginRequiredMixin, View):
    """A filtered, searchable, sortable, paginated list of visible suggestions."""

    title = _("All suggestions")
    template_name = "suggestions/list.html"
    login_required = True
    show_filters = True
    show_tabs = True
    default_ordering = ("-submitted_at", "-pk")
    filterset_class = SuggestionFilter
    # A list spanning sessions opens on the current one.
    session_default = True
    # Filters the page sets itself and does not offer.
    hidden_filters: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not self.login_required:
            return View.dispatch(self, request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def allowed(self, user) -> bool:
        return user.is_congress_staff or user.is_leader

    def listing(self) -> selectors.SuggestionList:
        """The list before the user's filters (its rows, scope and count apart)."""
        return selectors.suggestion_listing(user=self.request.user)

    def export_url(self, query) -> str | None:
        """The Excel export of this list with its filters (the full list only)."""
        if type(self) is not SuggestionListView:
            return None
        from django.urls import reverse

        query = query.copy()
        query.pop("page", None)
        url = reverse("suggestions:export")
        return f"{url}?{query.urlencode()}" if query else url

    def query(self, request):
        """The filters asked for; a list spanning sessions that is opened without
        any shows the current session (``?session=`` asks for every session)."""
        if not self.session_default or any(k != "page" for k in request.GET):
            return request.GET
        query = request.GET.copy()
        current = self.sessions().current()
        if current is not None:
            query["session"] = str(current.pk)
        return query

    def sessions(self):
        """The sessions the list spans (its default is their current one): those
        of the user's congress bodies."""
        from congress.models import Session
        from congress.selectors import body_ids_for

        bodies = body_ids_for(self.request.user)
        rows = Session.objects.all()
        return rows if bodies is None else rows.filter(congress__body_id__in=bodies)

    def filtered(self, request):
        """The list, its filterset (of ``query``) and the query."""
        query = self.query(request)
        listing = self.listing().order_by(*self.default_ordering)
        filterset = listing.filters(
            self.filterset_class, query or None, **self.filterset_kwargs()
        )
        return listing, filterset, query

    def filterset_kwargs(self) -> dict:
        return {}

    def get(self, request):
        if not self.allowed(request.user):
            raise Http404
        listing, filterset, query = self.filtered(request)
        valid = filterset.is_bound and filterset.is_valid()
        tabs = count = None
        if self.show_tabs:
            unstatused = (
                listing.filtered_by(filterset, skip=("status",)) if valid else listing
            )
            counts = unstatused.tab_counts()
            tabs = status_tabs(query, counts, search=unstatused.search)
            chosen = filterset.form.cleaned_data.get("status") if valid else None
            if counts is not None:
                # The tabs counted the list already, searched or not: the page's
                # count is their sum (of the chosen statuses), not another count
                # of the same rows. A search's count is then capped and paged as
                # its own plan would (``pagination.SearchCount``).
                count = sum(n for s, n in counts.items() if not chosen or s in chosen)
            elif not chosen:
                # A search past its count limit: "more than" that many.
                count = unstatused.search.count_limit + 1
        if valid:
            listing = listing.filtered_by(filterset)
        speed_up_selects(filterset.form)
        _one_congress_choices(filterset, self.sessions())
        paginator = DeferredJoinPaginator(
            listing.queryset, PAGE_SIZE, count=count, count_plan=listing.count_plan
        )
        page = paginator.get_page(request.GET.get("page"))
        session = filterset.form.cleaned_data.get("session") if valid else None
        return render(
            request,
            self.template_name,
            {
                "title": self.title,
                "filter": filterset,
                "page_obj": page,
                "show_filters": self.show_filters,
                "filter_errors": filterset.errors if filterset.is_bound else None,
                "export_url": self.export_url(query),
                "panel": filter_panel(filterset, self.hidden_filters),
                "tabs": tabs,
                "chosen_session": session,
                "spans_sessions": self.session_default,
                "show_session": session is None,
                "back": back_query(request),
                "deputy_search_url": (
                    reverse("suggestions:deputy-search")
                    if self.show_filters and "deputy" in filterset.form.fields
                    else None
                ),
                **self.extra_context(),
            },
        )

    def extra_context(self) -> dict:
        return {}


def status_tabs(query, counts: dict | None, *, search=None) -> list[dict]:
    """The list's status tabs: every suggestion, then each status in the workflow's
    order that the list holds (or that is chosen), with its count and the link that
    keeps the other filters. ``counts`` None: a text search (``search``) with more
    matches than its count limit, whose tabs are uncounted ("more than" the limit
    for every suggestion) and every status past the draft is offered."""
    uncounted = counts is None
    counts = counts or {}
    chosen = set(query.getlist("status"))
    base = query.copy()
    base.pop("page", None)
    base.pop("status", None)
    if not base:
        # No filter at all would mean the default session: keep "every session".
        base["session"] = ""

    def link(status=None):
        params = base.copy()
        if status is not None:
            params["status"] = status
        return "?" + params.urlencode()

    tabs = [
        {
            "key": "all",
            "label": _("All"),
            "count": None if uncounted else sum(counts.values()),
            "more_than": search.count_limit if uncounted else None,
            "url": link(),
            "active": not chosen,
        }
    ]
    for value, label in Status.choices:
        offered = value != Status.DRAFT if uncounted else counts.get(value)
        if offered or value in chosen:
            tabs.append(
                {
                    "key": value,
                    "label": label,
                    "count": None if uncounted else counts.get(value, 0),
                    "url": link(value),
                    "active": chosen == {value},
                }
            )
    return tabs


def filter_panel(filterset, hidden=()) -> dict:
    """The filter form in three parts: the primary fields (``PRIMARY``, at most
    five), the others behind "More filters" (open when one is in use, with how
    many), and those the page sets itself (hidden)."""
    form = filterset.form
    primary_names = [n for n in filterset.PRIMARY if n in form.fields]
    hidden_names = {filterset.TABS, *hidden}
    data = filterset.data or {}
    from django_filters.constants import EMPTY_VALUES

    cleaned = getattr(form, "cleaned_data", {})

    def used(name):
        return cleaned.get(name) not in EMPTY_VALUES

    more = [
        form[n]
        for n in form.fields
        if n not in primary_names and n not in hidden_names and n != "ordering"
    ]
    tab_values = data.getlist(filterset.TABS) if hasattr(data, "getlist") else []
    active = sum(1 for field in more if used(field.name))
    return {
        "primary": [form[n] for n in primary_names],
        "more": more,
        "ordering": form["ordering"] if "ordering" in form.fields else None,
        "tab_name": filterset.TABS,
        "tab_values": tab_values,
        "more_active": active,
    }


def back_query(request) -> str:
    """``back=<this page>`` for the detail links of a list, so the detail page can
    lead back to it with its filters and page."""
    from urllib.parse import urlencode

    return urlencode({"back": request.get_full_path()})


class SuggestionExportView(SuggestionListView):
    """The list, with the same filters, as an Excel workbook (staff and leaders);
    read from the replica when there is one."""

    @replica_reads
    def get(self, request):
        if not self.allowed(request.user):
            raise Http404
        listing, filterset, _query = self.filtered(request)
        if filterset.is_bound and not filterset.is_valid():
            response = super().get(request)
            response.status_code = 400
            return response
        session = None
        if filterset.is_bound:
            listing = listing.filtered_by(filterset)
            session = filterset.form.cleaned_data.get("session")
        return download(
            request,
            suggestion_workbook(listing.queryset),
            file_name(session),
            XLSX,
        )


def _one_congress_choices(filterset, sessions) -> None:
    """Offer the deputies and delegations of one congress, the chosen session's or
    else the current one's among ``sessions`` (the list's): an archive has thousands
    of deputies over its terms. The chosen value stays offered; what the filters
    accept is unchanged (the form has been validated)."""
    from django.db.models import Q, Subquery

    form = filterset.form
    data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    session = data.get("session")
    if session is not None:
        congress = session.congress_id
    else:
        current = sessions.filter(is_current=True).order_by("-opened_on", "-pk")
        congress = Subquery(current.values("congress_id")[:1])
    for name, prefix in (("deputy", "delegation__"), ("delegation", "")):
        field = form.fields.get(name)
        if field is None:
            continue
        keep = Q(**{f"{prefix}congress_id": congress})
        chosen = data.get(name)
        if chosen is not None:
            keep |= Q(pk=chosen.pk)
        field.queryset = field.queryset.filter(keep)


class ReviewQueueView(SuggestionListView):
    """Oldest first, with how long each has waited; several may be filed or
    assigned at once (``staff.BulkReviewView``)."""

    title = _("Suggestions to review")
    template_name = "suggestions/staff/review_queue.html"
    default_ordering = ("submitted_at", "pk")
    session_default = False

    def allowed(self, user):
        return user.is_congress_staff

    def listing(self):
        return super().listing().filter(status__in=REVIEW_STATUSES)

    def extra_context(self):
        from ..forms.staff import BulkReviewForm

        user = self.request.user
        # Its own ids: the filter panel above has a "category" field too, and a label
        # must name the field next to it.
        return {
            "bulk_form": BulkReviewForm(
                candidates=Suggestion.objects.none(),
                auto_id="bulk_%s",
                bodies=None if user.is_superuser else user.staff_body_ids,
            )
        }


class OverdueView(SuggestionListView):
    title = _("Overdue suggestions")
    default_ordering = ("due_at", "pk")
    session_default = False

    def listing(self):
        return super().listing().narrow(lambda rows: rows.overdue())


class KeySupervisedView(SuggestionListView):
    title = _("Key supervised suggestions")
    default_ordering = ("-session__opened_on", "number", "pk")
    hidden_filters = ("key_supervised",)

    def listing(self):
        return super().listing().filter(selectors.key_supervised_q())


class MySuggestionsView(SuggestionListView):
    """The deputy's own suggestions, as lead and as co-signer (or invited)."""

    title = _("My suggestions")
    template_name = "suggestions/my_list.html"
    show_filters = False
    show_tabs = False
    session_default = False
    default_ordering = ("-created_at", "-pk")
    filterset_class = MySuggestionFilter

    def allowed(self, user):
        return user.is_deputy

    def filterset_kwargs(self):
        return {"deputies": self.request.user.deputy_ids}

    def listing(self):
        from django.db.models import Q

        from ..models import CoSignature

        deputies = self.request.user.deputy_ids
        return (
            super()
            .listing()
            .filter(
                Q(lead_deputy_id__in=deputies)
                | Q(
                    pk__in=CoSignature.objects.filter(deputy_id__in=deputies).values(
                        "suggestion"
                    )
                )
            )
        )


@require_safe
@replica_reads
def public_home(request):
    """The platform's page for the public: every congress body, a prefecture's
    followed by its counties', with how many replies each has published."""
    groups = selectors.public_bodies()
    return render(
        request,
        "suggestions/public_home.html",
        {
            "groups": groups,
            "bodies": sum(len(group) for group in groups),
            "published": sum(b.published for group in groups for b in group),
        },
    )


class PublicListView(SuggestionListView):
    """One congress body's published replies, for anyone, no login needed."""

    template_name = "suggestions/public_list.html"
    login_required = False
    show_tabs = False
    default_ordering = ("-replied_at", "-pk")

    def dispatch(self, request, *args, body_id: int, **kwargs):
        from django.shortcuts import get_object_or_404

        from congress.models import CongressBody

        self.body = get_object_or_404(CongressBody, pk=body_id)
        self.title = _("%(body)s: published replies") % {"body": self.body.name}
        return super().dispatch(request, *args, **kwargs)

    def allowed(self, user):
        return True

    def listing(self):
        # What anyone may see, whoever is signed in: the body's published ones.
        return selectors.public_listing(body_id=self.body.pk)

    def sessions(self):
        from congress.models import Session

        return Session.objects.filter(congress__body=self.body)

    def filterset_kwargs(self):
        return {"bodies": [self.body.pk]}

    def extra_context(self):
        return {"body": self.body}

    @replica_reads
    def get(self, request):
        # Read from the replica when there is one (common/db.py).
        return super().get(request)


def _promises_of(user, suggestion, context) -> list:
    """The promises of the suggestion's class-B replies, with their reports, for
    those who take part in it (read only when a reply carries promises)."""
    from ..services.promises import promises_allowed
    from .promises import with_report_forms

    if not context["show_contacts"] or not any(
        promises_allowed(outcome=r.outcome, is_lead=r.is_lead)
        for _a, r in context["reply_card"]["replies"]
    ):
        return []
    return with_report_forms(
        user,
        selectors.promise_ledger(user=user).filter(
            reply__assignment__suggestion_id=suggestion.pk
        ),
    )


@login_required
@require_safe
def suggestion_detail(request, pk: int):
    """Status, timeline, assignments, contacts, replies and the actions the user's
    roles allow right now."""
    try:
        suggestion = selectors.suggestion_detail(user=request.user, pk=pk)
    except Suggestion.DoesNotExist:
        raise Http404 from None
    user = request.user
    deputies = user.deputy_ids
    allowed = actions.suggestion_actions(user, suggestion)
    context = {
        "suggestion": suggestion,
        # What the user may do now, by name ("merge", "publish" …): each panel
        # offers exactly these, and the services check the same.
        "actions": allowed,
        "is_lead_deputy": suggestion.lead_deputy_id in deputies,
        "invitation": next(
            (c for c in suggestion.cosignatures.all() if c.deputy_id in deputies),
            None,
        ),
        "my_assignments": [
            a
            for a in suggestion.assignments.all()
            if user.unit_id and a.unit_id == user.unit_id and a.active
        ],
    }
    if context["is_lead_deputy"] or context["invitation"] is not None:
        from .deputy import panel_context

        context.update(
            panel_context(
                suggestion=suggestion,
                is_lead_deputy=context["is_lead_deputy"],
                actions=allowed,
            )
        )
    staff_of_it = user.is_staff_of(suggestion.body_id)
    context["staff_of_it"] = staff_of_it
    if staff_of_it:
        from .staff import panel_context as staff_panel_context

        context.update(
            staff_panel_context(suggestion=suggestion, actions=allowed, user=user)
        )
    # A leader's (or staff's) supervision of a key suggestion being handled.
    supervising = allowed & {"urge", "supervision-opinion", "supervision"}
    context["supervising"] = bool(supervising)
    if supervising:
        from ..forms.supervision import (
            SupervisionActivityForm,
            SupervisionOpinionForm,
            UrgeForm,
        )

        context["supervision_form"] = SupervisionOpinionForm()
        context["urge_form"] = UrgeForm()
        context["activity_form"] = SupervisionActivityForm()
    # A key suggestion's supervision activities (领衔督办): read only for one, the
    # others have none and cost no query.
    context["supervision_activities"] = (
        list(suggestion.supervision_activities.all())
        if suggestion.key_supervised
        else []
    )
    context["show_contacts"] = rules.may_see_contacts(user, suggestion)
    # The scan of a suggestion entered on behalf carries the deputies' signatures:
    # for those who take part in it (``selectors.original_of``).
    context["show_original"] = bool(suggestion.original) and rules.takes_part(
        user, suggestion
    )
    context["contacts"] = [
        (a, c) for a in suggestion.assignments.all() for c in a.contacts.all()
    ]
    context["plans"] = _plan_cards(suggestion) if context["show_contacts"] else []
    context["reply_card"] = reply_card(suggestion)
    context["promises"] = _promises_of(user, suggestion, context)
    # The paper form on which a deputy rates the reply, once there is one to rate.
    context["evaluation_form_docx"] = any(
        r.is_lead for _a, r in context["reply_card"]["replies"]
    ) and rules.may_print_evaluation_form(user, suggestion)
    if staff_of_it:
        context["back_url"] = back_url(request, suggestion)
    return render(request, "suggestions/detail.html", context)


def _plan_cards(suggestion) -> list[dict]:
    """The lead units' 五定 plans with their progress, for those who take part
    (``rules.may_see_contacts``): each lead assignment that has one, and the live
    lead assignment's state (due, overdue) while it has none."""
    from .. import deadlines
    from .unit import plan_context

    today = clock.today()
    cards = []
    for a in suggestion.assignments.all():
        if not a.is_lead or not a.active:
            continue
        a.suggestion = suggestion
        if plans.plan_of(a) is None and (not a.is_live or a.acknowledged_at is None):
            continue
        card = plan_context(a, deadlines.rules_of(suggestion), today)
        cards.append({"assignment": a, **card})
    return cards


# Why a suggestion has no reply to show, by its status; a status missing here is
# being handled (assigned or handled again) and waits for the unit's reply.
_NO_REPLY = {
    Status.DRAFT: _("The suggestion has not been assigned yet, so there is no reply."),
    Status.SUBMITTED: _(
        "The suggestion has not been assigned yet, so there is no reply."
    ),
    Status.REGISTERED: _(
        "The suggestion has not been assigned yet, so there is no reply."
    ),
    Status.WITHDRAWN: _("The suggestion was withdrawn; no reply will be sent."),
    Status.REJECTED: _("The suggestion was not accepted; no reply will be sent."),
    Status.MERGED: _(
        "The suggestion was merged into another one, whose reply answers it too."
    ),
    # Replied, but not to this reader: the reply is not published.
    Status.REPLIED: _("The reply has not been published."),
    Status.CLOSED: _("The reply has not been published."),
}


def reply_card(suggestion) -> dict:
    """What the replies card of the detail page shows: ``replies``, the (assignment,
    reply) pairs the reader may read (``selectors.suggestion_detail`` prefetched only
    those) in the order of the rounds, and ``empty``, the one sentence that says why
    there is none (not yet assigned, not yet replied, no longer handled, not
    published), or ``None`` when there are replies."""
    replies = [
        (a, reply)
        for a in suggestion.assignments.all()
        if (reply := getattr(a, "reply", None)) is not None
    ]
    if replies:
        return {"replies": replies, "empty": None}
    empty = _NO_REPLY.get(
        suggestion.status, _("The handling unit has not sent its reply yet.")
    )
    return {"replies": replies, "empty": empty}


def back_url(request, suggestion) -> str:
    """Where "Back to the list" leads: the list the page was opened from
    (``?back=``, a path of this site only), else the review queue for a suggestion
    waiting there, else the list of all suggestions."""
    from django.urls import reverse
    from django.utils.http import url_has_allowed_host_and_scheme

    back = request.GET.get("back", "")
    if (
        back.startswith("/")
        and not back.startswith("//")
        and "\\" not in back
        and url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=False
        )
    ):
        return back
    if suggestion.status in REVIEW_STATUSES:
        return reverse("suggestions:review-queue")
    return reverse("suggestions:list")


@require_safe
@replica_reads
def public_detail(request, body_id: int, pk: int):
    """A published suggestion of the body and its reply, for anyone; no personal
    details. Another body's suggestion is not found here."""
    from django.shortcuts import get_object_or_404

    from ..models import PUBLISHED

    suggestion = get_object_or_404(
        Suggestion.objects.filter(
            PUBLISHED, session__congress__body_id=body_id
        ).select_related(
            "session__congress__body",
            "category",
            "lead_unit",
            "lead_deputy__delegation",
        ),
        pk=pk,
    )
    # What the public reads, whoever is signed in: the published lead replies.
    replies = (
        selectors.replies_visible_to(None)
        .filter(assignment__suggestion=suggestion)
        .select_related("assignment__unit")
        .order_by("round")
    )
    return render(
        request,
        "suggestions/public_detail.html",
        {"suggestion": suggestion, "replies": replies},
    )


@require_safe
def public_detail_moved(request, pk: int):
    """The address a published suggestion had before the public pages were per body
    (printed and shared): a permanent redirect to its body's address."""
    from django.shortcuts import get_object_or_404

    from ..models import PUBLISHED

    suggestion = get_object_or_404(
        Suggestion.objects.filter(PUBLISHED).select_related("session__congress"),
        pk=pk,
    )
    return redirect(suggestion.get_public_url(), permanent=True)


@require_safe
def reply_letter(request, pk: int):
    """Download a reply letter: only for those who may see the reply (anyone once
    it is published), as an attachment that the browser must not sniff."""
    from django.shortcuts import get_object_or_404

    from ..letters import download_response

    reply = get_object_or_404(
        selectors.replies_visible_to(request.user).exclude(letter=""), pk=pk
    )
    return download_response(reply)


@require_safe
def suggestion_original(request, pk: int):
    """Download the scanned original of a suggestion entered on behalf (代录): for
    those who take part in it (``selectors.original_of``), as an attachment the
    browser must not sniff; anyone else finds nothing."""
    from ..letters import original_response

    try:
        suggestion = selectors.original_of(user=request.user, pk=pk)
    except Suggestion.DoesNotExist:
        raise Http404 from None
    return original_response(suggestion)

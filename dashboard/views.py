"""The dashboard's pages and downloads, for congress staff and leaders.

The anonymous are sent to log in; anyone else logged in gets 403 (a role that may
never see this). Bad parameters show the form's errors with status 400, never a 500.
"""

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from audit.downloads import DOCX, XLSX, download
from common.db import reading_from_replica, replica_reads
from common.errors import DomainError, NotFound
from congress.models import Session
from suggestions import services

from . import exports, figures, review
from .forms import LeagueForm, ReopenForm, ScopeForm, SealForm, SessionOnlyForm


def staff_or_leader_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (user.is_congress_staff or user.is_leader):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _scope(form) -> "figures.Scope | None":
    return figures.Scope.from_cleaned(form.cleaned_data)


def _queries(scope) -> dict:
    """The query strings of the tabs: the scope, and the session for the review."""
    return {
        "query": urlencode(scope.params),
        "session_query": urlencode({"session": scope.session.pk})
        if scope.session is not None
        else "",
    }


def _invalid(request, template, form, **context):
    return render(request, template, {"form": form, **context}, status=400)


@staff_or_leader_required
@replica_reads
def dashboard(request):
    form = ScopeForm(request.GET)
    template = "dashboard/index.html"
    if not form.is_valid():
        return _invalid(request, template, form)
    scope = _scope(form)
    if scope is None:
        return render(request, template, {"form": form, "no_session": True})
    stats = scope.statistics()
    trend = figures.trend_rows(scope.session)
    breakdowns = figures.breakdowns(scope, stats)
    return render(
        request,
        template,
        {
            **_queries(scope),
            "form": form,
            "scope": scope,
            "stats": stats,
            "as_of": figures.as_of(stats),
            "sealed_notice": figures.sealed_notice(scope.session),
            "headlines": figures.headlines(scope, stats),
            "breakdowns": breakdowns,
            "charts": {b.key: b.chart for b in breakdowns},
            "trend": trend,
            "trend_columns": figures.TREND_COLUMNS,
            "trend_chart": figures.trend_chart(trend),
        },
    )


def _league_form(request):
    return LeagueForm(request.GET, sort_choices=figures.sort_choices())


@staff_or_leader_required
@replica_reads
def units(request):
    form = _league_form(request)
    template = "dashboard/units.html"
    if not form.is_valid():
        return _invalid(request, template, form)
    scope = _scope(form)
    if scope is None:
        return render(request, template, {"form": form, "no_session": True})
    sort = form.cleaned_data["sort"] or "assigned"
    direction = form.cleaned_data["dir"] or (
        "asc" if sort in ("name", "kind") else "desc"
    )
    kind = form.cleaned_data["kind"]
    stats = scope.statistics()
    rows = figures.league(scope, stats, sort=sort, direction=direction, kind=kind)
    headers = []
    for key, label in figures.sort_choices():
        next_dir = "asc" if (key == sort and direction == "desc") else "desc"
        if key != sort and key in ("name", "kind"):
            next_dir = "asc"
        query = {**scope.params, "sort": key, "dir": next_dir}
        if kind:
            query["kind"] = kind
        headers.append(
            {
                "key": key,
                "label": label,
                "query_string": urlencode(query),
                "active": key == sort,
                "direction": direction if key == sort else "",
            }
        )
    export_query = {**scope.params, "sort": sort, "dir": direction}
    if kind:
        export_query["kind"] = kind
    return render(
        request,
        template,
        {
            **_queries(scope),
            "form": form,
            "scope": scope,
            "stats": stats,
            "as_of": figures.as_of(stats),
            "sealed_notice": figures.sealed_notice(scope.session),
            "rows": rows,
            "headers": headers,
            "export_query": export_query,
            "export_query_string": urlencode(export_query),
        },
    )


@staff_or_leader_required
@replica_reads
def dashboard_xlsx(request):
    form = ScopeForm(request.GET)
    if not form.is_valid():
        return _invalid(request, "dashboard/index.html", form)
    scope = _scope(form)
    if scope is None:
        return _invalid(request, "dashboard/index.html", form, no_session=True)
    content = exports.dashboard_workbook(scope)
    return download(request, content, exports.dashboard_file_name(scope), XLSX)


@staff_or_leader_required
@replica_reads
def units_xlsx(request):
    form = _league_form(request)
    if not form.is_valid():
        return _invalid(request, "dashboard/units.html", form)
    scope = _scope(form)
    if scope is None:
        return _invalid(request, "dashboard/units.html", form, no_session=True)
    data = form.cleaned_data
    sort = data["sort"] or "assigned"
    direction = data["dir"] or ("asc" if sort in ("name", "kind") else "desc")
    content = exports.league_workbook(
        scope, sort=sort, direction=direction, kind=data["kind"]
    )
    return download(request, content, exports.league_file_name(scope), XLSX)


def _review_session(request):
    form = SessionOnlyForm(request.GET)
    if not form.is_valid():
        return form, None
    scope = figures.Scope.from_cleaned(form.cleaned_data)
    return form, scope.session if scope is not None else None


@staff_or_leader_required
def review_page(request):
    form, session = _review_session(request)
    template = "dashboard/review.html"
    if form.errors:
        return _invalid(request, template, form)
    if session is None:
        return render(request, template, {"form": form, "no_session": True})
    # Only the figures from the replica: the page shows whether the session is
    # sealed right after staff sealed it here.
    with reading_from_replica():
        document = review.build(session)
    return render(
        request,
        template,
        {
            "form": form,
            "scope": figures.Scope(session=session),
            "session_query": urlencode({"session": session.pk}),
            "query": urlencode({"session": session.pk}),
            "review": document,
            "as_of": figures.as_of(document.stats),
            "sealed_notice": document.sealed,
            "stats": document.stats,
            **_sealing_context(request.user, session),
        },
    )


def _sealing_context(user, session: Session) -> dict:
    """Staff seal a session from its review, or reopen it with a reason; the record
    of past seals is shown with it."""
    if not user.is_congress_staff:
        return {}
    sealed = session.sealed_at is not None
    return {
        "may_seal": True,
        # The current session still takes suggestions: not final, not sealable.
        "seal_form": SealForm() if not sealed and not session.is_current else None,
        "reopen_form": ReopenForm() if sealed else None,
        "sealings": session.sealings.select_related("actor")[:10],
    }


def _sealing_action(perform, form_class, success):
    """A POST that seals or reopens one session, then back to its review."""

    @require_POST
    def view(request, pk: int):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user.is_congress_staff:
            raise PermissionDenied
        if not Session.objects.filter(pk=pk).exists():
            raise Http404
        back = reverse("dashboard:review") + "?" + urlencode({"session": pk})
        form = form_class(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(back)
        try:
            perform(user, pk, form.cleaned_data)
        except NotFound:
            raise Http404 from None
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, success)
        return redirect(back)

    return view


session_seal = _sealing_action(
    lambda user, pk, data: services.session_seal(
        session_id=pk, actor=user, reason=data["reason"]
    ),
    SealForm,
    _("The session is sealed: its figures can no longer change."),
)
session_reopen = _sealing_action(
    lambda user, pk, data: services.session_reopen(
        session_id=pk, actor=user, reason=data["reason"]
    ),
    ReopenForm,
    _("The session is reopened: its suggestions can change again."),
)


@staff_or_leader_required
@replica_reads
def review_docx(request):
    form, session = _review_session(request)
    if form.errors or session is None:
        return _invalid(
            request, "dashboard/review.html", form, no_session=session is None
        )
    return download(
        request,
        review.docx(review.build(session)),
        review.file_name(session),
        DOCX,
    )

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
from common.errors import DomainError, NotFound, NotPermitted
from congress.models import Session
from suggestions import services

from . import assessment, exports, figures, repeats, review, rollup, rules
from .forms import (
    LeagueForm,
    ReopenForm,
    RollupForm,
    ScopeForm,
    SealForm,
    SessionOnlyForm,
)


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


def _scope(request, form) -> figures.Scope:
    """The scope of a valid form for this user (``figures.Scope.choose``); 404 for
    a body or session the user may not open."""
    data = form.cleaned_data
    try:
        return figures.Scope.choose(
            request.user,
            body_id=data.get("body"),
            session=data.get("session"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
    except NotFound:
        raise Http404 from None


def _queries(scope) -> dict:
    """What every tab shows around the figures: the query strings of the tabs (the
    scope, and the body and session for the review), the pickers' choices and the
    roll-up's link for a user who oversees bodies."""
    body = {"body": scope.body_id} if scope.body_id is not None else {}
    session = {"session": scope.session.pk} if scope.session is not None else {}
    bodies = scope.bodies
    return {
        "scope": scope,
        "query": urlencode(scope.params),
        "session_query": urlencode({**body, **session}),
        "session_choices": scope.session_choices(),
        "body_choices": bodies.all if bodies is not None else (),
        "may_roll_up": bool(bodies is not None and bodies.parents),
    }


def _invalid(request, template, form, **context):
    return render(request, template, {"form": form, **context}, status=400)


def _no_session(request, template, form, scope, **context):
    """The body has no current session: its pickers, and the note to pick one."""
    context = {**_queries(scope), "form": form, "no_session": True, **context}
    return render(request, template, context)


@staff_or_leader_required
@replica_reads
def dashboard(request):
    form = ScopeForm(request.GET)
    template = "dashboard/index.html"
    if not form.is_valid():
        return _invalid(request, template, form)
    scope = _scope(request, form)
    if scope.empty:
        return _no_session(request, template, form, scope)
    stats = scope.statistics()
    trend = figures.trend_rows(scope)
    breakdowns = figures.breakdowns(scope, stats)
    return render(
        request,
        template,
        {
            **_queries(scope),
            "form": form,
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
    scope = _scope(request, form)
    if scope.empty:
        return _no_session(request, template, form, scope)
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
    scope = _scope(request, form)
    if scope.empty:
        return _invalid(request, "dashboard/index.html", form, no_session=True)
    content = exports.dashboard_workbook(scope)
    return download(request, content, exports.dashboard_file_name(scope), XLSX)


@staff_or_leader_required
@replica_reads
def units_xlsx(request):
    form = _league_form(request)
    if not form.is_valid():
        return _invalid(request, "dashboard/units.html", form)
    scope = _scope(request, form)
    if scope.empty:
        return _invalid(request, "dashboard/units.html", form, no_session=True)
    data = form.cleaned_data
    sort = data["sort"] or "assigned"
    direction = data["dir"] or ("asc" if sort in ("name", "kind") else "desc")
    content = exports.league_workbook(
        scope, sort=sort, direction=direction, kind=data["kind"]
    )
    return download(request, content, exports.league_file_name(scope), XLSX)


def _review_scope(request):
    """The review's form and scope (None while the form is invalid)."""
    form = SessionOnlyForm(request.GET)
    if not form.is_valid():
        return form, None
    return form, _scope(request, form)


@staff_or_leader_required
def review_page(request):
    form, scope = _review_scope(request)
    template = "dashboard/review.html"
    if form.errors:
        return _invalid(request, template, form)
    if scope.empty:
        return _no_session(request, template, form, scope)
    session = scope.session
    # Only the figures from the replica: the page shows whether the session is
    # sealed right after staff sealed it here.
    with reading_from_replica():
        document = review.build(session)
    return render(
        request,
        template,
        {
            **_queries(scope),
            "form": form,
            "review": document,
            "as_of": figures.as_of(document.stats),
            "sealed_notice": document.sealed,
            "stats": document.stats,
            **_sealing_context(request.user, session),
        },
    )


def _sealing_context(user, session: Session) -> dict:
    """Staff of the session's body seal it from its review, or reopen it with a
    reason; the record of past seals is shown with it."""
    if not rules.may_seal(user, session):
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
        session = Session.objects.select_related("congress").filter(pk=pk).first()
        # Another body's session is not this user's to know of.
        if session is None or not rules.may_seal(user, session):
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
    form, scope = _review_scope(request)
    if form.errors or scope.empty:
        return _invalid(
            request, "dashboard/review.html", form, no_session=not form.errors
        )
    return download(
        request,
        review.docx(review.build(scope.session)),
        review.file_name(scope.session),
        DOCX,
    )


# The roll-up's columns: (key, label, is a rate).
ROLLUP_COLUMNS = (
    ("suggestions", _("Suggestions"), False),
    ("completion_rate", _("Completion rate"), True),
    ("satisfaction_rate", _("Satisfaction rate"), True),
    ("on_time_rate", _("On-time reply rate"), True),
    ("overdue", _("Overdue now"), False),
    ("key_supervised", _("Key supervised"), False),
)


def _rollup_cells(numbers: dict) -> list[dict]:
    return [
        {
            "key": key,
            "label": label,
            "text": figures.percent(numbers[key]) if is_rate else str(numbers[key]),
        }
        for key, label, is_rate in ROLLUP_COLUMNS
    ]


def _dashboard_url(row: rollup.RollupRow) -> str:
    query = {"body": row.body.pk}
    if row.session is not None:
        query["session"] = row.session.pk
    return reverse("dashboard:index") + "?" + urlencode(query)


def _rollup_row(row: rollup.RollupRow) -> dict:
    trend = row.trend
    return {
        "body": row.body,
        "session": row.session,
        "url": _dashboard_url(row),
        "cells": _rollup_cells(row.figures),
        "spark": rollup.sparkline([t["suggestions"] for t in trend]),
        "spark_rate": rollup.sparkline([t["completion_rate"] for t in trend]),
        # The sparkline's figures in words, for its tooltip and screen readers.
        "trend_text": " · ".join(
            f"{t['label']} {t['suggestions']} / {figures.percent(t['completion_rate'])}"
            for t in trend
        ),
    }


@staff_or_leader_required
def rollup_page(request):
    """The roll-up of a parent body for a year, for its staff and leaders; each row
    opens that body's dashboard (read-only)."""
    form = RollupForm(request.GET)
    template = "dashboard/rollup.html"
    if not form.is_valid():
        return _invalid(request, template, form)
    bodies = rules.dashboard_bodies(request.user)
    body = rollup.choose_body(bodies, form.cleaned_data["body"])
    if body is None:
        raise Http404
    years = rollup.rollup_years(body)
    year = form.cleaned_data["year"] or rollup.default_year(body, years)
    result = rollup.rollup(body, year)
    return render(
        request,
        template,
        {
            "form": form,
            "rollup": result,
            "body_choices": bodies.parents,
            "years": sorted({*years, year}, reverse=True),
            "columns": ROLLUP_COLUMNS,
            "own": _rollup_row(result.own),
            "rows": [_rollup_row(r) for r in result.children],
            "total": _rollup_cells(result.total),
            "query": urlencode({"body": body.pk}),
            "session_query": urlencode({"body": body.pk}),
            "may_roll_up": True,
        },
    )


# --- repeated topics (多年重复提出) -------------------------------------------------------


@staff_or_leader_required
@replica_reads
def repeats_page(request):
    """The session's suggestions that repeat a topic of an earlier session, with
    the earlier ones and the units involved: the session and body as the other
    tabs choose them (``figures.Scope``; another body's is a 404), the titles
    linked to the suggestions only for the user's own body (``scope.linked``)."""
    form = SessionOnlyForm(request.GET)
    template = "dashboard/repeats.html"
    if not form.is_valid():
        return _invalid(request, template, form)
    scope = _scope(request, form)
    if scope.empty:
        return _no_session(request, template, form, scope)
    return render(
        request,
        template,
        {
            **_queries(scope),
            "form": form,
            "repeats": repeats.repeated_topics(scope.session),
            "sealed_notice": figures.sealed_notice(scope.session),
        },
    )


# --- unit assessment (绩效考核) --------------------------------------------------------


def _assessment_reader(request, form) -> assessment.Reader:
    """Whose scores of which session (``assessment.choose``): 404 for another
    body or its session, 403 for a role that never reads scores."""
    data = form.cleaned_data
    try:
        return assessment.choose(
            request.user, body_id=data.get("body"), session=data.get("session")
        )
    except NotFound:
        raise Http404 from None
    except NotPermitted:
        raise PermissionDenied from None


def login_required_here(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


@login_required_here
@replica_reads
def assessment_page(request):
    """The units ranked by score, each opening to its items (a unit's clerk: their
    own unit's row)."""
    form = SessionOnlyForm(request.GET)
    template = "dashboard/assessment.html"
    if not form.is_valid():
        return _invalid(request, template, form)
    reader = _assessment_reader(request, form)
    scope = reader.scope
    if scope.empty:
        return _no_session(request, template, form, scope)
    result = assessment.assess(scope.session, unit_id=reader.unit_id)
    return render(
        request,
        template,
        {
            **_queries(scope),
            "form": form,
            "result": result,
            "rows": result.scores,
            "formula_rows": [
                (rule, assessment.number(weight))
                for rule, weight in result.formula.rows()
            ],
            "own_unit_only": reader.unit_id is not None,
            "sealed_notice": figures.sealed_notice(scope.session),
            "may_edit_formula": request.user.is_staff_of(scope.body_id),
        },
    )


@login_required_here
@replica_reads
def assessment_xlsx(request):
    form = SessionOnlyForm(request.GET)
    template = "dashboard/assessment.html"
    if not form.is_valid():
        return _invalid(request, template, form)
    reader = _assessment_reader(request, form)
    if reader.scope.empty:
        return _invalid(request, template, form, no_session=True)
    session = reader.scope.session
    result = assessment.assess(session, unit_id=reader.unit_id)
    return download(
        request,
        exports.assessment_workbook(result),
        exports.assessment_file_name(session),
        XLSX,
    )

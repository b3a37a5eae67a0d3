"""Documents printed from the pages (docs/documents.md): a unit's 交办函 and a
suggestion's 征询意见表, as Word files in 公文 form.

The anonymous are sent to log in; anyone else who may not read the document finds
nothing (404), whether the unit or suggestion exists or not. A malformed query is a
400 that says what is wrong, never a 500. They read the primary database: a letter
printed right after the assignment must list it.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from audit.downloads import DOCX, download
from congress.models import HandlingUnit

from .. import assignment_letter, evaluation_form, selectors
from ..forms.unit import AssignmentLetterForm
from ..models import Suggestion


def letter_unit(user, pk) -> HandlingUnit:
    try:
        return selectors.assignment_letter_unit(user=user, pk=pk)
    except HandlingUnit.DoesNotExist:
        raise Http404 from None


@require_safe
@login_required
def unit_assignment_letter(request, pk: int):
    """The 交办函 to one unit: ``?session=`` (default the current one) or
    ``?suggestions=1,2``."""
    unit = letter_unit(request.user, pk)
    form = AssignmentLetterForm(request.GET, unit=unit)
    if not form.is_valid():
        return render(
            request,
            "suggestions/unit/letter_invalid.html",
            {"form": form, "unit": unit},
            status=400,
        )
    session = form.cleaned_data["session"]
    rows = selectors.assignment_letter_rows(
        unit=unit, session=session, suggestion_ids=form.cleaned_data["suggestions"]
    )
    if not rows:
        raise Http404
    sessions = assignment_letter.sessions_of(rows)
    return download(
        request,
        assignment_letter.document(unit, rows),
        assignment_letter.file_name(unit, sessions[0] if len(sessions) == 1 else None),
        DOCX,
    )


@require_safe
@login_required
def suggestion_evaluation_form(request, pk: int):
    """The 征询意见表 of a suggestion, for those who take part in it."""
    try:
        facts = selectors.evaluation_form_facts(user=request.user, pk=pk)
    except Suggestion.DoesNotExist:
        raise Http404 from None
    return download(
        request,
        evaluation_form.document(facts),
        evaluation_form.file_name(facts.suggestion),
        DOCX,
    )

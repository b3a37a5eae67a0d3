"""Documents in 公文 form through the API (docs/documents.md): a unit's 交办函 and a
suggestion's 征询意见表, the same files the pages hand out."""

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from audit.downloads import download
from common.api.fields import ERROR_400, ERROR_401, ERROR_403
from common.api.renderers import DOCX, DocxRenderer, DownloadMixin
from congress.models import HandlingUnit

from .. import assignment_letter, evaluation_form, selectors
from ..forms.unit import AssignmentLetterForm
from ..models import Suggestion


class UnitAssignmentLetterApi(DownloadMixin, APIView):
    """The 交办函 to one handling unit: its live assignments in a session, or the
    suggestions named. For the staff of the unit's congress body and the unit's own
    clerks; anyone else finds no unit (404)."""

    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer, DocxRenderer]

    @extend_schema(
        tags=["units"],
        operation_id="units_assignment_letter",
        parameters=[
            OpenApiParameter(
                "session",
                int,
                description="A session of the unit's congress body; its current "
                "session when neither parameter is given.",
            ),
            OpenApiParameter(
                "suggestions",
                str,
                description="Suggestion ids separated by commas (1,2): those among "
                "the unit's current assignments, replied or not.",
            ),
        ],
        responses={
            (200, DOCX): OpenApiTypes.BINARY,
            400: ERROR_400,
            401: ERROR_401,
            403: ERROR_403,
            404: OpenApiResponse(
                description="No such unit for the caller, or nothing to list."
            ),
        },
    )
    def get(self, request, pk: int) -> HttpResponse:
        try:
            unit = selectors.assignment_letter_unit(user=request.user, pk=pk)
        except HandlingUnit.DoesNotExist:
            raise Http404 from None
        form = AssignmentLetterForm(request.query_params, unit=unit)
        if not form.is_valid():
            raise serializers.ValidationError(
                {
                    ("non_field_errors" if field == "__all__" else field): errors
                    for field, errors in form.errors.items()
                }
            )
        rows = selectors.assignment_letter_rows(
            unit=unit,
            session=form.cleaned_data["session"],
            suggestion_ids=form.cleaned_data["suggestions"],
        )
        if not rows:
            raise Http404
        sessions = assignment_letter.sessions_of(rows)
        return download(
            request,
            assignment_letter.document(unit, rows),
            assignment_letter.file_name(
                unit, sessions[0] if len(sessions) == 1 else None
            ),
            DOCX,
        )


class SuggestionEvaluationFormApi(DownloadMixin, APIView):
    """The 征询意见表 of a suggestion, for those who take part in it (staff and
    leaders of its body, its deputies, its units); anyone else finds nothing."""

    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer, DocxRenderer]

    @extend_schema(
        tags=["suggestions"],
        operation_id="suggestions_evaluation_form",
        responses={
            (200, DOCX): OpenApiTypes.BINARY,
            401: ERROR_401,
            403: ERROR_403,
            404: OpenApiResponse(description="No such suggestion for the caller."),
        },
    )
    def get(self, request, pk: int) -> HttpResponse:
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
